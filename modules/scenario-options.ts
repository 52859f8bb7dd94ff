// scenario-options.ts: what runScenario needs from this build (the built-in modules, the
// selftests' user programs and helper library), for any host: the CLI reads the core from disk,
// a Worker fetches it.
import type { CoreSource } from "../core-wasm/bindings/index.ts";
import type { RunOptions } from "../engine/scenario/run.ts";
import { BUILTIN_PROGRAMS, moduleRepository, moduleTree } from "./index.ts";
import { SELFTEST_LIB } from "./selftest-lib.ts";

export function builtinRunOptions(core: CoreSource): RunOptions {
  return {
    core,
    builtins: (semantics) => ({
      names: moduleTree(semantics).names,
      repository: moduleRepository(semantics),
    }),
    programs: BUILTIN_PROGRAMS,
    prelude: SELFTEST_LIB,
  };
}
