// builtins.ts: built-in module references against this build's sources. A reference names a
// built-in and the SHA-256 of its source in the tree the scenario's semantics selects (a proposed
// scenario's test_klp_state is the series' source, not mainline's); when this build's source
// differs, the scenario is refused naming the module, never replayed with other code. Editing a
// built-in embeds it.
import type { Semantics } from "../engine/machine/machine.ts";
import { treeSources } from "../modules/tree-sources.ts";
import { err, ok, type Result } from "../engine/result.ts";
import { sha256Hex } from "./hash.ts";
import type { ModuleSpec, Scenario } from "./schema.ts";
import type { Problem, ScenarioError } from "./validate.ts";

/** The hash a reference to built-in `name` of `sources` must carry in this build, or null. */
export function builtinHash(name: string, sources: ReadonlyMap<string, string>): string | null {
  const src = sources.get(name);
  return src === undefined ? null : sha256Hex(src);
}

/** A reference to built-in `name` as this build's tree for `semantics` has it. */
export function builtinRef(name: string, semantics: Semantics = "mainline"): ModuleSpec | null {
  const sha256 = builtinHash(name, treeSources(semantics));
  return sha256 === null ? null : { kind: "builtin", name, sha256 };
}

/** Whether some tree of this build has built-in `name` with source hash `sha256`. */
function knownElsewhere(name: string, sha256: string): boolean {
  return (["mainline", "proposed"] as const).some(
    (t) => builtinHash(name, treeSources(t)) === sha256,
  );
}

/**
 * Checks every built-in reference against `sources` (by default the tree of the scenario's
 * semantics, or else any tree of this build whose source has the pinned hash: a scenario switched
 * to the other semantics keeps its modules' code); @returns the scenario or one problem per bad
 * reference.
 */
export function checkBuiltins(
  s: Scenario,
  sources?: ReadonlyMap<string, string>,
): Result<Scenario, ScenarioError> {
  const problems: Problem[] = [];
  s.modules.forEach((m, i) => {
    if (m.kind !== "builtin") return;
    if (!sources && knownElsewhere(m.name, m.sha256)) return;
    const want = builtinHash(m.name, sources ?? treeSources(s.semantics));
    if (want === null)
      problems.push({
        path: `modules[${i}].name`,
        message: `this build has no built-in module ${m.name}`,
      });
    else if (want !== m.sha256)
      problems.push({
        path: `modules[${i}].sha256`,
        message: `built-in module ${m.name} differs from this build's (scenario ${m.sha256.slice(0, 12)}, build ${want.slice(0, 12)}); open it with the build that wrote it, or embed the module's source`,
      });
  });
  return problems.length ? err({ kind: "builtin", problems }) : ok(s);
}

/**
 * The scenario with built-in `name` turned into an embedded module carrying `source` (what an
 * edit of a built-in does: the text no longer is the build's, so it must travel).
 */
export function embedModule(s: Scenario, name: string, source: string): Scenario {
  return {
    ...s,
    modules: s.modules.map((m) => (m.name === name ? { kind: "embedded", name, source } : m)),
  };
}
