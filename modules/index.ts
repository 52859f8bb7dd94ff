// index.ts: the built-in modules, by name (the repository insmod and modprobe read from), and the
// selftests' user programs. Each semantics has its own tree's modules (tree-sources.ts):
// mainline's test_modules and samples, and the proposed series' (pmladek/linux), where the
// per-object callback modules are gone, the speaker modules are new and test_klp_state* use
// per-state callbacks. Every built-in is module source run in the sandbox (sandboxed.ts).
import type { ModuleRepository, UserProgram } from "../engine/machine/commands.ts";
import type { Semantics } from "../engine/machine/machine.ts";
import { callGetpidProgram } from "./call-getpid.ts";
import { sandboxedBuiltin } from "./sandboxed.ts";
import { treeSources } from "./tree-sources.ts";

/** One tree's built-ins: its module sources by name. */
export interface ModuleTree {
  /** Every module the tree offers. */
  names: ReadonlySet<string>;
  /** The tree's module sources, by name (treeSources). */
  sources: ReadonlyMap<string, string>;
}

function tree(semantics: Semantics): ModuleTree {
  const sources = treeSources(semantics);
  return { names: new Set(sources.keys()), sources };
}

const MAINLINE = tree("mainline");
const PROPOSED = tree("proposed");

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
    return t.sources.has(n) ? sandboxedBuiltin(n, m, t.sources) : undefined;
  };
}

/** Mainline's repository. */
export const builtinModules: ModuleRepository = moduleRepository("mainline");

/** User programs the selftests run. */
export const BUILTIN_PROGRAMS: ReadonlyMap<string, UserProgram> = new Map([
  ["test_klp-call_getpid", callGetpidProgram],
]);
