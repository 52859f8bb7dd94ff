// moduleLoader.ts: a module written as TypeScript source becomes a ModuleDef the machine loads.
// One ModuleSandbox (one QuickJS runtime) per module, reused for every call. The source's default
// export describes the module (klp.d.ts, `ModuleDescription`):
//   export default { livepatch?, params?, functions?: [{ name, size?, body }], init?, exit? }
// Function bodies run as kernel code of the calling task (guestCode.ts); init and exit run in
// insmod's and rmmod's context, and a failure there is reported and fails the load (init) or is
// reported (exit).
import { GuardedFrame } from "../machine/frames.ts";
import type { KCode } from "../machine/kcode.ts";
import type { KFunc, Machine } from "../machine/machine.ts";
import type { ModuleDef, ModuleFuncDef } from "../machine/module.ts";
import type { ParamDef, ParamType } from "../machine/params.ts";
import type { Task } from "../machine/task.ts";
import type { SeqFile } from "../machine/vmlinux.ts";
import { err, ok, type Result } from "../result.ts";
import { guestCode } from "./guestCode.ts";
import { ownedBy } from "./values.ts";
import { type GuestEnv, guestEnv, kernelApi } from "./kernelApi.ts";
import { errnoOf, reportCallbackError } from "./oops.ts";
import {
  loadQuickJS,
  ModuleSandbox,
  SandboxRef,
  type SandboxError,
  type SandboxLimits,
  type SandboxValue,
} from "./sandbox.ts";

type Obj = Record<string, SandboxValue>;

function isObj(v: SandboxValue): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof SandboxRef);
}

/** Default size of a module function without one (bytes of text). */
const DEFAULT_FUNC_SIZE = 0x40;

/** Whether a host value is plain data (what kcall passes between modules), copied as it is. */
function isPlain(v: unknown): v is SandboxValue {
  if (v === null || ["number", "string", "boolean", "bigint"].includes(typeof v)) return true;
  if (v instanceof SandboxRef) return true;
  if (Array.isArray(v)) return v.every(isPlain);
  if (typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v as object).every(isPlain);
}

/**
 * A body's argument as the guest sees it: host objects (a seq_file) as a handle valid during the
 * call, plain data (numbers, strings, a struct passed by kcall) as it is, anything else as
 * undefined.
 */
function guestArg(env: GuestEnv, arg: unknown): { value: SandboxValue; handle: number } {
  if (arg && typeof arg === "object" && typeof (arg as SeqFile).buf === "string") {
    const h = env.handles.open(arg);
    return { value: h, handle: h };
  }
  return { value: isPlain(arg) ? ownedBy(arg, env.name) : undefined, handle: 0 };
}

/**
 * A guest function's call as a kernel function body: its argument crosses at entry (a host object
 * as a handle, closed when the call ends, also when it throws or is unwound).
 */
class GuestBody extends GuardedFrame {
  private value: SandboxValue = undefined;
  private handle = 0;

  constructor(
    private readonly env: GuestEnv,
    private readonly ref: SandboxRef,
    private readonly name: string,
    private readonly m: Machine,
    private readonly t: Task,
    private arg: unknown,
  ) {
    super();
  }

  protected enter(): boolean {
    const a = guestArg(this.env, this.arg);
    this.arg = undefined;
    this.value = a.value;
    this.handle = a.handle;
    return true;
  }

  protected callee(): KCode {
    const value = this.value;
    this.value = undefined;
    return guestCode(this.m, this.t, this.env.sb, this.ref, [value], this.name);
  }

  protected leave(): void {
    if (this.handle) this.env.handles.close(this.handle);
  }
}

/** A guest function as a kernel function body. */
function body(env: GuestEnv, ref: SandboxRef, name: string): KFunc {
  return (m, t, arg) => new GuestBody(env, ref, name, m, t, arg);
}

function functionDefs(env: GuestEnv, v: SandboxValue): Result<ModuleFuncDef[], string> {
  if (v === undefined) return ok([]);
  if (!Array.isArray(v)) return err("functions must be an array");
  const out: ModuleFuncDef[] = [];
  for (const f of v) {
    if (!isObj(f) || typeof f.name !== "string" || !(f.body instanceof SandboxRef))
      return err("each function needs a name and a body");
    env.funcByRef.set(f.body.id, f.name);
    const size = typeof f.size === "number" ? f.size : DEFAULT_FUNC_SIZE;
    out.push({ name: f.name, size, body: body(env, f.body, f.name) });
  }
  return ok(out);
}

const PARAM_TYPES: readonly ParamType[] = ["int", "bool", "charp"];

/**
 * module_param_cb's kernel_param_ops: `set` runs after the value was parsed and stored, with the
 * value (0 or -errno; a throw is -EINVAL after its report), `get` when the file is read (its text,
 * or nothing: welcome_get, block_doors_get print instead).
 */
