// modules.ts: target modules coming and going (kernel/livepatch/core.c: klp_module_coming,
// klp_module_going, klp_cleanup_module_patches_limited). Patches are applied oldest first, so the
// newest ends on top of every func_stack; a patch in transition gets its funcs with transition set.
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import { LogLevel } from "../log.ts";
import type { LoadedModule } from "../machine/module.ts";
import {
  postPatchCallback,
  postUnpatchCallback,
  prePatchCallback,
  preUnpatchCallback,
} from "./callbacks.ts";
import type { Livepatch } from "./core.ts";
import { freeObjectLoaded, initObjectLoaded } from "./init.ts";
import { patchObject, unpatchObject } from "./patch.ts";
import type { KlpObject, KlpPatch } from "./types.ts";
import { KLP_MSG } from "./messages.ts";

function objectFor(patch: KlpPatch, mod: LoadedModule): KlpObject | undefined {
  return patch.objs.find((o) => o.name === mod.name);
}

/** Reverts `mod` from every patch before `limit` (all when null). */
function cleanupLimited(lp: Livepatch, mod: LoadedModule, limit: KlpPatch | null): void {
  for (const patch of lp.patches) {
    if (patch === limit) break;
    const obj = objectFor(patch, mod);
    if (!obj || !obj.mod) continue;
    if (patch !== lp.transitionPatch) preUnpatchCallback(lp, patch, obj);
    lp.notice(KLP_MSG.revertingPatch, patch.name, mod.name);
    unpatchObject(lp, obj);
    postUnpatchCallback(lp, patch, obj);
    freeObjectLoaded(lp, obj);
  }
}

/** klp_module_coming(mod). @returns 0, or -errno and the module is refused. */
export function moduleComing(lp: Livepatch, mod: LoadedModule): number {
  if (mod.state !== "MODULE_STATE_COMING") {
    lp.warnOn("klp_module_coming: module not COMING");
    return -EINVAL;
  }
  if (mod.name === "vmlinux") {
    lp.pr(LogLevel.Err, KLP_MSG.vmlinuxModule);
    return -EINVAL;
  }
  mod.klpAlive = true;
  for (const patch of lp.patches) {
    const obj = objectFor(patch, mod);
    if (!obj) continue;
    obj.mod = mod;
    let rc = initObjectLoaded(lp, patch, obj);
    if (rc) {
      lp.pr(LogLevel.Warning, KLP_MSG.initForModuleFailed, patch.name, mod.name, rc);
      return comingFailed(lp, mod, patch, obj, rc);
    }
    lp.notice(KLP_MSG.applyingPatch, patch.name, mod.name);
    rc = prePatchCallback(lp, patch, obj);
    if (rc) {
      lp.pr(LogLevel.Warning, KLP_MSG.prePatchFailed, obj.name);
      return comingFailed(lp, mod, patch, obj, rc);
    }
    rc = patchObject(lp, obj);
    if (rc) {
      lp.pr(LogLevel.Warning, KLP_MSG.applyToModuleFailed, patch.name, mod.name, rc);
      postUnpatchCallback(lp, patch, obj);
      return comingFailed(lp, mod, patch, obj, rc);
    }
    if (patch !== lp.transitionPatch) postPatchCallback(lp, patch, obj);
  }
  return 0;
}

function comingFailed(
  lp: Livepatch,
  mod: LoadedModule,
  patch: KlpPatch,
  obj: KlpObject,
  rc: number,
): number {
  lp.pr(LogLevel.Warning, KLP_MSG.refusingModule, patch.name, mod.name, mod.name);
  mod.klpAlive = false;
  freeObjectLoaded(lp, obj);
  cleanupLimited(lp, mod, patch);
  return rc;
}

/** klp_module_going(mod): reverted from every patch, even mid-transition, without a stack check. */
export function moduleGoing(lp: Livepatch, mod: LoadedModule): void {
  if (mod.state !== "MODULE_STATE_GOING" && mod.state !== "MODULE_STATE_COMING") {
    lp.warnOn("klp_module_going: bad module state");
    return;
  }
  mod.klpAlive = false;
  cleanupLimited(lp, mod, null);
}
