// tr.ts: coreutils' tr on stdin: translate (SET2 padded with its last character), -d delete, -s
// squeeze, -c complement; sets with ranges (a-z), classes ([:upper:]...) and backslash escapes.
import { readAll } from "../io.ts";
import type { Builtin } from "../state.ts";

const CLASSES: Record<string, (c: string) => boolean> = {
  alnum: (c) => /[A-Za-z0-9]/.test(c),
  alpha: (c) => /[A-Za-z]/.test(c),
  blank: (c) => c === " " || c === "\t",
  cntrl: (c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127,
  digit: (c) => /[0-9]/.test(c),
  graph: (c) => c.charCodeAt(0) > 32 && c.charCodeAt(0) < 127,
  lower: (c) => /[a-z]/.test(c),
  print: (c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) < 127,
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
  space: (c) => /[ \t\n\v\f\r]/.test(c),
  upper: (c) => /[A-Z]/.test(c),
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
};

const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

const ASCII = Array.from({ length: 128 }, (_x, i) => String.fromCharCode(i));

/** A SET's characters in order. @returns them, or tr's message. */
function expandSet(set: string): string[] | string {
  const out: string[] = [];
  const chars: string[] = [];
  // Backslash escapes first, keeping "[" "-" ":" of the text distinguishable from escaped ones.
  const escaped: boolean[] = [];
  for (let i = 0; i < set.length; i++) {
    const c = set[i]!;
    if (c !== "\\" || i === set.length - 1) {
      chars.push(c);
      escaped.push(false);
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(set.slice(i + 1));
    if (oct) {
      chars.push(String.fromCharCode(parseInt(oct[0], 8)));
      i += oct[0].length;
    } else {
      chars.push(ESCAPES[set[i + 1]!] ?? set[i + 1]!);
      i++;
    }
    escaped.push(true);
  }
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "[" && !escaped[i] && chars[i + 1] === ":") {
      const end = chars.indexOf(":", i + 2);
      const name = end > 0 && chars[end + 1] === "]" ? chars.slice(i + 2, end).join("") : null;
      if (name !== null) {
        const test = CLASSES[name];
        if (!test) return `invalid character class \u2018${name}\u2019`;
        out.push(...ASCII.filter(test));
        i = end + 1;
        continue;
      }
    }
    if (chars[i + 1] === "-" && !escaped[i + 1] && i + 2 < chars.length) {
      const from = c.codePointAt(0)!;
      const to = chars[i + 2]!.codePointAt(0)!;
      if (to < from) {
        return `range-endpoints of \u2018${c}-${chars[i + 2]}\u2019 are in reverse collating sequence order`;
      }
      for (let x = from; x <= to; x++) out.push(String.fromCodePoint(x));
      i += 2;
      continue;
    }
    out.push(c);
  }
  return out;
}

/** tr [-cds] SET1 [SET2]. */
export const tr: Builtin = (_ctx, argv, fds) => {
  const me = argv[0]!;
  const help = `Try '${me} --help' for more information.\n`;
  let complement = false;
  let del = false;
  let squeeze = false;
  let i = 1;
  for (; i < argv.length && /^-[cdsC]+$/.test(argv[i]!); i++) {
    for (const f of argv[i]!.slice(1)) {
      if (f === "c" || f === "C") complement = true;
      else if (f === "d") del = true;
      else squeeze = true;
    }
  }
  if (argv[i] === "--") i++;
  const sets = argv.slice(i);
  const fail = (msg: string) => {
    fds.stderr.write(`${me}: ${msg}\n${help}`);
    return 1;
  };
  if (sets.length === 0) return fail("missing operand");
  const need = del && squeeze ? 2 : del || (squeeze && sets.length === 1) ? 1 : 2;
  if (sets.length < need) {
    const why = del
      ? "Two strings must be given when both deleting and squeezing repeats."
      : "Two strings must be given when translating.";
    return fail(`missing operand after \u2018${sets[sets.length - 1]}\u2019\n${why}`);
  }
  if (sets.length > need) {
    const extra = `extra operand \u2018${sets[need]}\u2019`;
    return fail(
      need === 1 && del
        ? `${extra}\nOnly one string may be given when deleting without squeezing repeats.`
        : extra,
    );
  }
  const s1 = expandSet(sets[0]!);
  if (typeof s1 === "string") return fail(s1);
  const s2 = sets[1] === undefined ? [] : expandSet(sets[1]);
  if (typeof s2 === "string") return fail(s2);
  const in1 = new Set(s1);
  const member = (c: string) => in1.has(c) !== complement;
  const map = new Map<string, string>();
  if (!del && s2.length) {
    if (complement) for (const c of ASCII) if (!in1.has(c)) map.set(c, s2[s2.length - 1]!);
    s1.forEach((c, k) => complement || map.set(c, s2[Math.min(k, s2.length - 1)]!));
  }
  // Squeezing applies to the last set given (SET2 when translating or deleting).
  const squeezeSet = new Set(sets.length === 2 ? s2 : s1);
  const squeezes = (c: string) => (sets.length === 2 ? squeezeSet.has(c) : member(c));
  let out = "";
  let prev: string | null = null;
  for (const c of readAll(fds.stdin)) {
    if (del && member(c)) continue;
    const t = map.get(c) ?? c;
    if (squeeze && t === prev && squeezes(t)) continue;
    out += t;
    prev = t;
  }
  fds.stdout.write(out);
  return 0;
};
