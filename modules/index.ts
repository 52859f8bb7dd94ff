// index.ts: the built-in modules, by name (the repository insmod and modprobe read from), and the
// selftests' user programs. Each semantics has its own tree's modules: mainline's test_modules and
// samples, and the proposed series' (pmladek/linux), where the per-object callback modules are
// gone, the speaker modules are new and test_klp_state* use per-state callbacks.
import type { ModuleRepository, UserProgram } from "../engine/machine/commands.ts";
import type { Semantics } from "../engine/machine/machine.ts";
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
import { livepatchSpeakerMod, testKlpSpeaker, testKlpSpeaker2 } from "./speaker.ts";
import {
  livepatchSpeakerFix,
  testKlpSpeakerLivepatch,
  testKlpSpeakerLivepatch2,
} from "./speaker-livepatch.ts";
import { testKlpState, testKlpState2, testKlpState3 } from "./state.ts";
import {
  testKlpState2Proposed,
  testKlpState3Proposed,
  testKlpStateProposed,
} from "./state-proposed.ts";

type Factories = ReadonlyMap<string, () => ModuleDef>;

/**
 * Mainline's module factories by module name (a fresh definition per load: modules keep private
 * state).
 */
export const BUILTIN_MODULES: Factories = new Map([
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

/**
 * Modules the proposed series leaves alone. Its base (6.13-rc7) predates test_klp_mod_target and
 * _mod_patch, but differences between the trees that the series does not cause follow mainline
 * (issue 3), so the proposed machine offers them too.
 */
const UNCHANGED = [
  "test_klp_livepatch",
  "test_klp_atomic_replace",
  "test_klp_syscall",
  "test_klp_kprobe",
  "test_klp_shadow_vars",
  "test_klp_mod_target",
  "test_klp_mod_patch",
  "livepatch_sample",
  "livepatch_shadow_mod",
  "livepatch_shadow_fix1",
  "livepatch_shadow_fix2",
];

/**
 * The proposed series' module factories (pmladek/linux test_modules/Makefile and
 * samples/livepatch/Makefile at the end of the series).
 */
export const PROPOSED_MODULES: Factories = new Map([
  ...UNCHANGED.map((n): [string, () => ModuleDef] => [n, BUILTIN_MODULES.get(n)!]),
  ["test_klp_speaker", testKlpSpeaker],
  ["test_klp_speaker2", testKlpSpeaker2],
  ["test_klp_speaker_livepatch", testKlpSpeakerLivepatch],
  ["test_klp_speaker_livepatch2", testKlpSpeakerLivepatch2],
  ["test_klp_state", testKlpStateProposed],
  ["test_klp_state2", testKlpState2Proposed],
  ["test_klp_state3", testKlpState3Proposed],
  ["livepatch_speaker_mod", livepatchSpeakerMod],
  ["livepatch_speaker_fix", livepatchSpeakerFix],
]);

/** The module factories of the tree a machine with `semantics` runs. */
export function modulesOf(semantics: Semantics): Factories {
  return semantics === "proposed" ? PROPOSED_MODULES : BUILTIN_MODULES;
}

/** The repository for `semantics`: `livepatch-sample` and `livepatch_sample` name one module. */
export function moduleRepository(semantics: Semantics): ModuleRepository {
  const mods = modulesOf(semantics);
  return (name) => mods.get(name.replace(/-/g, "_"))?.();
}

/** Mainline's repository. */
export const builtinModules: ModuleRepository = moduleRepository("mainline");

/** User programs the selftests run. */
export const BUILTIN_PROGRAMS: ReadonlyMap<string, UserProgram> = new Map([
  ["test_klp-call_getpid", callGetpidProgram],
]);
