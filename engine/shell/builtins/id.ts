// id.ts: coreutils' id for the only user the machine has: the shell runs as root (uid and gid 0,
// no other groups), as the selftests require (functions.sh's is_root checks `id -u`).
import type { Builtin } from "../state.ts";

const TRY = "Try 'id --help' for more information.\n";

/** id [-u|-g|-G] [-n] [root] */
export const id: Builtin = (_ctx, argv, fds) => {
  let which: "u" | "g" | "G" | null = null;
  let names = false;
  const users: string[] = [];
  for (const a of argv.slice(1)) {
    if (!/^-./.test(a)) {
      users.push(a);
      continue;
    }
    for (const f of a.slice(1)) {
      if (f === "u" || f === "g" || f === "G") which = f;
      else if (f === "n") names = true;
      else {
        fds.stderr.write(`id: invalid option -- '${f}'\n${TRY}`);
        return 1;
      }
    }
  }
  const unknown = users.find((u) => u !== "root" && u !== "0");
  if (unknown !== undefined) {
    fds.stderr.write(`id: \u2018${unknown}\u2019: no such user\n`);
    return 1;
  }
  if (which === null) {
    if (names) {
      fds.stderr.write("id: cannot print only names or real IDs in default format\n");
      return 1;
    }
    fds.stdout.write("uid=0(root) gid=0(root) groups=0(root)\n");
    return 0;
  }
  fds.stdout.write(names ? "root\n" : "0\n");
  return 0;
};
