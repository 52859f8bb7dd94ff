// mapfile.ts: bash's mapfile (readarray): lines of stdin into an indexed array.
import { IndexedArray } from "../arrays.ts";
import { readAll } from "../io.ts";
import type { Builtin } from "../state.ts";

const USAGE =
  "mapfile: usage: mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]\n";

/** mapfile [-t] [-d delim] [-n count] [-s count] [-O origin] [array]: MAPFILE by default. */
export const mapfile: Builtin = (ctx, argv, fds) => {
  const me = argv[0]!;
  let trim = false;
  let delim = "\n";
  let count = 0;
  let skip = 0;
  let origin: number | null = null;
  let i = 1;
  for (; i < argv.length && /^-./.test(argv[i]!); i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    const f = a[1]!;
    if (f === "t" && a.length === 2) {
      trim = true;
      continue;
    }
    if (!"dnsO".includes(f)) {
      fds.stderr.write(
        `bash: ${me}: ${a.slice(0, 2)}: invalid option\n${USAGE.replace(/^mapfile/, me)}`,
      );
      return 2;
    }
    const v = a.length > 2 ? a.slice(2) : argv[++i];
    if (v === undefined) {
      fds.stderr.write(
        `bash: ${me}: -${f}: option requires an argument\n${USAGE.replace(/^mapfile/, me)}`,
      );
      return 2;
    }
    if (f === "d") delim = v === "" ? "\0" : v[0]!;
    else if (!/^\d+$/.test(v)) {
      const what =
        f === "n"
          ? "invalid line count"
          : f === "s"
            ? "invalid line count"
            : "invalid array origin";
      fds.stderr.write(`bash: ${me}: ${v}: ${what}\n`);
      return 1;
    } else if (f === "n") count = Number(v);
    else if (f === "s") skip = Number(v);
    else origin = Number(v);
  }
  const name = argv[i] ?? "MAPFILE";
  const st = ctx.state;
  const old = st.arrays.get(name);
  const arr = origin !== null && old instanceof IndexedArray ? old : new IndexedArray();
  const text = readAll(fds.stdin);
  // Each line keeps its delimiter unless -t; a last line without one is a line too.
  const pieces =
    text.match(new RegExp(`[^${escape(delim)}]*${escape(delim)}|[^${escape(delim)}]+$`, "g")) ?? [];
  let next = origin ?? 0;
  let taken = 0;
  for (const [k, p] of pieces.entries()) {
    if (k < skip) continue;
    if (count && taken === count) break;
    arr.set(next++, trim && p.endsWith(delim) ? p.slice(0, -1) : p);
    taken++;
  }
  st.vars.delete(name);
  st.arrays.set(name, arr);
  return 0;
};

function escape(c: string): string {
  return c.replace(/[\\\]^-]/g, "\\$&");
}