function paramHooks(env: GuestEnv, p: Obj): Pick<ParamDef, "get" | "set"> {
  const out: Pick<ParamDef, "get" | "set"> = {};
  const { get, set } = p;
  if (set instanceof SandboxRef) {
    out.set = (value) => {
      const r = env.sb.call(set, [value], `${String(p.name)} set`);
      if (r.ok) return typeof r.value === "number" ? r.value : 0;
      reportCallbackError(env.m, r.error);
      return errnoOf(r.error);
    };
  }
  if (get instanceof SandboxRef) {
    out.get = () => {
      const r = env.sb.call(get, [], `${String(p.name)} get`);
      if (r.ok) return typeof r.value === "string" ? r.value : "";
      reportCallbackError(env.m, r.error);
      return "";
    };
  }
  return out;
}

function paramDefs(env: GuestEnv, v: SandboxValue): Result<ParamDef[], string> {
  if (v === undefined) return ok([]);
  if (!Array.isArray(v)) return err("params must be an array");
  const out: ParamDef[] = [];
  for (const p of v) {
    const type = isObj(p) ? (p.type as ParamType) : undefined;
    if (!isObj(p) || typeof p.name !== "string" || !type || !PARAM_TYPES.includes(type))
      return err("each param needs a name and a type (int, bool or charp)");
    const value = p.value;
    const dflt = type === "bool" ? false : type === "int" ? 0 : "";
    const ok_ =
      typeof value === "number" || typeof value === "boolean" || typeof value === "string";
    out.push({
      name: p.name,
      type,
      perm: Number(p.perm ?? 0o644),
      value: ok_ ? value : dflt,
      ...paramHooks(env, p),
    });
  }
  return ok(out);
}

/** module_init / module_exit: `init` returns 0 or -errno; a failure fails the load. */
function lifecycle(env: GuestEnv, d: Obj): Pick<ModuleDef, "init" | "exit"> {
  const out: Pick<ModuleDef, "init" | "exit"> = {};
  const init = d.init;
  const exit = d.exit;
  if (init instanceof SandboxRef) {
    out.init = () => {
      const r = env.sb.call(init, [], "init");
      if (!r.ok) {
        reportCallbackError(env.m, r.error);
        return errnoOf(r.error);
      }
      return typeof r.value === "number" ? r.value : 0;
    };
  }
  if (exit instanceof SandboxRef) {
    out.exit = () => {
      const r = env.sb.call(exit, [], "exit");
      if (!r.ok) reportCallbackError(env.m, r.error);
    };
  }
  return out;
}

function describe(env: GuestEnv, d: SandboxValue): Result<ModuleDef, string> {
  if (!isObj(d)) return err("the module must `export default` its description");
  const functions = functionDefs(env, d.functions);
  if (!functions.ok) return functions;
  const params = paramDefs(env, d.params);
  if (!params.ok) return params;
  return ok({
    name: env.name,
    livepatch: d.livepatch === true,
    params: params.value,
    functions: functions.value,
    ...lifecycle(env, d),
  });
}

/**
 * Evaluates module `name`'s TypeScript source in its own sandbox and describes it as a ModuleDef
 * (not loaded yet: the machine's ModuleLoader loads it, and releases it when done, which frees
 * the sandbox). Synchronous once the QuickJS wasm is loaded (loadQuickJS). @returns the
 * definition, or the error (syntax, what the top level threw, or a malformed description) naming
 * the module.
 */
export function sandboxedModule(
  m: Machine,
  name: string,
  tsSource: string,
  limits: Partial<SandboxLimits> = {},
): Result<ModuleDef, SandboxError> {
  const host = {
    now: () => Math.floor(m.clock.nowNs() / 1e6),
    random: () => m.random.next(),
  };
  const created = ModuleSandbox.createSync(name, host, limits, m.arena ?? undefined);
  if (!created.ok) return created;
  const sb = created.value;
  const env = guestEnv(m, name, sb);
  const loaded = sb.load(tsSource, { linux: kernelApi(env) });
  const d = loaded.ok ? sb.getExport("default") : loaded;
  if (!d.ok) {
    sb.dispose();
    return d;
  }
  const def = describe(env, d.value);
  if (!def.ok) {
    sb.dispose();
    return err({ kind: "exception", module: name, fn: "<module>", message: def.error });
  }
  return ok({ ...def.value, release: () => sb.dispose() });
}

/** sandboxedModule, loading the QuickJS wasm first if need be. */
export async function loadSandboxedModule(
  m: Machine,
  name: string,
  tsSource: string,
  limits: Partial<SandboxLimits> = {},
): Promise<Result<ModuleDef, SandboxError>> {
  await loadQuickJS();
  return sandboxedModule(m, name, tsSource, limits);
}
