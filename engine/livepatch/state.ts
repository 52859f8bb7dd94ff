// state.ts: mainline system-state compatibility and look-ups (kernel/livepatch/state.c:
// klp_is_patch_compatible, klp_get_state, klp_get_prev_state).
import type { KlpPatchDef, KlpStateDef } from "./api.ts";
import type { Livepatch } from "./core.ts";
import type { KlpPatch } from "./types.ts";

/**
 * klp_is_patch_compatible (mainline): every state of every installed patch must be carried by the
 * new patch with a version at least as high; a state may be dropped only by a non-replace patch.
 */
export function isPatchCompatible(lp: Livepatch, def: KlpPatchDef): boolean {
  for (const old of lp.patches) {
    for (const s of old.states) {
      const mine = (def.states ?? []).find((n) => n.id === s.id);
      if (!mine) {
        if (def.replace) return false;
        continue;
      }
      if ((mine.version ?? 0) < (s.version ?? 0)) return false;
    }
  }
  return true;
}

/** klp_get_state(patch, id). */
export function klpGetState(patch: KlpPatch, id: number): KlpStateDef | null {
  return patch.states.find((s) => s.id === id) ?? null;
}

/**
 * klp_get_prev_state(id): the newest state with `id` among the patches installed before the
 * transition patch; WARN_ON_ONCE and null outside a transition.
 */
export function klpGetPrevState(lp: Livepatch, id: number): KlpStateDef | null {
  const tp = lp.transitionPatch;
  if (!tp) {
    lp.warnOnce("klp_get_prev_state", "", "kernel/livepatch/state.c");
    return null;
  }
  let found: KlpStateDef | null = null;
  for (const p of lp.patches) {
    if (p === tp) break;
    found = klpGetState(p, id) ?? found;
  }
  return found;
}
