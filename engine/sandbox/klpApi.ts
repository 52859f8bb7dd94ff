// klpApi.ts: the livepatch part of the "linux" host module (include/linux/livepatch.h):
// klp_enable_patch turns the patch data the guest passes into a KlpPatchDef whose callbacks (per
// object in mainline, per state with block_disable and is_shadow in the proposed series) call
// back into the sandbox; klp_shadow_* with guest constructors and destructors, shadow data reached
// through typed accessors on its ref (it lives in the core's memory); klp_get_state and
// klp_get_prev_state as plain data.
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import type { ShadowCtor, ShadowDtor } from "../../core-wasm/bindings/shadow.ts";
import type {
  KlpCallbacks,
  KlpFuncDef,
  KlpObjectDef,
  KlpObjectView,
  KlpPatchDef,
  KlpPatchView,
  KlpStateCallbacks,
  KlpStateDef,
} from "../livepatch/api.ts";
import type { GuestEnv } from "./kernelApi.ts";
import { ctxOf } from "./kernelApi.ts";
import { errnoOf, reportCallbackError } from "./oops.ts";
import type { HostFn, SandboxValue } from "./sandbox.ts";
import { SandboxRef } from "./sandbox.ts";

type Obj = Record<string, SandboxValue>;

function isObj(v: SandboxValue): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof SandboxRef);
}

/** new_func: a function of the module, by name or by the guest reference of its body. */
function newFuncName(env: GuestEnv, v: SandboxValue): string | null {
  if (typeof v === "string") return v;
  if (v instanceof SandboxRef) return env.funcByRef.get(v.id) ?? null;
  return null;
}

function funcDef(env: GuestEnv, f: SandboxValue): KlpFuncDef {
  const o = isObj(f) ? f : {};
  return {
    old_name: typeof o.old_name === "string" ? o.old_name : null,
    new_func: newFuncName(env, o.new_func),
    ...(typeof o.old_sympos === "number" ? { old_sympos: o.old_sympos } : {}),
  };
}

/**
 * A guest callback as a host one taking `A`: `args` turns the host's arguments into what crosses
 * into the sandbox, and `result` maps what the guest returned, or, once a failure was reported,
 * the errno standing for it, to the host callback's result.
 */
function guestCallback<A extends unknown[], R>(
  env: GuestEnv,
  ref: SandboxValue,
  label: string,
  args: (...a: A) => SandboxValue[],
  result: (v: SandboxValue, errno: number | null) => R,
): ((...a: A) => R) | undefined {
  if (!(ref instanceof SandboxRef)) return undefined;
  return (...a) => {
    const r = env.sb.call(ref, args(...a), label);
    if (r.ok) return result(r.value, null);
    reportCallbackError(env.m, r.error);
    return result(undefined, errnoOf(r.error));
  };
}

/** The four callbacks of an object or a state; `args` as for guestCallback(). */
interface CallbackSet<A extends unknown[]> {
  pre_patch?: (...a: A) => number;
  post_patch?: (...a: A) => void;
  pre_unpatch?: (...a: A) => void;
  post_unpatch?: (...a: A) => void;
}

function callbackSet<A extends unknown[]>(
  env: GuestEnv,
  v: Record<string, SandboxValue>,
  args: (...a: A) => SandboxValue[],
): CallbackSet<A> {
  const out: CallbackSet<A> = {};
  // klp_pre_patch_callback(), klp_states_pre_patch(): a callback that threw refuses the patch
  // like a -errno return.
  const pre = guestCallback(
    env,
    v.pre_patch,
    "pre_patch",
    args,
    (r, e) => e ?? (typeof r === "number" ? r : 0),
  );
  if (pre) out.pre_patch = pre;
  for (const name of ["post_patch", "pre_unpatch", "post_unpatch"] as const) {
    const cb = guestCallback(env, v[name], name, args, () => undefined);
    if (cb) out[name] = cb;
  }
  return out;
}

function callbacks(env: GuestEnv, v: SandboxValue): KlpCallbacks | undefined {
  if (!isObj(v)) return undefined;
  return callbackSet(env, v, (obj: KlpObjectView) => [obj as unknown as SandboxValue]);
}

function objectDef(env: GuestEnv, v: SandboxValue): KlpObjectDef {
  const o = isObj(v) ? v : {};
  const cbs = callbacks(env, o.callbacks);
  return {
    name: typeof o.name === "string" ? o.name : null,
    funcs: Array.isArray(o.funcs) ? o.funcs.map((f) => funcDef(env, f)) : null,
    ...(cbs ? { callbacks: cbs } : {}),
  };
}

/** struct klp_state_callbacks (proposed series), shadow_dtor included. The state crosses as
 * plain data (stateView), as klp_get_state returns it. */
function stateCallbacks(env: GuestEnv, v: SandboxValue): KlpStateCallbacks | undefined {
  if (!isObj(v)) return undefined;
  const out: KlpStateCallbacks = callbackSet(env, v, (patch: KlpPatchView, state: KlpStateDef) => [
    { name: patch.name },
    stateView(state),
  ]);
  const dtor = dtorOf(env, v.shadow_dtor);
  if (dtor) out.shadow_dtor = dtor;
  return out;
}

