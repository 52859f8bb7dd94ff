// steps.ts: turns a golden case's `steps` (helper calls and the pseudo-ops of helpers.md) into a
// shell script of selftest-helper calls for the playground shell.

export interface Step {
  op: string;
  args: string[];
}

export interface GoldenCase {
  file: string;
  title: string;
  modules: string[];
  steps: Step[];
  expected_log: string[];
}

/** Single-quotes a word for the shell. */
export function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const HELPERS = new Set([
  "load_mod",
  "load_lp",
  "load_lp_nowait",
  "load_failing_mod",
  "unload_mod",
  "unload_lp",
  "disable_lp",
  "disable_lp_nowait",
  "set_pre_patch_ret",
  "read_module_param",
  "write_module_param",
  "check_sysfs_rights",
  "check_sysfs_value",
  "check_object_patched",
  "set_ftrace_enabled",
  "wait_for_transition",
  "trace_function",
  "check_traced_functions",
]);

/** The getpid loopers of test-syscall.sh: one per online CPU (at most 128), pids in PID_LIST. */
const SPAWN_LOOPERS = [
  "NPROC=$(getconf _NPROCESSORS_ONLN)",
  "[[ $NPROC -gt 128 ]] && NPROC=128",
  'PID_LIST=""',
  'PIDS=""',
  "for i in $(seq 1 $NPROC); do",
  "  ./test_klp-call_getpid &",
  '  PID_LIST="${PID_LIST:+$PID_LIST,}$!"',
  '  PIDS="$PIDS $!"',
  "done",
].join("\n");

/** One step as shell lines. */
export function stepScript(s: Step): string {
  const a = s.args.map((x) =>
    quote(x.replace("<PID_LIST>", "\u0000")).replace("\u0000", "'\"$PID_LIST\"'"),
  );
  const [a0 = "", a1 = "", a2 = ""] = a;
  if (HELPERS.has(s.op)) return [s.op, ...a].join(" ");
  switch (s.op) {
    case "check_result":
      return "";
    case "assign":
      return `${s.args[0] ?? "X"}=${a1}`;
    case "expect_file_equals":
      return `[[ "$(cat ${a0})" == ${a1} ]] || die ${quote(`unexpected content of ${s.args[0]}`)}`;
    case "expect_file_not_equals":
      return `[[ "$(cat ${a0})" != ${a1} ]] || die ${quote(`unexpected content of ${s.args[0]}`)}`;
    case "log_if_file_equals":
      return `[[ "$(cat ${a0})" == ${a1} ]] && log ${a2}`;
    case "grep_to_kmsg":
      return `grep ${a0} ${a1} > /dev/kmsg`;
    case "expect_livepatch_count":
      return `[[ $(count_livepatches) == ${a0} ]] || die 'unexpected number of livepatches'`;
    case "wait_livepatch_count":
      return `loop_until '[[ $(count_livepatches) == '${a0}' ]]' || die 'livepatch count'`;
    case "wait_file_value":
      return `loop_until '[[ $(cat '${a0}') == '${a1}' ]]' || die 'waiting for '${a0}`;
    case "log_file_value":
      return `log ${a0}"$(cat ${a1})"`;
    case "write_file":
      return `echo ${a1} > ${a0}`;
    case "spawn_getpid_loopers":
      return SPAWN_LOOPERS;
    case "kill_getpid_loopers":
      return "kill $PIDS\nwait";
    default:
      return `die ${quote(`unknown step ${s.op}`)}`;
  }
}

/** The whole case: set-up, start_test, the steps. */
export function caseScript(c: GoldenCase): string {
  return ["setup_config", `start_test ${quote(c.title)}`, ...c.steps.map(stepScript)]
    .filter((l) => l !== "")
    .join("\n");
}
