// types.ts: the livepatch core's own view of a patch (the internal fields of struct klp_patch,
// klp_object and klp_func in include/linux/livepatch.h).
import type { LoadedModule } from "../machine/module.ts";
import type { KlpCallbacks, KlpStateDef } from "./api.ts";

export interface KlpFunc {
  oldName: string;
  /** Name of the replacement in the livepatch module; null for a nop. */
  newName: string | null;
  /** old_sympos as given (0: unique). */
  sympos: number;
  nop: boolean;
  /** Resolved function ids, -1 while the object is not loaded. */
  oldFunc: number;
  newFunc: number;
  /** The core's klp_func entry, -1 while the object is not loaded. */
  entry: number;
  /** func->transition (kept here for objects that load during a transition). */
  transition: boolean;
}

export interface KlpObject {
  /** null: vmlinux. */
  name: string | null;
  funcs: KlpFunc[];
  callbacks: KlpCallbacks;
  /** obj->mod: the target module once loaded (klp_alive), null for vmlinux and unloaded modules. */
  mod: LoadedModule | null;
  /** Allocated only to hold nops of an atomic replace. */
  dynamic: boolean;
  patched: boolean;
  /** callbacks.post_unpatch_enabled. */
  postUnpatchEnabled: boolean;
}

export interface KlpPatch {
  /** The core's patch id (klp_func entries carry it). */
  id: number;
  name: string;
  mod: LoadedModule;
  objs: KlpObject[];
  states: KlpStateDef[];
  replace: boolean;
  enabled: boolean;
  forced: boolean;
  /**
   * callbacks.pre_patch_succeeded of each state: the kernel keeps it in the state struct, which is
   * fresh module data at every load; a ModuleDef here may be loaded again, so it lives per patch.
   */
  statesSucceeded?: Set<KlpStateDef>;
}

/** klp_is_object_loaded(): vmlinux always, a module once klp_module_coming saw it. */
export function objectLoaded(obj: KlpObject): boolean {
  return obj.name === null || obj.mod !== null;
}

/** The name livepatch prints for an object. */
export function objName(obj: KlpObject): string {
  return obj.name ?? "vmlinux";
}

/** KLP_TRANSITION_* values. */
export const KLP_IDLE = -1;
export const KLP_UNPATCHED = 0;
export const KLP_PATCHED = 1;