/** struct klp_state, with the fields of both trees (each machine reads its own). */
function stateDef(env: GuestEnv, v: SandboxValue): KlpStateDef {
  const o = isObj(v) ? v : {};
  const cbs = stateCallbacks(env, o.callbacks);
  return {
    id: Number(o.id ?? 0),
    version: Number(o.version ?? 0),
    data: o.data,
    ...(cbs ? { callbacks: cbs } : {}),
    ...(o.block_disable === true ? { block_disable: true } : {}),
    ...(o.is_shadow === true ? { is_shadow: true } : {}),
  };
}

/** The guest's struct klp_patch as the engine's KlpPatchDef. */
export function patchDef(env: GuestEnv, v: SandboxValue): KlpPatchDef {
  const o = isObj(v) ? v : {};
  return {
    objs: Array.isArray(o.objs) ? o.objs.map((x) => objectDef(env, x)) : null,
    ...(Array.isArray(o.states) ? { states: o.states.map((x) => stateDef(env, x)) } : {}),
    replace: o.replace === true,
  };
}

/** klp_shadow_ctor_t from a guest (obj, shadow_data ref, ctor_data) => int. */
function ctorOf(env: GuestEnv, ref: SandboxValue, data: SandboxValue): ShadowCtor | undefined {
  if (!(ref instanceof SandboxRef)) return undefined;
  return (obj, sref) => {
    const r = env.sb.call(ref, [obj, sref, data], "shadow ctor");
    if (r.ok) return typeof r.value === "number" ? r.value : 0;
    reportCallbackError(env.m, r.error);
    return errnoOf(r.error);
  };
}

/** klp_shadow_dtor_t from a guest (obj, shadow_data ref) => void. */
function dtorOf(env: GuestEnv, ref: SandboxValue): ShadowDtor | undefined {
  if (!(ref instanceof SandboxRef)) return undefined;
  return (obj, sref) => {
    const r = env.sb.call(ref, [obj, sref], "shadow dtor");
    if (!r.ok) reportCallbackError(env.m, r.error);
  };
}

const num = (v: SandboxValue): number => (typeof v === "number" ? v : Number(v ?? 0));

function shadowFns(env: GuestEnv): Record<string, HostFn> {
  const sh = () => env.m.klp.shadow;
  return {
    klp_shadow_get: (obj, id) => sh().get(num(obj), num(id)),
    klp_shadow_alloc: (obj, id, size, _gfp, ctor, data) =>
      sh().alloc(num(obj), num(id), num(size), ctorOf(env, ctor, data)),
    klp_shadow_get_or_alloc: (obj, id, size, _gfp, ctor, data) =>
      sh().getOrAlloc(num(obj), num(id), num(size), ctorOf(env, ctor, data)),
    klp_shadow_free: (obj, id, dtor) => {
      sh().free(num(obj), num(id), dtorOf(env, dtor));
      return undefined;
    },
    klp_shadow_free_all: (id, dtor) => {
      sh().freeAll(num(id), dtorOf(env, dtor));
      return undefined;
    },
    /** The kernel pointer of shadow data (for %p), as a bigint. */
    shadow_pointer: (ref) => sh().pointer(num(ref)),
    ...shadowAccessors(env),
  };
}

/** Typed accessors of shadow data in the core's memory: shadow_read_u32(ref, off) etc. */
function shadowAccessors(env: GuestEnv): Record<string, HostFn> {
  const c = () => env.m.core.shadow;
  return {
    shadow_read_u8: (r, o) => c().readU8(num(r), num(o)),
    shadow_read_u32: (r, o) => c().readU32(num(r), num(o)),
    shadow_read_i32: (r, o) => c().readI32(num(r), num(o)),
    shadow_read_f64: (r, o) => c().readF64(num(r), num(o)),
    shadow_write_u8: (r, o, v) => (c().writeU8(num(r), num(o), num(v)), undefined),
    shadow_write_u32: (r, o, v) => (c().writeU32(num(r), num(o), num(v)), undefined),
    shadow_write_i32: (r, o, v) => (c().writeI32(num(r), num(o), num(v)), undefined),
    shadow_write_f64: (r, o, v) => (c().writeF64(num(r), num(o), num(v)), undefined),
    // A pointer kept in shadow data (the samples' SV_LEAK), as a bigint.
    shadow_read_u64: (r, o) => {
      const b = c().readBytes(num(r));
      return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(num(o), true);
    },
    shadow_write_u64: (r, o, v) => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt(v as bigint | number), true);
      c().writeBytes(num(r), b, num(o));
      return undefined;
    },
  };
}

/** A state as the guest sees it: plain data, without the (host) callbacks. */
function stateView(s: KlpStateDef | null): SandboxValue {
  if (!s) return null;
  return {
    id: s.id,
    version: s.version ?? 0,
    data: s.data as SandboxValue,
    block_disable: s.block_disable === true,
    is_shadow: s.is_shadow === true,
  };
}

/** The livepatch functions of the "linux" host module. */
export function klpFunctions(env: GuestEnv): Record<string, HostFn> {
  return {
    klp_enable_patch: (patch) =>
      isObj(patch) ? ctxOf(env).klpEnablePatch(patchDef(env, patch)) : -EINVAL,
    klp_get_state: (id) => stateView(ctxOf(env).klpGetState(num(id))),
    klp_get_prev_state: (id) => stateView(ctxOf(env).klpGetPrevState(num(id))),
    /** state->data = data for this module's patch's state `id`. @returns 0 or -EINVAL. */
    klp_state_set_data: (id, data) => {
      const s = ctxOf(env).klpGetState(num(id));
      if (!s) return -EINVAL;
      s.data = data;
      return 0;
    },
    ...shadowFns(env),
  };
}
