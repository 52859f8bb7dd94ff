// legacy.ts: older versions of the format and how each becomes the next. Version 1 (the first
// draft files) had a flat script of shell lines, a prose `description`, one kernel path as a
// string, modules told apart by their fields, and a whole-log expectation. Migration is pure and
// total on a valid v1 document; the result is then validated as the current version.
import { z } from "zod";
import { CURRENT_VERSION, FORMAT } from "./schema.ts";

const v1Module = z.union([
  z.strictObject({ name: z.string(), builtin_sha256: z.string() }),
  z.strictObject({ name: z.string(), source: z.string() }),
]);

export const scenarioV1Schema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  title: z.string(),
  description: z.string(),
  /** "owner/repo:path[@commit]", e.g. "torvalds/linux:samples/livepatch/livepatch-sample.c". */
  kernel_ref: z.string().regex(/^[\w.-]+\/[\w.-]+:[^@]+(@[0-9a-f]{7,40})?$/),
  semantics: z.enum(["mainline", "proposed"]),
  arch: z.enum(["x86_64", "arm64"]),
  seed: z.number().optional(),
  modules: z.array(v1Module),
  script: z.array(z.string()),
  expected_log: z.array(z.string()).optional(),
});

export type ScenarioV1 = z.infer<typeof scenarioV1Schema>;

/** Version 1 to version 2 (an unvalidated v2 object: validate.ts checks it). */
export function migrateV1(v1: ScenarioV1): Record<string, unknown> {
  const [, repo = "", rest = ""] = /^([^:]+):(.*)$/.exec(v1.kernel_ref) ?? [];
  const [path, commit] = rest.split("@");
  return {
    format: FORMAT,
    version: 2,
    title: v1.title,
    teaches: v1.description,
    dramatises: [{ repo, path, ...(commit ? { commit } : {}) }],
    semantics: v1.semantics,
    arch: v1.arch,
    seed: v1.seed ?? 1,
    // v1 machines had the selftests' dynamic debug on.
    machine: { cpus: 2, tasks: [], livepatch_debug: true },
    modules: v1.modules.map((m) =>
      "source" in m
        ? { kind: "embedded", name: m.name, source: m.source }
        : { kind: "builtin", name: m.name, sha256: m.builtin_sha256 },
    ),
    // v1 ran the lines back to back; one step per line keeps each line's output apart.
    script: v1.script.map((run) => ({ run })),
    ...(v1.expected_log ? { expect: { filter: "kernel", log: v1.expected_log } } : {}),
  };
}

/** Each older version's schema and its step to the next version. */
export const MIGRATIONS: ReadonlyMap<
  number,
  { schema: z.ZodType; up: (v: never) => Record<string, unknown> }
> = new Map([[1, { schema: scenarioV1Schema, up: migrateV1 }]]);

// Migrations must reach the current version.
if (MIGRATIONS.size !== CURRENT_VERSION - 1) throw new Error("legacy.ts: a migration is missing");
