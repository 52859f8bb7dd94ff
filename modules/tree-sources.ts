// tree-sources.ts: the module source of each tree's built-ins, by name: mainline's
// (BUILTIN_SOURCES), and the proposed series' (pmladek/linux): its own modules
// (PROPOSED_SOURCES, whose test_klp_state* share mainline's names but not their source) plus the
// mainline modules the series leaves alone. What the repository loads and what a scenario's
// built-in references are hashed against, per the scenario's semantics.
import type { Semantics } from "../engine/machine/machine.ts";
import { BUILTIN_SOURCES, PROPOSED_SOURCES } from "./sources.ts";

/**
 * Modules the proposed series leaves alone. Its base (6.13-rc7) predates test_klp_mod_target and
 * _mod_patch, but differences between the trees that the series does not cause follow mainline
 * (issue 3), so the proposed machine offers them too.
 */
export const PROPOSED_UNCHANGED: readonly string[] = [
  "test_klp_livepatch",
  "test_klp_atomic_replace",
  "test_klp_syscall",
  "test_klp_kprobe",
  "test_klp_shadow_vars",
  "test_klp_mod_target",
  "test_klp_mod_patch",
  "livepatch_sample",
  "livepatch_shadow_mod",
  "livepatch_shadow_fix1",
  "livepatch_shadow_fix2",
];

function unchanged(name: string): [string, string] {
  const src = BUILTIN_SOURCES.get(name);
  if (src === undefined) throw new Error(`tree-sources: mainline has no ${name}`);
  return [name, src];
}

/** The proposed tree's built-in sources: the unchanged mainline ones, then the series' own. */
const PROPOSED_TREE: ReadonlyMap<string, string> = new Map([
  ...PROPOSED_UNCHANGED.map(unchanged),
  ...PROPOSED_SOURCES,
]);

/** The built-in module sources of the tree a machine with `semantics` runs. */
export function treeSources(semantics: Semantics): ReadonlyMap<string, string> {
  return semantics === "proposed" ? PROPOSED_TREE : BUILTIN_SOURCES;
}
