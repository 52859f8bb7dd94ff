// test_klp_syscall: replaces the getpid system call; each pid listed in klp_pids is counted off
// the first time it runs the new code, and /sys/kernel/test_klp_syscall/npids shows how many are
// left. Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_syscall.c@2e2bc42c8381d2c0e9604b59e49264821da29368.
import {
  ARCH,
  type ModuleDescription,
  current_pid,
  klp_enable_patch,
  kobject_create_and_add,
  kobject_put,
  module_param,
  sysfs_create_file,
} from "linux";

const EINVAL = 22;
const ENOMEM = 12;

/** SYSCALL_DEFINE0(getpid)'s entry under the architecture's syscall wrapper prefix. */
const SYS_GETPID = ARCH === "arm64" ? "__arm64_sys_getpid" : "__x64_sys_getpid";

/** klp_pids (module_param_array of int, not in sysfs): the pids still to run the new code. */
let klp_pids: number[] = [];
let npids_pending = 0;
let klp_kobj = 0;

function lp_sys_getpid(): number {
  const pid = current_pid();
  if (npids_pending > 0) {
    const i = klp_pids.indexOf(pid);
    if (i >= 0) {
      klp_pids[i] = 0;
      npids_pending--;
    }
  }
  return pid;
}

function npids_show(): string {
  return `${npids_pending}\n`;
}

/** The klp_pids argument, "1,2,3", as the int array param_array_set would store. */
function parsePids(raw: string): number[] | null {
  const pids = raw === "" ? [] : raw.split(",").map(Number);
  return pids.every(Number.isInteger) ? pids : null;
}

export default {
  livepatch: true,
  params: [{ name: "klp_pids", type: "charp", perm: 0, value: "" }],
  functions: [{ name: "lp_sys_getpid", size: 0x60, body: lp_sys_getpid }],
  init: () => {
    const pids = parsePids(String(module_param("klp_pids") ?? ""));
    if (!pids) return -EINVAL;
    klp_pids = pids;
    npids_pending = pids.length;
    klp_kobj = kobject_create_and_add("test_klp_syscall");
    if (!klp_kobj) return -ENOMEM;
    const ret = sysfs_create_file(klp_kobj, { name: "npids", mode: 0o444, show: npids_show });
    if (ret) {
      kobject_put(klp_kobj);
      return ret;
    }
    const rc = klp_enable_patch({
      objs: [{ name: null, funcs: [{ old_name: SYS_GETPID, new_func: lp_sys_getpid }] }],
    });
    // A failed load never reaches exit: the kobject goes now, or a later load could not add it.
    if (rc !== 0) kobject_put(klp_kobj);
    return rc;
  },
  exit: () => kobject_put(klp_kobj),
} satisfies ModuleDescription;
