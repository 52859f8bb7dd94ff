// scenario-options.ts: what runScenario needs from this build (the built-in modules, the
// selftests' user programs and helper library), for any host: the CLI reads the core from disk,
// a Worker fetches it.
import type { CoreSource } from "../core-wasm/bindings/index.ts";
import type { RunOptions } from "../engine/scenario/run.ts";
import { BUILTIN_PROGRAMS, moduleRepository, moduleTree } from "./index.ts";
import { SELFTEST_LIB } from "./selftest-lib.ts";
import { builtinHash } from "../scenarios/builtins.ts";

/** Everything runScenario needs from this build but the core (a session's environment). */
export function builtinEnv(): Omit<RunOptions, "core"> {
  return {
    builtins: (semantics) => {
      const tree = moduleTree(semantics);
      return {
        names: tree.names,
        repository: moduleRepository(semantics),
        sha256: (name) => builtinHash(name, tree.sources),
      };
    },
    programs: BUILTIN_PROGRAMS,
    prelude: SELFTEST_LIB,
  };
}

export function builtinRunOptions(core: CoreSource): RunOptions {
  return { core, ...builtinEnv() };
}
