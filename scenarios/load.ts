// load.ts: what every consumer calls: text or a parsed value to a scenario this build can run
// (schema, migration, built-in references).
import type { Result } from "../engine/result.ts";
import { checkBuiltins } from "./builtins.ts";
import type { Scenario } from "./schema.ts";
import { parseScenarioText, type ScenarioError, validateScenario } from "./validate.ts";

export function loadScenario(input: string | unknown): Result<Scenario, ScenarioError> {
  const r = typeof input === "string" ? parseScenarioText(input) : validateScenario(input);
  return r.ok ? checkBuiltins(r.value) : r;
}
