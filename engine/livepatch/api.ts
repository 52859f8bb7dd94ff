// api.ts: the livepatch API a module describes its patch with, data-shaped as in
// include/linux/livepatch.h (struct klp_patch, klp_object, klp_func, klp_callbacks, klp_state), so
// that a later slice can build the same objects from sandboxed module code.
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

/** struct klp_object: name null is vmlinux. */
export interface KlpObjectDef {
  name: string | null;
  funcs: KlpFuncDef[] | null;
  callbacks?: KlpCallbacks;
}

/** struct klp_state (mainline): id != 0, version, opaque data. */
export interface KlpStateDef {
  id: number;
  version: number;
  data?: unknown;
}

/** struct klp_patch; `mod` is the module that calls klp_enable_patch. */
export interface KlpPatchDef {
  objs: KlpObjectDef[] | null;
  states?: KlpStateDef[];
  replace?: boolean;
}
