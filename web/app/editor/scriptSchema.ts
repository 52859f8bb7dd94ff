// scriptSchema.ts: the script editor's JSON Schema, derived from the scenario's zod schema (the
// one the validator uses), so that Monaco's JSON service completes, describes and checks a step as
// one types. What JSON Schema cannot say (a step's times in order) only the validator checks, on
// Apply. Part of the editor's lazy chunk.
import { z } from "zod";
import { scenarioSchema } from "../../../scenarios/schema.ts";
import { monaco } from "./monaco.ts";

/** The script model's URI; the schema applies to it alone. */
export const SCRIPT_URI = "file:///scenario/script.json";

// The schema file's own comments, for hover and completion (zod's JSON Schema has none).
const STEP_DOCS: Record<string, string> = {
  at_ms: "Virtual time (ms since boot) the step starts at; later if the step before ran past it.",
  run: "Shell text run as one script (the selftests' helpers are defined).",
  note: "A short caption for the timeline and the editor.",
};

/** The JSON Schema of `script`, step properties described. */
export function scriptJsonSchema(): Record<string, unknown> {
  const s = z.toJSONSchema(scenarioSchema.shape.script, {
    target: "draft-7",
    unrepresentable: "any",
  }) as { items?: { properties?: Record<string, Record<string, unknown>> } };
  for (const [k, p] of Object.entries(s.items?.properties ?? {}))
    if (STEP_DOCS[k]) p.description = STEP_DOCS[k];
  return s as Record<string, unknown>;
}

let configured = false;

/** Feeds the schema to Monaco's JSON service once. */
export function configureScriptSchema(): void {
  if (configured) return;
  configured = true;
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    schemas: [
      {
        uri: "https://klp-playground.invalid/scenario-script.schema.json",
        fileMatch: [SCRIPT_URI],
        schema: scriptJsonSchema(),
      },
    ],
  });
}
