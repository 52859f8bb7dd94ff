// patch.ts: func_stacks and the ftrace registration behind them (kernel/livepatch/patch.c:
// klp_patch_func, klp_unpatch_func, klp_patch_object, klp_unpatch_object). The first push for a
// function registers the klp ftrace ops: its entry site is patched through core.text (x86-64: a
// per-ops trampoline, installed with the int3 protocol; arm64: the CALL_OPS literal and a bl to
// ftrace_caller). The last pop unregisters it and restores the NOP.
import { EINVAL, SiteKind, type SiteKindId, TextSymbol } from "../../core-wasm/bindings/index.ts";
import { LogLevel } from "../log.ts";
import { type FtraceOpsFlags, ftraceOf } from "../machine/ftrace.ts";
import type { Livepatch } from "./core.ts";
import type { KlpFunc, KlpObject } from "./types.ts";
import { KLP_MSG } from "./messages.ts";

function hex(b: Uint8Array | number): string {
  return typeof b === "number"
    ? String(b)
    : [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
}

/**
 * arm64 CALL_OPS: the low word of &klp_ops->fops for `fn`'s klp_ops (kzalloc'ed by
 * klp_patch_func; the core puts it in the linear map, 0xffff0000_xxxxxxxx). fops follows the two
 * list_heads of struct klp_ops, hence +0x20. Deterministic per function, as the %p of shadow data.
 */
export function klpFopsToken(fn: number): number {
  return (0xc2000000 + fn * 0x100 + 0x20) >>> 0;
}

/**
 * Queues one site update and applies it step by step, an event per step. On arm64 with CALL_OPS
 * the literal gets the klp ops (ftrace_rec_update_ops: the only ops on the record) before the bl.
 * @returns 0 or -errno.
 */
function pokeSite(lp: Livepatch, fn: number, kind: SiteKindId, target: number): number {
  const { text } = lp.m.core;
  const ops = lp.m.arch === "arm64" && kind !== SiteKind.makeNop ? klpFopsToken(fn) : 0;
  const rc = text.queue(fn, kind, target, ops);
  if (rc < 0) return rc;
  const name = lp.m.names.get(fn) ?? `fn${fn}`;
  for (let step = text.pokeStep(); step !== 0; step = text.pokeStep()) {
    lp.m.events.emit({ kind: "site", func: name, step, bytes: hex(text.siteBytes(fn)) });
  }
  return 0;
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
  let target: number;
  if (lp.m.arch === "x86_64") {
    target = text.trampAlloc();
    if (target < 0 && target >= -4095) {
      ftraceOf(lp.m).unregister(f.oldFunc, KLP_FOPS);
      return target;
    }
    lp.tramps.set(f.oldFunc, target);
  } else {
    target = text.symbol(TextSymbol.ftraceCaller);
  }
  const rc = pokeSite(lp, f.oldFunc, SiteKind.makeCall, target);
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

/** unregister_ftrace_function: the site goes back to a NOP, the trampoline is freed. */
function unregisterSite(lp: Livepatch, fn: number): void {
  const rc = pokeSite(lp, fn, SiteKind.makeNop, 0);
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
