// index.ts: the built-in modules, by name (the repository insmod and modprobe read from), and the
// selftests' user programs. Each semantics has its own tree's modules (tree-sources.ts):
// mainline's test_modules and samples, and the proposed series' (pmladek/linux), where the
// per-object callback modules are gone, the speaker modules are new and test_klp_state* use
// per-state callbacks. Built-ins are module source run in the sandbox (sandboxed.ts); the
// proposed tree's modules not yet written as source are host-side ModuleDefs.
import type { ModuleRepository, UserProgram } from "../engine/machine/commands.ts";
import type { Semantics } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import { callGetpidProgram } from "./call-getpid.ts";
import { sandboxedBuiltin } from "./sandboxed.ts";
import { livepatchSpeakerMod, testKlpSpeaker, testKlpSpeaker2 } from "./speaker.ts";
import {
  livepatchSpeakerFix,
  testKlpSpeakerLivepatch,
  testKlpSpeakerLivepatch2,
} from "./speaker-livepatch.ts";
import { treeSources } from "./tree-sources.ts";

type Factories = ReadonlyMap<string, () => ModuleDef>;

/**
 * The proposed series' own modules still host-side (a fresh definition per load: modules keep
 * private state); pmladek/linux test_modules/Makefile and samples/livepatch/Makefile at the end
 * of the series.
 */
const PROPOSED_HOST_MODULES: Factories = new Map([
  ["test_klp_speaker", testKlpSpeaker],
  ["test_klp_speaker2", testKlpSpeaker2],
  ["test_klp_speaker_livepatch", testKlpSpeakerLivepatch],
  ["test_klp_speaker_livepatch2", testKlpSpeakerLivepatch2],
  ["livepatch_speaker_mod", livepatchSpeakerMod],
  ["livepatch_speaker_fix", livepatchSpeakerFix],
]);

/** One tree's built-ins: its module sources by name and its host-side factories. */
export interface ModuleTree {
  /** Every module the tree offers. */
  names: ReadonlySet<string>;
  /** The tree's modules written as source, by name (treeSources). */
  sources: ReadonlyMap<string, string>;
  host: Factories;
}

function tree(semantics: Semantics, host: Factories): ModuleTree {
  const sources = treeSources(semantics);
  return { names: new Set([...sources.keys(), ...host.keys()]), sources, host };
}

const MAINLINE = tree("mainline", new Map());
const PROPOSED = tree("proposed", PROPOSED_HOST_MODULES);

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
  const t = moduleTree(semantics);
  return (name, m) => {
    const n = name.replace(/-/g, "_");
    const host = t.host.get(n);
    if (host) return host();
    return t.sources.has(n) ? sandboxedBuiltin(n, m, t.sources) : undefined;
  };
}

/** Mainline's repository. */
export const builtinModules: ModuleRepository = moduleRepository("mainline");

/** User programs the selftests run. */
export const BUILTIN_PROGRAMS: ReadonlyMap<string, UserProgram> = new Map([
  ["test_klp-call_getpid", callGetpidProgram],
]);
