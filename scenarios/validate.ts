// validate.ts: the one validator of scenarios (CLI, loader, editor). Every problem comes back as a
// value, each a path and a plain message (`modules[2].source: ...`), never an exception: the input
// may be anything a user pasted or a link carried.
import type { z } from "zod";
import { err, ok, type Result } from "../engine/result.ts";
import { MIGRATIONS } from "./legacy.ts";
import { CURRENT_VERSION, FORMAT, type Scenario, scenarioSchema } from "./schema.ts";

/** Longest scenario text accepted (characters). */
export const MAX_SCENARIO_TEXT = 1_000_000;

export interface Problem {
  /** Where, as `modules[2].source`; "scenario" for the document itself. */
  path: string;
  message: string;
}

export type ScenarioErrorKind = "json" | "format" | "version" | "schema" | "builtin";

export interface ScenarioError {
  kind: ScenarioErrorKind;
  problems: Problem[];
}

/** `["modules", 2, "source"]` as `modules[2].source`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "scenario";
}

/** The problems as `path: message` lines. */
export function describeError(e: ScenarioError): string[] {
  return e.problems.map((p) => `${p.path}: ${p.message}`);
}

function fail(
  kind: ScenarioErrorKind,
  path: string,
  message: string,
): Result<never, ScenarioError> {
  return err({ kind, problems: [{ path, message }] });
}

function issues(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validates a parsed document: the format marker, the version (older ones migrate, newer ones are
 * refused), then the current schema. Built-in references are checked apart (builtins.ts), since
 * that needs this build's sources.
 */
export function validateScenario(value: unknown): Result<Scenario, ScenarioError> {
  if (!isRecord(value)) return fail("format", "scenario", "a scenario is a JSON object");
  if (value.format !== FORMAT)
    return fail("format", "format", `not a scenario (expected "format": "${FORMAT}")`);
  let doc: unknown = value;
  let version = value.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    return fail("version", "version", "a scenario version is a positive integer");
  if (version > CURRENT_VERSION)
    return fail(
      "version",
      "version",
      `version ${version} is newer than this playground reads (up to ${CURRENT_VERSION}); open it with a newer playground`,
    );
  while (version < CURRENT_VERSION) {
    const step = MIGRATIONS.get(version);
    if (!step) return fail("version", "version", `no migration from version ${version}`);
    const old = step.schema.safeParse(doc);
    if (!old.success) {
      const problems = issues(old.error).map((p) => ({
        ...p,
        message: `${p.message} (version ${version} file)`,
      }));
      return err({ kind: "schema", problems });
    }
    doc = step.up(old.data as never);
    version++;
  }
  const r = scenarioSchema.safeParse(doc);
  return r.success ? ok(r.data) : err({ kind: "schema", problems: issues(r.error) });
}

/** Parses and validates scenario text (a file's content). */
export function parseScenarioText(text: string): Result<Scenario, ScenarioError> {
  if (text.length > MAX_SCENARIO_TEXT)
    return fail("json", "scenario", `longer than ${MAX_SCENARIO_TEXT} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail("json", "scenario", `not JSON (${(e as Error).message})`);
  }
  return validateScenario(value);
}

/** The canonical text of a scenario: two-space JSON with a final newline (files and diffs). */
export function scenarioText(s: Scenario): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
