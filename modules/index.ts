// index.ts: the built-in modules, by name (the repository insmod and modprobe read from), and the
// selftests' user programs.
import type { ModuleRepository, UserProgram } from "../engine/machine/commands.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import {
  testKlpCallbacksBusy,
  testKlpCallbacksDemo,
  testKlpCallbacksDemo2,
  testKlpCallbacksMod,
} from "./callbacks.ts";
import { livepatchSample, testKlpAtomicReplace, testKlpLivepatch } from "./livepatch.ts";
import { testKlpKprobe } from "./kprobe.ts";
import { testKlpModPatch, testKlpModTarget } from "./mod-target.ts";
import {
  livepatchCallbacksBusymod,
  livepatchCallbacksDemo,
  livepatchCallbacksMod,
} from "./samples-callbacks.ts";
import { livepatchShadowFix1, livepatchShadowFix2, livepatchShadowMod } from "./samples-shadow.ts";
import { testKlpShadowVars } from "./shadow-vars.ts";
import { callGetpidProgram, testKlpSyscall } from "./syscall.ts";
import { testKlpState, testKlpState2, testKlpState3 } from "./state.ts";
import { sandboxedBuiltin } from "./sandboxed.ts";
import { BUILTIN_SOURCES } from "./sources.ts";

/**
 * Host-side module factories by module name (a fresh definition per load: modules keep private
 * state), for modules not written as module source.
 */
export const BUILTIN_MODULES: ReadonlyMap<string, () => ModuleDef> = new Map([
  ["test_klp_livepatch", testKlpLivepatch],
  ["test_klp_atomic_replace", testKlpAtomicReplace],
  ["test_klp_callbacks_demo", testKlpCallbacksDemo],
  ["test_klp_callbacks_demo2", testKlpCallbacksDemo2],
  ["test_klp_callbacks_mod", testKlpCallbacksMod],
  ["test_klp_callbacks_busy", testKlpCallbacksBusy],
  ["test_klp_state", testKlpState],
  ["test_klp_state2", testKlpState2],
  ["test_klp_state3", testKlpState3],
  ["test_klp_syscall", testKlpSyscall],
  ["test_klp_kprobe", testKlpKprobe],
  ["test_klp_shadow_vars", testKlpShadowVars],
  ["test_klp_mod_target", testKlpModTarget],
  ["test_klp_mod_patch", testKlpModPatch],
  ["livepatch_sample", livepatchSample],
  ["livepatch_callbacks_demo", livepatchCallbacksDemo],
  ["livepatch_callbacks_mod", livepatchCallbacksMod],
  ["livepatch_callbacks_busymod", livepatchCallbacksBusymod],
  ["livepatch_shadow_mod", livepatchShadowMod],
  ["livepatch_shadow_fix1", livepatchShadowFix1],
  ["livepatch_shadow_fix2", livepatchShadowFix2],
]);

/** Every built-in module's name: written as source (BUILTIN_SOURCES) or host-side. */
export const BUILTIN_MODULE_NAMES: ReadonlySet<string> = new Set([
  ...BUILTIN_SOURCES.keys(),
  ...BUILTIN_MODULES.keys(),
]);

/** The repository: `livepatch-sample` and `livepatch_sample` name the same module. */
export const builtinModules: ModuleRepository = (name, m) => {
  const n = name.replace(/-/g, "_");
  return sandboxedBuiltin(n, m) ?? BUILTIN_MODULES.get(n)?.();
};

/** User programs the selftests run. */
export const BUILTIN_PROGRAMS: ReadonlyMap<string, UserProgram> = new Map([
  ["test_klp-call_getpid", callGetpidProgram],
]);
