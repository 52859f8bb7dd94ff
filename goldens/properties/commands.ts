// commands.ts: the random shell commands of the property tests: loading livepatches (stacked or
// atomic replace), disabling and re-enabling them (a reverse when mid-transition), forcing, unloading;
// target modules coming and going mid-transition; failing pre_patch; a kthread that stalls the
// transition in a patched function; virtual time passing (retries, the 15-attempt signals); the
// function tracer on patched functions, on their new functions or on every function, and
// kernel.ftrace_enabled (its ops and klp's share entry sites).
import fc from "fast-check";
import type { Semantics } from "../../engine/machine/machine.ts";
import { type Arch, type Script, STEPS } from "./run.ts";
import { STATE_MODULES } from "./stateModules.ts";

const KLP = "/sys/kernel/livepatch";
const TRACING = "/sys/kernel/debug/tracing";
/** Filters for the function tracer: patched functions, a patch's new one, or none (all). */
const TRACE_FILTERS = [
  "cmdline_proc_show",
  "busymod_work_func",
  "livepatch_cmdline_proc_show",
  "cmdline_proc_show busymod_work_func",
  "",
];
const PARAMS = "/sys/module";

/** Livepatch modules loaded by name, with the insmod arguments they may take. */
const MAINLINE_PATCHES = [
  "test_klp_livepatch",
  "test_klp_atomic_replace",
  "test_klp_callbacks_demo",
  "test_klp_callbacks_demo2",
  "test_klp_mod_patch",
  "livepatch_shadow_fix1",
  "livepatch_shadow_fix2",
  "test_klp_state",
  "test_klp_state2",
];
const PROPOSED_PATCHES = [
  "test_klp_livepatch",
  "test_klp_callbacks_demo",
  ...STATE_MODULES.map((s) => s.name),
];
const TARGETS = [
  "test_klp_callbacks_mod",
  "test_klp_callbacks_busy",
  "test_klp_mod_target",
  "livepatch_shadow_mod",
];
/** Livepatches of busymod_work_func. */
const STALLERS = ["test_klp_callbacks_demo", ...STATE_MODULES.map((s) => s.name)];
/** Modules with a replace parameter (an extra klp_states_r keeps the list non-empty). */
const REPLACE_PARAM = ["test_klp_atomic_replace", "test_klp_callbacks_demo2"];
/** Modules with a pre_patch_ret parameter. */
const PRE_RET = ["test_klp_callbacks_demo", ...STATE_MODULES.map((s) => s.name)];

function commandFor(patches: string[]): fc.Arbitrary<string> {
  const patch = fc.constantFrom(...patches);
  const stallers = fc.constantFrom(...STALLERS.filter((p) => patches.includes(p)));
  const preRet = fc.constantFrom(...PRE_RET.filter((p) => patches.includes(p)));
  return fc.oneof(
    { weight: 4, arbitrary: patch.map((p) => `insmod test_modules/${p}.ko`) },
    // The patches of the busy module's worker, whose transitions the worker can stall.
    { weight: 3, arbitrary: stallers.map((p) => `insmod test_modules/${p}.ko`) },
    { weight: 2, arbitrary: stallers.map((p) => `echo 1 > ${KLP}/${p}/force`) },
    { weight: 2, arbitrary: stallers.map((p) => `echo 0 > ${KLP}/${p}/enabled`) },
    // Forcing a stalled disable pins the module (klp_free_patch_finish skips module_put).
    {
      weight: 2,
      arbitrary: stallers.map(
        (p) => `echo 0 > ${KLP}/${p}/enabled && echo 1 > ${KLP}/${p}/force; rmmod ${p}`,
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...REPLACE_PARAM.filter((p) => patches.includes(p)), "klp_states_r")
        .map((p) => `insmod test_modules/${p}.ko replace=1`),
    },
    { weight: 1, arbitrary: preRet.map((p) => `insmod test_modules/${p}.ko pre_patch_ret=-19`) },
    { weight: 1, arbitrary: preRet.map((p) => `set_pre_patch_ret ${p} -19`) },
    { weight: 1, arbitrary: preRet.map((p) => `set_pre_patch_ret ${p} 0`) },
    { weight: 3, arbitrary: patch.map((p) => `rmmod ${p}`) },
    { weight: 3, arbitrary: patch.map((p) => `echo 0 > ${KLP}/${p}/enabled`) },
    { weight: 2, arbitrary: patch.map((p) => `echo 1 > ${KLP}/${p}/enabled`) },
    { weight: 2, arbitrary: patch.map((p) => `echo 1 > ${KLP}/${p}/force`) },
    { weight: 3, arbitrary: fc.constantFrom(...TARGETS).map((t) => `insmod test_modules/${t}.ko`) },
    { weight: 3, arbitrary: fc.constantFrom(...TARGETS).map((t) => `rmmod ${t}`) },
    // A kthread sleeping in a function the patches touch stalls their transitions until released.
    {
      weight: 4,
      arbitrary: fc.constant("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y"),
    },
    {
      weight: 1,
      arbitrary: fc.constant(
        `echo N > ${PARAMS}/test_klp_callbacks_busy/parameters/block_transition`,
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `echo function > ${TRACING}/current_tracer`,
        `echo nop > ${TRACING}/current_tracer`,
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...TRACE_FILTERS)
        .map((f) => `echo ${f} > ${TRACING}/set_ftrace_filter`),
    },
    // Disabling ftrace makes every livepatch load fail: re-enabling is the likelier step.
    { weight: 1, arbitrary: fc.constant("sysctl -q kernel.ftrace_enabled=0") },
    { weight: 2, arbitrary: fc.constant("sysctl -q kernel.ftrace_enabled=1") },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        "sleep 1",
        "sleep 2",
        "sleep 5",
        "sleep 16",
        "sleep 16",
        "cat /proc/cmdline",
      ),
    },
  );
}

/** Scripts of STEPS commands on either architecture. */
export function scripts(semantics: Semantics): fc.Arbitrary<Script> {
  const patches = semantics === "proposed" ? PROPOSED_PATCHES : MAINLINE_PATCHES;
  return fc.record({
    arch: fc.constantFrom<Arch>("x86_64", "arm64"),
    commands: fc.array(commandFor(patches), { minLength: STEPS, maxLength: STEPS }),
  });
}
