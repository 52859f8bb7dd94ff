// node-run.ts: runScenario with this build's built-ins, programs and helper library, the core read
// from disk (Node only: the CLI, the scenario generator and the tests).
import { readFileSync } from "node:fs";
import { runScenario, type RunOptions } from "../engine/scenario/run.ts";
import { builtinRunOptions } from "../modules/scenario-options.ts";
import type { Scenario } from "../scenarios/schema.ts";

let core: Uint8Array | null = null;

export function coreWasm(): Uint8Array {
  core ??= new Uint8Array(readFileSync(new URL("../core-wasm/build/core.wasm", import.meta.url)));
  return core;
}

export function runInNode(s: Scenario, over: Partial<Pick<RunOptions, "semantics" | "arch">> = {}) {
  return runScenario(s, { ...builtinRunOptions(coreWasm()), ...over });
}
