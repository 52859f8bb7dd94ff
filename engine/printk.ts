// printk.ts: the kernel's printf (lib/vsprintf.c, vsnprintf) for the conversions livepatch code and
// its modules use: %s %c %d %i %u %x %X %o with the h/hh/l/ll/z/t length modifiers, flags, width and
// precision, and the pointer extensions %p (hashed), %px (raw), %pe (error name), %pGg (gfp flags).
//
// Arguments are numbers, bigints (unsigned long values beyond 2^53), strings, or null/undefined
// (printed as "(null)" for %s, as the kernel does). Pointer hashing is keyed by the machine's seed
// so that the same run prints the same hashes in Node and in the browser (see ptr_to_id()).
import { errname } from "./errname.ts";
import { gfpFlagNames } from "./gfp.ts";

export type PrintkArg = number | bigint | string | null | undefined;

/** Hashes a pointer value for %p, as ptr_to_id() does with its boot-time siphash key. */
export type PointerHasher = (ptr: bigint) => bigint;

interface Spec {
  flags: string;
  width: number;
  precision: number; // -1: none
  length: string;
  conv: string;
  ext: string; // %p extension letters
}

const SPEC_RE = /%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(hh|h|ll|l|z|t)?([%csdiuxXop])/y;
const U64 = (1n << 64n) - 1n;

function toBigInt(arg: PrintkArg): bigint {
  if (typeof arg === "bigint") return arg;
  if (typeof arg === "number") return BigInt(Math.trunc(arg));
  return 0n;
}

/** Truncates to the C type the length modifier names (int, long, ...), signed or not. */
function truncate(v: bigint, length: string, signed: boolean): bigint {
  const bits = length === "hh" ? 8 : length === "h" ? 16 : length === "" ? 32 : 64;
  return signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

function pad(body: string, spec: Spec, sign = "", prefix = ""): string {
  const left = spec.flags.includes("-");
  const zero = spec.flags.includes("0") && !left && spec.precision < 0;
  const len = sign.length + prefix.length + body.length;
  if (len >= spec.width) return sign + prefix + body;
  const fill = spec.width - len;
  if (left) return sign + prefix + body + " ".repeat(fill);
  if (zero) return sign + prefix + "0".repeat(fill) + body;
  return " ".repeat(fill) + sign + prefix + body;
}

function formatInteger(arg: PrintkArg, spec: Spec): string {
  const signed = spec.conv === "d" || spec.conv === "i";
  const v = truncate(toBigInt(arg), spec.length, signed);
  const neg = v < 0n;
  const mag = neg ? -v : v;
  const radix = spec.conv === "o" ? 8 : spec.conv === "x" || spec.conv === "X" ? 16 : 10;
  let digits = mag.toString(radix);
  if (spec.conv === "X") digits = digits.toUpperCase();
  if (spec.precision >= 0) digits = digits.padStart(spec.precision, "0");
  const sign = neg ? "-" : signed && spec.flags.includes("+") ? "+" : "";
  const alt = spec.flags.includes("#") && mag !== 0n;
  const prefix = !alt
    ? ""
    : radix === 16
      ? spec.conv === "X"
        ? "0X"
        : "0x"
      : radix === 8
        ? "0"
        : "";
  return pad(digits, spec, sign, prefix);
}

function formatString(arg: PrintkArg, spec: Spec): string {
  let s = arg === null || arg === undefined ? "(null)" : String(arg);
  if (spec.precision >= 0) s = s.slice(0, spec.precision);
  return pad(s, spec);
}

function hex64(v: bigint): string {
  return (v & U64).toString(16).padStart(16, "0");
}

function formatPointer(arg: PrintkArg, spec: Spec, hash: PointerHasher): string {
  const v = toBigInt(arg) & U64;
  switch (spec.ext) {
    case "x":
      return pad(hex64(v), spec);
    case "e": {
      // %pe: an ERR_PTR prints its symbolic name; any other pointer prints like %p.
      const err = BigInt.asIntN(64, v);
      if (err < 0n && err >= -4095n) return pad(errname(Number(err)), spec);
      break;
    }
    case "Gg":
      return pad(gfpFlagNames(Number(v & 0xffffffffn)), spec);
  }
  if (v === 0n) return pad("0000000000000000", spec); // NULL is not hashed
  return pad(hex64(hash(v) & 0xffffffffn), spec);
}

function argAt(args: readonly PrintkArg[], i: number): PrintkArg {
  return i < args.length ? args[i] : undefined;
}

/**
 * Formats like the kernel's vsnprintf. Unknown conversions are copied through unchanged.
 * @returns the formatted text.
 */
export function vsprintf(fmt: string, args: readonly PrintkArg[], hash: PointerHasher): string {
  let out = "";
  let ai = 0;
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf("%", i);
    if (pct < 0) return out + fmt.slice(i);
    out += fmt.slice(i, pct);
    SPEC_RE.lastIndex = pct;
    const m = SPEC_RE.exec(fmt);
    if (!m) {
      out += "%";
      i = pct + 1;
      continue;
    }
    i = SPEC_RE.lastIndex;
    const [, flags = "", w, p, length = "", conv = ""] = m;
    const width = w === "*" ? Number(argAt(args, ai++)) : w ? Number(w) : 0;
    const precision = p === "*" ? Number(argAt(args, ai++)) : p !== undefined ? Number(p) : -1;
    let ext = "";
    if (conv === "p") {
      const e = /^(Gg|x|e)/.exec(fmt.slice(i));
      if (e) {
        ext = e[1]!;
        i += ext.length;
      }
    }
    const spec: Spec = { flags, width, precision, length, conv, ext };
    if (conv === "%") out += "%";
    else if (conv === "s") out += formatString(argAt(args, ai++), spec);
    else if (conv === "c") out += pad(String.fromCharCode(Number(argAt(args, ai++)) & 0xff), spec);
    else if (conv === "p") out += formatPointer(argAt(args, ai++), spec, hash);
    else out += formatInteger(argAt(args, ai++), spec);
  }
  return out;
}
