// patch.ts: func_stacks and the ftrace registration behind them (kernel/livepatch/patch.c:
// klp_patch_func, klp_unpatch_func, klp_patch_object, klp_unpatch_object). The first push for a
// function registers the klp ftrace ops: its entry site is patched through core.text (x86-64: a
// per-ops trampoline, installed with the int3 protocol; arm64: the CALL_OPS literal and a bl to
// ftrace_caller), or, when the function tracer covers it too, the shared caller and
// &ftrace_list_ops (machine/ftrace-sites.ts). The last pop unregisters it: the site goes back to
// a NOP, or to what the tracer alone needs.
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import { LogLevel } from "../log.ts";
import { type FtraceOpsFlags, ftraceOf } from "../machine/ftrace.ts";
import type { SiteOps } from "../machine/ftrace-sites.ts";
import type { Livepatch } from "./core.ts";
import type { KlpFunc, KlpObject } from "./types.ts";
import { KLP_MSG } from "./messages.ts";

/**
 * arm64 CALL_OPS: the low word of &klp_ops->fops for `fn`'s klp_ops (kzalloc'ed by
 * klp_patch_func; the core puts it in the linear map, 0xffff0000_xxxxxxxx). fops follows the two
 * list_heads of struct klp_ops, hence +0x20. Deterministic per function, as the %p of shadow data.
 */
export function klpFopsToken(fn: number): number {
  return (0xc2000000 + fn * 0x100 + 0x20) >>> 0;
}

/** klp_ops' fops flags: FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT (among others). */
const KLP_FOPS: FtraceOpsFlags = { ipmodify: true, permanent: true };

/** register_ftrace_function for the klp_ops of `f.oldFunc`. @returns 0 or -errno (printed). */
function registerSite(lp: Livepatch, f: KlpFunc): number {
  const { text } = lp.m.core;
  if (text.siteAddr(f.oldFunc) === 0) {
    lp.pr(LogLevel.Err, KLP_MSG.noFtraceLocation, f.oldName);
    return -EINVAL;
  }
  const busy = ftraceOf(lp.m).register(f.oldFunc, KLP_FOPS);
  if (busy < 0) {
    lp.pr(LogLevel.Err, KLP_MSG.registerFailed, f.oldName, busy);
    return busy;
  }
  let tramp = 0;
  if (lp.m.arch === "x86_64") {
    tramp = text.trampAlloc();
    if (tramp < 0 && tramp >= -4095) {
      ftraceOf(lp.m).unregister(f.oldFunc, KLP_FOPS);
      return tramp;
    }
    lp.tramps.set(f.oldFunc, tramp);
  }
  // klp's fops sets FTRACE_OPS_FL_SAVE_REGS only without DYNAMIC_FTRACE_WITH_ARGS, which both
  // arches have: two ops on a site share ftrace_caller, not ftrace_regs_caller.
  const ops: SiteOps = { token: klpFopsToken(f.oldFunc), tramp, saveRegs: false };
  const rc = ftraceOf(lp.m).attach(f.oldFunc, ops);
  if (rc < 0) {
    lp.pr(LogLevel.Err, KLP_MSG.registerFailed, f.oldName, rc);
    releaseTramp(lp, f.oldFunc);
    ftraceOf(lp.m).unregister(f.oldFunc, KLP_FOPS);
  }
  return rc;
}

function releaseTramp(lp: Livepatch, fn: number): void {
  const t = lp.tramps.get(fn);
  if (t === undefined) return;
  lp.m.core.text.trampFree(t);
  lp.tramps.delete(fn);
}

/** unregister_ftrace_function: the site goes back to what is left, the trampoline is freed. */
function unregisterSite(lp: Livepatch, fn: number): void {
  const rc = ftraceOf(lp.m).detach(fn, klpFopsToken(fn));
  if (rc < 0) lp.warnOn(`unregister_ftrace_function failed (${rc})`);
  releaseTramp(lp, fn);
  ftraceOf(lp.m).unregister(fn, KLP_FOPS);
}

/** klp_patch_func. @returns 0 or -errno. */
export function patchFunc(lp: Livepatch, f: KlpFunc): number {
  if (f.entry < 0) return -EINVAL;
  const r = lp.m.core.ops.push(f.entry);
  if (r < 0) return r;
  if (r === 1) {
    const rc = registerSite(lp, f);
    if (rc < 0) {
      lp.m.core.ops.pop(f.entry);
      return rc;
    }
  }
  return 0;
}

/** klp_unpatch_func. */
export function unpatchFunc(lp: Livepatch, f: KlpFunc): void {
  if (f.entry < 0 || lp.m.core.ops.patched(f.entry) !== 1) return;
  if (lp.m.core.ops.pop(f.entry) === 1) unregisterSite(lp, f.oldFunc);
}

/** klp_unpatch_object (all funcs, or only nops: __klp_unpatch_object's nops_only). */
export function unpatchObject(lp: Livepatch, obj: KlpObject, nopsOnly = false): void {
  for (const f of obj.funcs) if (!nopsOnly || f.nop) unpatchFunc(lp, f);
  if (!nopsOnly || obj.dynamic) obj.patched = false;
}

/** klp_patch_object: every func in order; on failure pops what it pushed. @returns 0 or -errno. */
export function patchObject(lp: Livepatch, obj: KlpObject): number {
  if (obj.patched) return 0;
  for (const f of obj.funcs) {
    const rc = patchFunc(lp, f);
    if (rc < 0) {
      unpatchObject(lp, obj);
      return rc;
    }
  }
  obj.patched = true;
  return 0;
}
