// compare.ts: one scenario run under two configurations (mainline against proposed semantics, or
// x86_64 against arm64) and the divergences between the two runs. The runner is passed in so that
// this stays free of Node and of any particular set of built-in modules.
import type { Scenario } from "../../scenarios/schema.ts";
import type { Problem } from "../../scenarios/validate.ts";
import { err, ok, type Result } from "../result.ts";
import type { ScenarioRun } from "../scenario/run.ts";
import { divergences, type Divergence } from "./divergence.ts";

/** What a side overrides of the scenario's own choices. */
export interface Configuration {
  semantics?: Scenario["semantics"];
  arch?: Scenario["arch"];
}

export type ScenarioRunner = (
  s: Scenario,
  over: Configuration,
) => Promise<Result<ScenarioRun, Problem[]>>;

export interface Comparison {
  a: ScenarioRun;
  b: ScenarioRun;
  divergences: Divergence[];
}

/** Runs `s` as configured by `a` and by `b`; a problem of either run is the result's error. */
export async function compareScenario(
  s: Scenario,
  a: Configuration,
  b: Configuration,
  run: ScenarioRunner,
): Promise<Result<Comparison, { side: "a" | "b"; problems: Problem[] }>> {
  const ra = await run(s, a);
  if (!ra.ok) return err({ side: "a", problems: ra.error });
  const rb = await run(s, b);
  if (!rb.ok) return err({ side: "b", problems: rb.error });
  return ok({ a: ra.value, b: rb.value, divergences: divergences(ra.value, rb.value) });
}
