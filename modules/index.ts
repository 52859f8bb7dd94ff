// index.ts: the built-in modules, by name (the repository insmod and modprobe read from), and the
// selftests' user programs. Each semantics has its own tree's modules: mainline's test_modules and
// samples, and the proposed series' (pmladek/linux), where the per-object callback modules are
// gone, the speaker modules are new and test_klp_state* use per-state callbacks. Mainline's
// built-ins are written as module source (modules/src/, run in the sandbox: sandboxed.ts); the
// proposed tree's own modules are still host-side ModuleDefs.
import type { ModuleRepository, UserProgram } from "../engine/machine/commands.ts";
import type { Semantics } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import { callGetpidProgram } from "./call-getpid.ts";
import { sandboxedBuiltin } from "./sandboxed.ts";
import { BUILTIN_SOURCES } from "./sources.ts";
import { livepatchSpeakerMod, testKlpSpeaker, testKlpSpeaker2 } from "./speaker.ts";
import {
  livepatchSpeakerFix,
  testKlpSpeakerLivepatch,
  testKlpSpeakerLivepatch2,
} from "./speaker-livepatch.ts";
import {
  testKlpState2Proposed,
  testKlpState3Proposed,
  testKlpStateProposed,
} from "./state-proposed.ts";

type Factories = ReadonlyMap<string, () => ModuleDef>;

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
 * The proposed series' own modules, host-side (a fresh definition per load: modules keep private
 * state); pmladek/linux test_modules/Makefile and samples/livepatch/Makefile at the end of the
 * series.
 */
export const PROPOSED_HOST_MODULES: Factories = new Map([
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

/** One tree's built-ins: the names of its module sources and its host-side factories. */
export interface ModuleTree {
  /** Every module the tree offers. */
  names: ReadonlySet<string>;
  /** Modules written as source (BUILTIN_SOURCES) that the tree offers. */
  sources: ReadonlySet<string>;
  host: Factories;
}

const MAINLINE: ModuleTree = {
  names: new Set(BUILTIN_SOURCES.keys()),
  sources: new Set(BUILTIN_SOURCES.keys()),
  host: new Map(),
};

const PROPOSED: ModuleTree = {
  names: new Set([...UNCHANGED, ...PROPOSED_HOST_MODULES.keys()]),
  sources: new Set(UNCHANGED),
  host: PROPOSED_HOST_MODULES,
};

/** The built-ins of the tree a machine with `semantics` runs. */
export function moduleTree(semantics: Semantics): ModuleTree {
  return semantics === "proposed" ? PROPOSED : MAINLINE;
}

/** Every built-in module's name, of either tree (the names engine/ must never mention). */
export const BUILTIN_MODULE_NAMES: ReadonlySet<string> = new Set([
  ...MAINLINE.names,
  ...PROPOSED.names,
]);

/** The repository for `semantics`: `livepatch-sample` and `livepatch_sample` name one module. */
export function moduleRepository(semantics: Semantics): ModuleRepository {
  const tree = moduleTree(semantics);
  return (name, m) => {
    const n = name.replace(/-/g, "_");
    // Host-side first: the proposed tree's test_klp_state* are not mainline's sources.
    const host = tree.host.get(n);
    if (host) return host();
    return tree.sources.has(n) ? sandboxedBuiltin(n, m) : undefined;
  };
}

/** Mainline's repository. */
export const builtinModules: ModuleRepository = moduleRepository("mainline");

/** User programs the selftests run. */
export const BUILTIN_PROGRAMS: ReadonlyMap<string, UserProgram> = new Map([
  ["test_klp-call_getpid", callGetpidProgram],
]);
