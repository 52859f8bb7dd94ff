// api.ts: the livepatch API a module describes its patch with, data-shaped as in
// include/linux/livepatch.h (struct klp_patch, klp_object, klp_func, klp_callbacks, klp_state), so
// that a later slice can build the same objects from sandboxed module code.
import type { ShadowDtor } from "../../core-wasm/bindings/shadow.ts";
import type { ModuleState } from "../machine/module.ts";

/** struct klp_func: `new_func` names a function of the livepatch module (null: invalid). */
export interface KlpFuncDef {
  old_name: string | null;
  new_func: string | null;
  /** 0: the name must be unique in the object; N: its N-th occurrence. */
  old_sympos?: number;
}

/** What a callback sees of its klp_object: its name and obj->mod (null for vmlinux). */
export interface KlpObjectView {
  name: string | null;
  mod: { name: string; state: ModuleState } | null;
}

/** struct klp_callbacks (mainline, per object). pre_patch returns 0 or -errno. */
export interface KlpCallbacks {
  pre_patch?: (obj: KlpObjectView) => number;
  post_patch?: (obj: KlpObjectView) => void;
  pre_unpatch?: (obj: KlpObjectView) => void;
  post_unpatch?: (obj: KlpObjectView) => void;
}

/** struct klp_object: name null is vmlinux. `callbacks` exist in mainline only (19/19). */
export interface KlpObjectDef {
  name: string | null;
  funcs: KlpFuncDef[] | null;
  callbacks?: KlpCallbacks;
}

/** What a state callback sees of its klp_patch (proposed): the livepatch module's name. */
export interface KlpPatchView {
  name: string;
}

/**
 * struct klp_state_callbacks (proposed series): pre_patch returns 0 or -errno; shadow_dtor is
 * used when the state's shadow variables are freed (is_shadow).
 */
export interface KlpStateCallbacks {
  pre_patch?: (patch: KlpPatchView, state: KlpStateDef) => number;
  post_patch?: (patch: KlpPatchView, state: KlpStateDef) => void;
  pre_unpatch?: (patch: KlpPatchView, state: KlpStateDef) => void;
  post_unpatch?: (patch: KlpPatchView, state: KlpStateDef) => void;
  shadow_dtor?: ShadowDtor;
}

/**
 * struct klp_state, either model: id != 0 in both; mainline uses `version` (missing reads as 0)
 * and opaque `data`; the proposed series uses `callbacks`, `block_disable` and `is_shadow`.
 * Each machine reads only the fields of its own model.
 */
export interface KlpStateDef {
  id: number;
  version?: number;
  data?: unknown;
  callbacks?: KlpStateCallbacks;
  block_disable?: boolean;
  is_shadow?: boolean;
}

/** struct klp_patch; `mod` is the module that calls klp_enable_patch. */
export interface KlpPatchDef {
  objs: KlpObjectDef[] | null;
  states?: KlpStateDef[];
  replace?: boolean;
}
