// echo.ts: bash's echo and printf builtins (builtins/echo.def, printf.def).
import type { Builtin } from "../state.ts";

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

/**
 * Interprets backslash escapes as `echo -e` and printf's %b do (\n, \t, \0NNN, \xHH, \c...).
 * @returns the text and whether \c asked to stop all further output.
 */
export function unescape(s: string, octalNeedsZero: boolean): { text: string; stop: boolean } {
  let text = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const n = s[i + 1];
    if (c !== "\\" || n === undefined) {
      text += c;
      continue;
    }
    if (n === "c") return { text, stop: true };
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      text += simple;
      i++;
      continue;
    }
    const m = escapeNumber(s, i + 1, octalNeedsZero);
    if (m) {
      text += String.fromCharCode(m.code);
      i += m.length;
    } else text += c;
  }
  return { text, stop: false };
}

function escapeNumber(
  s: string,
  at: number,
  octalNeedsZero: boolean,
): { code: number; length: number } | null {
  const rest = s.slice(at, at + 4);
  const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest);
  if (hex) return { code: parseInt(hex[1]!, 16), length: hex[0].length };
  const oct = (octalNeedsZero ? /^0([0-7]{0,3})/ : /^([0-7]{1,3})/).exec(rest);
  if (oct) return { code: parseInt(oct[1] || "0", 8) & 0xff, length: oct[0].length };
  return null;
}

/** echo [-neE] [arg...]: options are only recognised as leading words made of n, e, E. */
export const echo: Builtin = (_ctx, argv, fds) => {
  let newline = true;
  let escapes = false;
  let i = 1;
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]!); i++) {
    for (const f of argv[i]!.slice(1)) {
      if (f === "n") newline = false;
      else escapes = f === "e";
    }
  }
  const text = argv.slice(i).join(" ");
  if (!escapes) {
    fds.stdout.write(newline ? `${text}\n` : text);
    return 0;
  }
  const u = unescape(text, true);
  fds.stdout.write(u.stop || !newline ? u.text : `${u.text}\n`);
  return 0;
};

const CONVERSION = /%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([sdiboxXcu%])/g;

/** printf FORMAT [arg...]: the format is reused while arguments remain. */
export const printf: Builtin = (_ctx, argv, fds) => {
  const format = argv[1];
  if (format === undefined) {
    fds.stderr.write("bash: printf: usage: printf [-v var] format [arguments]\n");
    return 2;
  }
  const args = argv.slice(2);
  const state = { next: 0, status: 0, stop: false };
  let out = "";
  do {
    out += formatOnce(format, args, state, (msg) => fds.stderr.write(`bash: printf: ${msg}\n`));
  } while (!state.stop && state.next < args.length && state.next > 0);
  fds.stdout.write(out);
  return state.status;
};

interface FormatState {
  next: number;
  status: number;
  stop: boolean;
}

function formatOnce(
  format: string,
  args: string[],
  st: FormatState,
  warn: (m: string) => void,
): string {
  let out = "";
  let last = 0;
  const take = () => args[st.next++] ?? "";
  for (const m of format.matchAll(CONVERSION)) {
    out += unescape(format.slice(last, m.index), false).text;
    last = m.index + m[0].length;
    const [, flags = "", widthSpec, precSpec, conv] = m;
    if (conv === "%") {
      out += "%";
      continue;
    }
    const width = widthSpec === "*" ? Number(take()) || 0 : Number(widthSpec ?? 0);
    const prec =
      precSpec === "*" ? Number(take()) : precSpec === undefined ? null : Number(precSpec);
    const piece = convert(conv!, take(), prec, st, warn);
    if (st.stop) return out + piece;
    out += pad(piece, width, flags, conv !== "s" && conv !== "b" && conv !== "c");
  }
  const tail = unescape(format.slice(last), false);
  if (tail.stop) st.stop = true;
  return out + tail.text;
}

function convert(
  conv: string,
  arg: string,
  prec: number | null,
  st: FormatState,
  warn: (m: string) => void,
): string {
  switch (conv) {
    case "s":
      return prec === null ? arg : arg.slice(0, prec);
    case "b": {
      const u = unescape(arg, true);
      if (u.stop) st.stop = true;
      return u.text;
    }
    case "c":
      return arg.slice(0, 1);
  }
  const n = toInteger(arg);
  if (n === null) {
    warn(`${arg}: invalid number`);
    st.status = 1;
  }
  const v = n ?? 0;
  let digits: string;
  if (conv === "x" || conv === "X") digits = BigInt.asUintN(64, BigInt(v)).toString(16);
  else if (conv === "o") digits = BigInt.asUintN(64, BigInt(v)).toString(8);
  else if (conv === "u") digits = BigInt.asUintN(64, BigInt(v)).toString();
  else digits = String(v);
  if (conv === "X") digits = digits.toUpperCase();
  if (prec !== null)
    digits = digits.replace(/^(-?)(\d*)$/, (_a, s: string, d: string) => s + d.padStart(prec, "0"));
  return digits;
}

/** printf's integer arguments: decimal, 0x hex, 0 octal, or 'c (the character's code). */
function toInteger(arg: string): number | null {
  const a = arg.trim();
  if (a === "") return 0;
  if (/^['"]/.test(a)) return a.codePointAt(1) ?? 0;
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(a)) return parseInt(a, 16);
  if (/^[-+]?0[0-7]+$/.test(a)) return parseInt(a, 8);
  if (/^[-+]?\d+$/.test(a)) return Number(a);
  return null;
}

function pad(s: string, width: number, flags: string, numeric: boolean): string {
  if (s.length >= width) return s;
  if (flags.includes("-")) return s.padEnd(width);
  if (numeric && flags.includes("0")) {
    const sign = s.startsWith("-") ? "-" : "";
    return sign + s.slice(sign.length).padStart(width - sign.length, "0");
  }
  return s.padStart(width);
}
