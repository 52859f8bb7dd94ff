// sysinfo.ts: coreutils' uname (the machine's utsname) and date (the machine's virtual clock,
// which starts at the epoch when it boots; the C locale and TZ=UTC: the playground has no zones).
import type { Builtin } from "../state.ts";

const tryHelp = (me: string) => `Try '${me} --help' for more information.\n`;

/** uname's fields in the order it prints them, with their letters and long options. */
const FIELDS = [
  ["s", "kernel-name"],
  ["n", "nodename"],
  ["r", "kernel-release"],
  ["v", "kernel-version"],
  ["m", "machine"],
  ["p", "processor"],
  ["i", "hardware-platform"],
  ["o", "operating-system"],
] as const;

/** uname [-asnrvmpio]: no option is -s; -a leaves out -p and -i, which are unknown here. */
export const uname: Builtin = (ctx, argv, fds) => {
  const me = argv[0]!;
  const want = new Set<string>();
  for (const a of argv.slice(1)) {
    const long = FIELDS.find(([, l]) => a === `--${l}`);
    if (long) want.add(long[0]);
    else if (a === "--all") want.add("a");
    else if (/^-[a-z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f !== "a" && !FIELDS.some(([l]) => l === f)) {
          fds.stderr.write(`${me}: invalid option -- '${f}'\n${tryHelp(me)}`);
          return 1;
        }
        want.add(f);
      }
    } else {
      fds.stderr.write(`${me}: extra operand \u2018${a}\u2019\n${tryHelp(me)}`);
      return 1;
    }
  }
  if (want.size === 0) want.add("s");
  const u = ctx.host.uname();
  const value: Record<string, string> = {
    s: u.sysname,
    n: u.nodename,
    r: u.release,
    v: u.version,
    m: u.machine,
    p: "unknown",
    i: "unknown",
    o: "GNU/Linux",
  };
  const all = want.has("a");
  const shown = FIELDS.filter(([f]) => want.has(f) || (all && f !== "p" && f !== "i"));
  fds.stdout.write(`${shown.map(([f]) => value[f]).join(" ")}\n`);
  return 0;
};

/** date [-u] [-d @SECONDS] [+FORMAT]. */
export const date: Builtin = (ctx, argv, fds) => {
  const me = argv[0]!;
  let format: string | null = null;
  let when: string | null = null;
  const operands: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const d = /^(?:-d|--date=?)(.*)$/.exec(a);
    if (d) {
      const v = d[1] !== "" ? d[1]! : args[++i];
      if (v === undefined) {
        fds.stderr.write(`${me}: option requires an argument -- 'd'\n${tryHelp(me)}`);
        return 1;
      }
      when = v;
    } else if (a === "-u" || a === "--utc" || a === "--universal") continue;
    else if (a.startsWith("+") && format === null && operands.length === 0) format = a.slice(1);
    else if (/^-./.test(a)) {
      fds.stderr.write(`${me}: invalid option -- '${a[1]}'\n${tryHelp(me)}`);
      return 1;
    } else operands.push(a);
  }
  // More than one operand is an error before any is looked at; one not +FORMAT would set the
  // clock (MMDDhhmm...), which this date does not do: GNU date's message for one it cannot read.
  if (operands.length > 1) {
    fds.stderr.write(`${me}: extra operand \u2018${operands[1]}\u2019\n${tryHelp(me)}`);
    return 1;
  }
  if (operands.length === 1) {
    fds.stderr.write(`${me}: invalid date \u2018${operands[0]}\u2019\n`);
    return 1;
  }
  let ns = BigInt(Math.round(ctx.host.realtimeNs()));
  if (when !== null) {
    const t = parseDate(when, ns);
    if (t === null) {
      fds.stderr.write(`${me}: invalid date \u2018${when}\u2019\n`);
      return 1;
    }
    ns = t;
  }
  fds.stdout.write(`${strftime(format ?? "%a %b %e %H:%M:%S %Z %Y", ns)}\n`);
  return 0;
};

