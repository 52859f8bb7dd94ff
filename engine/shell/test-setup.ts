// test-setup.ts: the machine the shell tests run on: a MemoryHost with a livepatch-like sysfs
// attribute, a few external commands, and a Shell on top.
import { Shell } from "./exec.ts";
import { MemoryHost } from "./memory-host.ts";

const EINVAL = -22;
const EBUSY = -16;

/** A fresh host and shell; `enabled` accepts what kstrtobool accepts, `busy` always fails. */
export function machine(): { host: MemoryHost; sh: Shell; state: { enabled: number } } {
  const host = new MemoryHost();
  const state = { enabled: 0 };
  for (const d of ["/sys/kernel", "/sys/kernel/livepatch", "/sys/kernel/livepatch/p"]) {
    host.dirs.add(d);
  }
  host.attrs.set("/sys/kernel/livepatch/p/enabled", {
    mode: 0o644,
    show: () => `${state.enabled}\n`,
    store: (data) => {
      if (/^[yYtTeE1]|^[oO][nN]/.test(data)) state.enabled = 1;
      else if (/^[nNfFdD0]|^[oO][fF]/.test(data)) state.enabled = 0;
      else return EINVAL;
      return 0;
    },
  });
  host.attrs.set("/sys/kernel/livepatch/p/transition", { mode: 0o444, show: () => "0\n" });
  host.attrs.set("/sys/kernel/livepatch/p/busy", { mode: 0o200, store: () => EBUSY });
  host.files.set("/root/list", "alpha\nbeta\ngamma\n");
  host.commands.set("upper", (_args, io) => {
    io.stdout(io.stdin.toUpperCase());
    return 0;
  });
  host.commands.set("args", (args, io) => {
    for (const a of args) io.stdout(`<${a}>\n`);
    return 0;
  });
  host.commands.set("status", (args, io) => {
    io.stderr(`status ${args[0]}\n`);
    return Number(args[0]);
  });
  return { host, sh: new Shell(host), state };
}
