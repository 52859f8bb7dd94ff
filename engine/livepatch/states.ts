// states.ts: the proposed series' per-state model (pmladek/linux kernel/livepatch/state.c:
// klp_is_patch_compatible, klp_patch_disable_blocked, is_state_in_other_patches,
// klp_states_pre_patch, klp_states_post_patch, klp_states_pre_unpatch, klp_states_post_unpatch and
// the *_replaced helpers). State callbacks run only when a state id is introduced into the system
// or disappears from it; an is_shadow state's shadow variables are freed when it disappears.
import type { CallbackName } from "../events.ts";
import type { KlpPatchDef, KlpStateDef } from "./api.ts";
import type { Livepatch } from "./core.ts";
import type { KlpPatch } from "./types.ts";

/** callbacks.pre_patch_succeeded of the patch's states (KlpPatch.statesSucceeded). */
function okSet(patch: KlpPatch): Set<KlpStateDef> {
  return (patch.statesSucceeded ??= new Set());
}

/** Which callback each one closes: pre_patch <-> post_unpatch, post_patch <-> pre_unpatch. */
const PAIRS: Record<CallbackName, CallbackName | null> = {
  pre_patch: null,
  post_patch: null,
  pre_unpatch: "post_patch",
  post_unpatch: "pre_patch",
};

/** Emits the callback event (the callback prints its own log lines, if any). */
function note(lp: Livepatch, p: KlpPatch, s: KlpStateDef, cb: CallbackName): void {
  lp.m.events.emit({
    kind: "callback",
    patch: p.name,
    object: `state ${s.id}`,
    callback: cb,
    pairsWith: PAIRS[cb],
    state: s.id,
  });
}

/**
 * klp_is_patch_compatible (proposed): a non-replace patch always is; a replace patch must carry
 * every installed state that has block_disable (the others their own patches can tear down).
 */
export function isPatchCompatibleProposed(lp: Livepatch, def: KlpPatchDef): boolean {
  if (!def.replace) return true;
  for (const old of lp.patches)
    for (const s of old.states)
      if (s.block_disable && !(def.states ?? []).some((n) => n.id === s.id)) return false;
  return true;
}

/** klp_patch_disable_blocked: any state of the patch has block_disable. */
export function patchDisableBlocked(patch: KlpPatch): boolean {
  return patch.states.some((s) => s.block_disable === true);
}

/** is_state_in_other_patches: another patch on klp_patches carries the id (any transition). */
function inOtherPatches(lp: Livepatch, patch: KlpPatch, s: KlpStateDef): boolean {
  return lp.patches.some((p) => p !== patch && p.states.some((o) => o.id === s.id));
}

/**
 * klp_states_pre_patch: pre_patch of each state the patch introduces, in array order; the first
 * failure stops the loop (that state and later ones stay not-succeeded). @returns 0 or its error.
 */
export function statesPrePatch(lp: Livepatch, patch: KlpPatch): number {
  for (const s of patch.states) {
    const cb = s.callbacks?.pre_patch;
    if (cb && !inOtherPatches(lp, patch, s)) {
      note(lp, patch, s, "pre_patch");
      const err = cb({ name: patch.name }, s);
      if (err) return err;
    }
    okSet(patch).add(s);
  }
  return 0;
}

/** klp_states_post_patch: post_patch of each state no other patch carries. */
export function statesPostPatch(lp: Livepatch, patch: KlpPatch): void {
  for (const s of patch.states) {
    if (inOtherPatches(lp, patch, s) || !s.callbacks?.post_patch) continue;
    note(lp, patch, s, "post_patch");
    s.callbacks.post_patch({ name: patch.name }, s);
  }
}

/** klp_states_pre_unpatch: pre_unpatch of each state no other patch carries. */
export function statesPreUnpatch(lp: Livepatch, patch: KlpPatch): void {
  for (const s of patch.states) {
    if (inOtherPatches(lp, patch, s) || !s.callbacks?.pre_unpatch) continue;
    note(lp, patch, s, "pre_unpatch");
    s.callbacks.pre_unpatch({ name: patch.name }, s);
  }
}

/**
 * klp_states_post_unpatch: for each state no other patch carries whose pre_patch succeeded:
 * post_unpatch, then (is_shadow) klp_shadow_free_all(id, shadow_dtor), then the flag clears.
 */
export function statesPostUnpatch(lp: Livepatch, patch: KlpPatch): void {
  for (const s of patch.states) {
    if (inOtherPatches(lp, patch, s) || !okSet(patch).has(s)) continue;
    if (s.callbacks?.post_unpatch) {
      note(lp, patch, s, "post_unpatch");
      s.callbacks.post_unpatch({ name: patch.name }, s);
    }
    if (s.is_shadow) lp.shadow.freeAll(s.id, s.callbacks?.shadow_dtor);
    okSet(patch).delete(s);
  }
}

/** The patches on klp_patches other than `patch` (all of them, older and newer alike). */
function others(lp: Livepatch, patch: KlpPatch): KlpPatch[] {
  return lp.patches.filter((p) => p !== patch);
}

/**
 * klp_states_pre_unpatch_replaced: at a replace patch's enable, every other patch tears down the
 * states the new one drops (its own callbacks); WARN_ON if the flag was left set.
 */
export function statesPreUnpatchReplaced(lp: Livepatch, patch: KlpPatch): void {
  if (lp.statesPreUnpatchReplacedCalled)
    lp.warnOn("klp_states_pre_unpatch_replaced", "kernel/livepatch/state.c");
  for (const old of others(lp, patch)) statesPreUnpatch(lp, old);
  lp.statesPreUnpatchReplacedCalled = true;
}

/**
 * klp_states_post_unpatch_replaced: at a replace patch's PATCHED completion, post_unpatch of
 * every other patch (literally all of them, see spec §10.4), and the flag clears.
 */
export function statesPostUnpatchReplaced(lp: Livepatch, patch: KlpPatch): void {
  for (const old of others(lp, patch)) statesPostUnpatch(lp, old);
  lp.statesPreUnpatchReplacedCalled = false;
}

/**
 * klp_states_post_patch_replaced: a replace reversed or cancelled after pre_unpatch_replaced ran
 * re-enables the other patches' states (post_patch again); nothing if it never ran.
 */
export function statesPostPatchReplaced(lp: Livepatch, patch: KlpPatch): void {
  if (!lp.statesPreUnpatchReplacedCalled) return;
  for (const old of others(lp, patch)) statesPostPatch(lp, old);
  lp.statesPreUnpatchReplacedCalled = false;
}
