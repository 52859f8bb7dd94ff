// tee.ts: coreutils' tee: its input to stdout and to every file (opened first, as tee does, so a
// file it cannot open is reported before anything is written).
import { strerror } from "../../strerror.ts";
import { readAll, type Output } from "../io.ts";
import type { Builtin } from "../state.ts";

/** tee [-a] [file...]. */
export const tee: Builtin = (ctx, argv, fds) => {
  let append = false;
  let i = 1;
  for (; i < argv.length && /^-[a]+$/.test(argv[i]!); i++) append = true;
  if (argv[i] === "--") i++;
  const bad = argv.slice(i).find((a) => /^-./.test(a));
  if (bad !== undefined) {
    fds.stderr.write(`${argv[0]}: invalid option -- '${bad[1]}'\n`);
    fds.stderr.write(`Try '${argv[0]} --help' for more information.\n`);
    return 1;
  }
  let status = 0;
  const outs: (Output | string)[] = [];
  for (const f of argv.slice(i)) {
    if (f === "/dev/stdout" || f === "/dev/stderr") {
      outs.push(f === "/dev/stdout" ? fds.stdout : fds.stderr);
      continue;
    }
    const path = ctx.resolve(f);
    const rc = f === "/dev/null" ? 0 : ctx.host.writeFile(path, "", append);
    if (rc < 0) {
      fds.stderr.write(`${argv[0]}: ${f}: ${strerror(rc)}\n`);
      status = 1;
    } else if (f !== "/dev/null") outs.push(path);
  }
  const data = readAll(fds.stdin);
  fds.stdout.write(data);
  for (const o of outs) {
    if (typeof o !== "string") o.write(data);
    else if (data !== "") {
      const rc = ctx.host.writeFile(o, data, true);
      if (rc < 0) {
        fds.stderr.write(`${argv[0]}: ${o}: ${strerror(rc)}\n`);
        status = 1;
      }
    }
  }
  return status;
};
