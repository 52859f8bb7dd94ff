// callbacks.ts: the mainline per-object callbacks and their gating (kernel/livepatch/core.h:
// klp_pre_patch_callback, klp_post_patch_callback, klp_pre_unpatch_callback,
// klp_post_unpatch_callback). pre_patch <-> post_unpatch and post_patch <-> pre_unpatch pair up.
import type { CallbackName } from "../events.ts";
import type { KlpObjectView } from "./api.ts";
import type { Livepatch } from "./core.ts";
import type { KlpObject, KlpPatch } from "./types.ts";
import { objName } from "./types.ts";

function view(obj: KlpObject): KlpObjectView {
  return { name: obj.name, mod: obj.mod ? { name: obj.mod.name, state: obj.mod.state } : null };
}

/** Which callback each one closes: pre_patch <-> post_unpatch, post_patch <-> pre_unpatch. */
const PAIRS: Record<CallbackName, CallbackName | null> = {
  pre_patch: null,
  post_patch: null,
  pre_unpatch: "post_patch",
  post_unpatch: "pre_patch",
};

function note(lp: Livepatch, p: KlpPatch, obj: KlpObject, cb: CallbackName): void {
  lp.m.events.emit({
    kind: "callback",
    patch: p.name,
    object: objName(obj),
    callback: cb,
    pairsWith: PAIRS[cb],
  });
}

/** klp_pre_patch_callback: its result gates post_unpatch. @returns 0 or the callback's error. */
export function prePatchCallback(lp: Livepatch, p: KlpPatch, obj: KlpObject): number {
  let ret = 0;
  if (obj.callbacks.pre_patch) {
    note(lp, p, obj, "pre_patch");
    ret = obj.callbacks.pre_patch(view(obj));
  }
  obj.postUnpatchEnabled = ret === 0;
  return ret;
}

/** klp_post_patch_callback: not gated. */
export function postPatchCallback(lp: Livepatch, p: KlpPatch, obj: KlpObject): void {
  if (!obj.callbacks.post_patch) return;
  note(lp, p, obj, "post_patch");
  obj.callbacks.post_patch(view(obj));
}

/** klp_pre_unpatch_callback: not gated (callers decide). */
export function preUnpatchCallback(lp: Livepatch, p: KlpPatch, obj: KlpObject): void {
  if (!obj.callbacks.pre_unpatch) return;
  note(lp, p, obj, "pre_unpatch");
  obj.callbacks.pre_unpatch(view(obj));
}

/** klp_post_unpatch_callback: only after a successful pre_patch, at most once. */
export function postUnpatchCallback(lp: Livepatch, p: KlpPatch, obj: KlpObject): void {
  if (obj.postUnpatchEnabled && obj.callbacks.post_unpatch) {
    note(lp, p, obj, "post_unpatch");
    obj.callbacks.post_unpatch(view(obj));
  }
  obj.postUnpatchEnabled = false;
}