/** -d's operand: @SECONDS[.FRACTION] (what scripts pass), "now", or "" (today's midnight in GNU; here only @ and now). */
function parseDate(s: string, now: bigint): bigint | null {
  const t = s.trim();
  if (t === "now") return now;
  const m = /^@\s*([-+]?)(\d+)(?:[.,](\d*))?$/.exec(t);
  if (!m) return null;
  const frac = BigInt((m[3] ?? "").padEnd(9, "0").slice(0, 9) || "0");
  const v = BigInt(m[2]!) * 1_000_000_000n + frac;
  return m[1] === "-" ? -v : v;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** GNU date's conversions on a UTC time, with its flags (- _ 0 ^) and widths. */
export function strftime(format: string, ns: bigint): string {
  const sec = ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n);
  const nsec = ns - sec * 1_000_000_000n;
  const d = new Date(Number(sec) * 1000);
  const Y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const day = d.getUTCDate();
  const H = d.getUTCHours();
  const M = d.getUTCMinutes();
  const S = d.getUTCSeconds();
  const wd = d.getUTCDay();
  const yd = Math.floor((Date.UTC(Y, mo, day) - Date.UTC(Y, 0, 1)) / 86_400_000);
  const iso = isoWeek(Y, yd, wd);
  const num = (v: number, w: number, pad = "0") => ({ v: String(v), w, pad });
  const txt = (v: string) => ({ v, w: 0, pad: " " });
  const conv = (c: string): { v: string; w: number; pad: string } | null => {
    switch (c) {
      case "a":
        return txt(DAYS[wd]!.slice(0, 3));
      case "A":
        return txt(DAYS[wd]!);
      case "b":
      case "h":
        return txt(MONTHS[mo]!.slice(0, 3));
      case "B":
        return txt(MONTHS[mo]!);
      case "c":
        return txt(strftime("%a %b %e %H:%M:%S %Y", ns));
      case "C":
        return num(Math.floor(Y / 100), 2);
      case "d":
        return num(day, 2);
      case "D":
      case "x":
        return txt(strftime("%m/%d/%y", ns));
      case "e":
        return num(day, 2, " ");
      case "F":
        return txt(strftime("%Y-%m-%d", ns));
      case "g":
        return num(iso.year % 100, 2);
      case "G":
        return num(iso.year, 4);
      case "H":
        return num(H, 2);
      case "I":
        return num(H % 12 || 12, 2);
      case "j":
        return num(yd + 1, 3);
      case "k":
        return num(H, 2, " ");
      case "l":
        return num(H % 12 || 12, 2, " ");
      case "m":
        return num(mo + 1, 2);
      case "M":
        return num(M, 2);
      case "n":
        return txt("\n");
      case "N":
        return num(Number(nsec), 9);
      case "p":
        return txt(H < 12 ? "AM" : "PM");
      case "P":
        return txt(H < 12 ? "am" : "pm");
      case "r":
        return txt(strftime("%I:%M:%S %p", ns));
      case "R":
        return txt(strftime("%H:%M", ns));
      case "s":
        return txt(String(sec));
      case "S":
        return num(S, 2);
      case "t":
        return txt("\t");
      case "T":
      case "X":
        return txt(strftime("%H:%M:%S", ns));
      case "u":
        return num(wd || 7, 1);
      case "U":
        return num(Math.floor((yd + 7 - wd) / 7), 2);
      case "V":
        return num(iso.week, 2);
      case "w":
        return num(wd, 1);
      case "W":
        return num(Math.floor((yd + 7 - ((wd + 6) % 7)) / 7), 2);
      case "y":
        return num(Y % 100, 2);
      case "Y":
        return num(Y, 1);
      case "z":
        return txt("+0000");
      case "Z":
        return txt("UTC");
      case "%":
        return txt("%");
    }
    return null;
  };
  return format.replace(
    /%([-_0^#]*)(\d*)(:?)([A-Za-z%])/g,
    (all, flags: string, width, colon, c) => {
      if (colon) return c === "z" ? "+00:00" : all;
      const r = conv(c);
      if (!r) return all;
      // %3N: a width on the nanoseconds is their precision (GNU date).
      if (c === "N" && width)
        return r.v.padStart(9, "0").slice(0, Number(width)).padEnd(Number(width), "0");
      let v = r.v;
      if (flags.includes("^")) v = v.toUpperCase();
      const w = width ? Number(width) : r.w;
      const pad = flags.includes("-")
        ? ""
        : flags.includes("_")
          ? " "
          : flags.includes("0")
            ? "0"
            : r.pad;
      if (pad === "") return v.replace(/^[ 0]+(?=.)/, "");
      const neg = v.startsWith("-");
      const body = neg ? v.slice(1) : v;
      return (neg ? "-" : "") + body.padStart(w - (neg ? 1 : 0), pad);
    },
  );
}

/** The ISO 8601 week and its year (%V, %G) of day `yd` (0-based) of `year`, weekday `wd`. */
function isoWeek(year: number, yd: number, wd: number): { year: number; week: number } {
  const monday = (wd + 6) % 7;
  const week = Math.floor((yd - monday + 10) / 7);
  if (week < 1) {
    const prevDays = isLeap(year - 1) ? 366 : 365;
    return isoWeek(year - 1, yd + prevDays, wd);
  }
  const days = isLeap(year) ? 366 : 365;
  if (week === 53 && yd - monday + 3 >= days) return { year: year + 1, week: 1 };
  return { year, week };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
