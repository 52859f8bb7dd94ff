// init.ts: building a patch's internal objects (kernel/livepatch/core.c: klp_init_patch,
// klp_add_nops, klp_init_object, klp_init_func, klp_init_object_loaded, klp_find_object_symbol,
// klp_free_object_loaded, klp_free_objects).
import { EINVAL, ENOENT } from "../../core-wasm/bindings/index.ts";
import { LogLevel } from "../log.ts";
import type { KlpPatchDef } from "./api.ts";
import type { Livepatch } from "./core.ts";
import { addFuncDir, addObjectDir, addPatchDir } from "./sysfs.ts";
import type { KlpFunc, KlpObject, KlpPatch } from "./types.ts";
import { objectLoaded } from "./types.ts";
import { KLP_MSG } from "./messages.ts";

/** KSYM_NAME_LEN and MODULE_NAME_LEN on 64-bit. */
const KSYM_NAME_LEN = 512;
const MODULE_NAME_LEN = 56;

/**
 * The objects and funcs of `def` before init (klp_init_patch_early). The proposed series has no
 * per-object callbacks (19/19), so a proposed machine ignores any it is given.
 */
export function objectsFrom(def: KlpPatchDef, proposed = false): KlpObject[] {
  return (def.objs ?? []).map((o) => ({
    name: o.name,
    callbacks: proposed ? {} : (o.callbacks ?? {}),
    mod: null,
    dynamic: false,
    patched: false,
    postUnpatchEnabled: false,
    funcs: (o.funcs ?? []).map((f) => ({
      oldName: f.old_name as string,
      newName: f.new_func,
      sympos: f.old_sympos ?? 0,
      nop: false,
      oldFunc: -1,
      newFunc: -1,
      entry: -1,
      transition: false,
    })),
  }));
}

function nopFunc(old: KlpFunc): KlpFunc {
  return {
    ...old,
    newName: null,
    nop: true,
    oldFunc: -1,
    newFunc: -1,
    entry: -1,
    transition: false,
  };
}

/** klp_add_nops: a nop for every func of every installed patch that `patch` does not carry. */
function addNops(lp: Livepatch, patch: KlpPatch): void {
  for (const old of lp.patches) {
    for (const oldObj of old.objs) {
      let obj = patch.objs.find((o) => o.name === oldObj.name);
      if (!obj) {
        obj = {
          name: oldObj.name,
          funcs: [],
          callbacks: {},
          mod: null,
          dynamic: true,
          patched: false,
          postUnpatchEnabled: false,
        };
        patch.objs.push(obj);
      }
      for (const f of oldObj.funcs) {
        if (obj.funcs.some((n) => n.oldName === f.oldName && n.sympos === f.sympos)) continue;
        obj.funcs.push(nopFunc(f));
      }
    }
  }
}

/** klp_find_object_symbol: the sympos rules. @returns the function id or -EINVAL (printed). */
function findSymbol(lp: Livepatch, obj: KlpObject, name: string, sympos: number): number {
  const syms = obj.mod ? obj.mod.symbols : lp.m.vmlinux.symbols;
  let count = 0;
  let found = -1;
  for (const s of syms) {
    if (s.name !== name) continue;
    count++;
    found = s.id;
    if (sympos > 0 && count === sympos) break;
  }
  if (found < 0) lp.pr(LogLevel.Err, KLP_MSG.symbolNotFound, name);
  else if (count > 1 && sympos === 0) lp.pr(LogLevel.Err, KLP_MSG.symbolAmbiguous, name, obj.name);
  else if (sympos > 0 && count !== sympos)
    lp.pr(LogLevel.Err, KLP_MSG.symbolPosNotFound, sympos, name, obj.name ?? "vmlinux");
  else return found;
  return -EINVAL;
}

/** klp_init_object_loaded: resolve old_func, sizes, new_func of nops; create the core entries. */
export function initObjectLoaded(lp: Livepatch, patch: KlpPatch, obj: KlpObject): number {
  for (const f of obj.funcs) {
    const old = findSymbol(lp, obj, f.oldName, f.sympos);
    if (old < 0) return old;
    f.oldFunc = old;
    if (lp.m.core.text.funcSize(old) < 0) {
      lp.pr(LogLevel.Err, KLP_MSG.sizeLookupFailed, f.oldName);
      return -ENOENT;
    }
    f.newFunc = f.nop ? old : (patch.mod.symbols.find((s) => s.name === f.newName)?.id ?? -1);
    if (f.newFunc < 0 || lp.m.core.text.funcSize(f.newFunc) < 0) {
      lp.pr(LogLevel.Err, KLP_MSG.sizeLookupFailedNew, f.oldName);
      return -ENOENT;
    }
    const e = lp.m.core.ops.newFunc(patch.id, f.oldFunc, f.newFunc, f.nop);
    if (e < 0) return e;
    f.entry = e;
    if (f.transition) lp.m.core.ops.setTransition(e, true);
  }
  return 0;
}

/** klp_free_object_loaded: forget what was resolved (the object's funcs must be popped). */
export function freeObjectLoaded(lp: Livepatch, obj: KlpObject): void {
  obj.mod = null;
  for (const f of obj.funcs) {
    if (f.entry >= 0) lp.m.core.ops.freeFunc(f.entry);
    f.entry = -1;
    f.oldFunc = -1;
    f.newFunc = -1;
  }
}

/** klp_init_func: the checks on one func, and its sysfs directory. */
function initFunc(lp: Livepatch, patch: KlpPatch, obj: KlpObject, f: KlpFunc): number {
  if (typeof f.oldName !== "string") return -EINVAL;
  if (!f.nop && !f.newName) return -EINVAL;
  if (f.oldName.length >= KSYM_NAME_LEN) return -EINVAL;
  f.transition = false;
  addFuncDir(lp, patch, obj, f);
  return 0;
}

/** klp_init_object. */
function initObject(lp: Livepatch, patch: KlpPatch, obj: KlpObject): number {
  if (obj.name !== null && obj.name.length >= MODULE_NAME_LEN) return -EINVAL;
  obj.patched = false;
  obj.mod = null;
  if (obj.name !== null) {
    const mod = lp.m.modules.get(obj.name);
    if (mod?.klpAlive) obj.mod = mod;
  }
  addObjectDir(lp, patch, obj);
  for (const f of obj.funcs) {
    const rc = initFunc(lp, patch, obj, f);
    if (rc < 0) return rc;
  }
  return objectLoaded(obj) ? initObjectLoaded(lp, patch, obj) : 0;
}

/** klp_init_patch: sysfs, nops, objects; the patch joins klp_patches. @returns 0 or -errno. */
export function initPatch(lp: Livepatch, patch: KlpPatch): number {
  addPatchDir(lp, patch);
  if (patch.replace) addNops(lp, patch);
  for (const obj of patch.objs) {
    const rc = initObject(lp, patch, obj);
    if (rc < 0) return rc;
  }
  lp.patches.push(patch);
  return 0;
}
