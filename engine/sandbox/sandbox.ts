// sandbox.ts: runs one module's code inside QuickJS (compiled to WebAssembly), one runtime per
// module, reused for every call. The guest sees no DOM, storage, network or host clock: only the
// host modules the engine gives it. Every call has a deterministic budget counted in QuickJS
// interrupt-handler ticks (the same in Node and Chromium, since the interpreter is the same wasm),
// a wall-clock backstop for native builtins that run long between ticks (a different error), and
// the runtime has a memory limit. Failures are values naming the module and the function.
import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { err, ok, type Result } from "../result.ts";
import { SandboxArena } from "./arena.ts";
import { PRELUDE } from "./prelude.ts";
import { stripTypes } from "./strip.ts";
import { decode, encode, SandboxRef, type SandboxValue } from "./values.ts";

export { SandboxRef, type SandboxValue };

/** The prelude's entry points the host calls. */
type PreludeEntry = "__klp_call" | "__klp_method" | "__klp_export";

export type HostFn = (...args: SandboxValue[]) => SandboxValue;

/** A module the guest can `import` (e.g. the kernel API). */
export interface HostModule {
  functions: Record<string, HostFn>;
  constants?: Record<string, SandboxValue>;
  /**
   * Functions that run in the guest, as JavaScript source of a function expression: pure ones
   * that need nothing of the host, so that calling them costs no crossing.
   */
  guest?: Record<string, string>;
}

export type SandboxErrorKind = "syntax" | "exception" | "budget" | "timeout" | "oom" | "dead";

export interface SandboxError {
  kind: SandboxErrorKind;
  module: string;
  /** The export, callback or function that was running. */
  fn: string;
  message: string;
}

export interface SandboxLimits {
  memoryBytes: number;
  stackBytes: number;
  /** Interrupt-handler ticks per outermost call (QuickJS polls roughly every 10,000 steps). */
  budgetTicks: number;
  /** Wall-clock backstop per outermost call. */
  wallMs: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 16 << 20,
  stackBytes: 512 << 10,
  budgetTicks: 200,
  wallMs: 5000,
};

/** What the guest may ask of the host besides its modules: virtual time and seeded randomness. */
export interface SandboxHost {
  /** Virtual milliseconds since the epoch, for the guest's Date. */
  now(): number;
  /** A float in [0, 1) from the machine's seeded source, for Math.random. */
  random(): number;
}

let quickjs: Promise<QuickJSWASMModule> | null = null;
/** The instantiated QuickJS wasm, once loadQuickJS has resolved. */
let quickjsReady: QuickJSWASMModule | null = null;

/** A fresh QuickJS instance (its own linear memory) from the release-sync build. */
async function newQuickJS(): Promise<QuickJSWASMModule> {
  const [{ newQuickJSWASMModuleFromVariant }, variant] = await Promise.all([
    import("quickjs-emscripten-core"),
    import("@jitl/quickjs-wasmfile-release-sync"),
  ]);
  return newQuickJSWASMModuleFromVariant(variant.default);
}

/**
 * Loads the QuickJS wasm once per host (Node process or Worker). Instantiating it is the only
 * asynchronous step: once it has resolved, runtimes are created synchronously (createSync).
 */
export function loadQuickJS(): Promise<QuickJSWASMModule> {
  quickjs ??= newQuickJS().then((q) => (quickjsReady = q));
  return quickjs;
}

/** An arena of a machine's own, which checkpoints can image (arena.ts): about 16 MB. */
export async function isolatedArena(): Promise<SandboxArena> {
  return SandboxArena.isolated(await newQuickJS());
}

export class ModuleSandbox {
  private readonly rt: QuickJSRuntime;
  private readonly vm: QuickJSContext;
  private ticks = 0;
  private deadline = 0;
  private stop: "budget" | "timeout" | null = null;
  private depth = 0;
  private modules: Record<string, HostModule> = {};
  private disposed = false;
  private readonly entries = new Map<PreludeEntry, QuickJSHandle>();

  private constructor(
    private readonly arena: SandboxArena,
    readonly name: string,
    private readonly host: SandboxHost,
    readonly limits: SandboxLimits,
  ) {
    arena.touch();
    arena.join({ image: () => this.image() });
    this.rt = arena.qjs.newRuntime();
    this.rt.setMemoryLimit(limits.memoryBytes);
    this.rt.setMaxStackSize(limits.stackBytes);
    this.rt.setInterruptHandler(() => this.onInterrupt());
    this.vm = this.rt.newContext();
  }

  /** A sandbox for module `name`, with its own QuickJS runtime. */
  static async create(
    name: string,
    host: SandboxHost,
    limits: Partial<SandboxLimits> = {},
  ): Promise<ModuleSandbox> {
    const arena = SandboxArena.shared(await loadQuickJS());
    return new ModuleSandbox(arena, name, host, { ...DEFAULT_LIMITS, ...limits });
  }

  /**
   * The same, synchronously (insmod is synchronous): needs loadQuickJS to have resolved (the
   * playground's boot awaits it). @returns the sandbox, or an error of kind "dead" before that.
   */
  static createSync(
    name: string,
    host: SandboxHost,
    limits: Partial<SandboxLimits> = {},
    arena?: SandboxArena,
  ): Result<ModuleSandbox, SandboxError> {
    const into = arena ?? (quickjsReady ? SandboxArena.shared(quickjsReady) : null);
    if (!into) {
      const message = "QuickJS is not loaded yet (await loadQuickJS() first)";
      return err({ kind: "dead", module: name, fn: "<load>", message });
    }
    return ok(new ModuleSandbox(into, name, host, { ...DEFAULT_LIMITS, ...limits }));
  }

  /**
   * Evaluates the module's TypeScript source with `modules` importable.
   * @returns the names the module exports, or the error (syntax, or what its top level threw).
   */
  load(source: string, modules: Record<string, HostModule>): Result<string[], SandboxError> {
    const js = stripTypes(source, `${this.name}.ts`);
    if (!js.ok) return err(this.error("syntax", "<load>", js.error));
    this.modules = modules;
    this.installHost();
    // One evaluation (the prelude, the host modules, the module, its export names): each
    // evaluation has a fixed cost, and a module is evaluated on every insmod.
    const wrapped = `(function(){const exports={};const module={exports};const require=globalThis.__klp_require;\n${js.value}\n;globalThis.__klp_exports=module.exports;})();`;
    const code = `${PRELUDE}${this.requireSource()}\n${wrapped}\n__klp_exportNames();`;
    const names = this.evalGuarded(code, "<module>");
    if (!names.ok) return names;
    return ok(JSON.parse(String(names.value)) as string[]);
  }

  /** The value of an export (functions come back as SandboxRefs). */
  getExport(name: string): Result<SandboxValue, SandboxError> {
    return this.callPrelude("__klp_export", name, [name]);
  }

  /** Calls a guest function reference; `label` names it in errors (e.g. "pre_patch"). */
  call(fn: SandboxRef, args: SandboxValue[], label: string): Result<SandboxValue, SandboxError> {
    return this.callPrelude("__klp_call", label, [fn.id, JSON.stringify(encode(args))]);
  }

  /** Calls a method of a guest object reference, e.g. a generator's next(). */
  callMethod(
    obj: SandboxRef,
    method: string,
    args: SandboxValue[],
    label: string,
  ): Result<SandboxValue, SandboxError> {
    return this.callPrelude("__klp_method", label, [obj.id, method, JSON.stringify(encode(args))]);
  }

  // The hot path (replacement functions, callbacks, generator steps): calls a prelude function
  // directly instead of evaluating source text, so nothing is parsed per call.
  private callPrelude(
    entry: PreludeEntry,
    label: string,
    args: (number | string)[],
  ): Result<SandboxValue, SandboxError> {
    const r = this.runGuarded(label, () => {
      const hs = args.map((a) =>
        typeof a === "number" ? this.vm.newNumber(a) : this.vm.newString(a),
      );
      try {
        return this.vm.callFunction(this.entry(entry), this.vm.undefined, ...hs);
      } finally {
        for (const h of hs) h.dispose();
      }
    });
    return r.ok ? ok(decode(JSON.parse(String(r.value)), this.name)) : r;
  }

  /**
   * Frees the runtime; later calls fail with kind "dead". In an isolated arena the runtime stays
   * allocated (arena.ts): only the flag changes, which a checkpoint's restore may turn back.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.arena.isolated) return;
    for (const h of this.entries.values()) h.dispose();
    this.vm.dispose();
    this.rt.dispose();
  }

  /** What puts this sandbox's JavaScript side back (its heap is the arena's). */
  private image(): () => void {
    const disposed = this.disposed;
    const entries = [...this.entries];
    return () => {
      this.disposed = disposed;
      this.entries.clear();
      for (const [k, h] of entries) this.entries.set(k, h);
      this.reclaimCallbacks();
    };
  }

  /**
   * quickjs-emscripten routes the C side's calls (interrupts, host functions) through maps keyed
   * by runtime and context pointer. A sandbox made after an image, on the way to another, may
   * have taken this one's pointers (the allocator is deterministic): after a restore they must
   * lead here again. Internal fields of quickjs-emscripten-core 0.32.0 (pinned).
   */
  private reclaimCallbacks(): void {
    type Routes = {
      setRuntimeCallbacks(rt: number, c: unknown): void;
      setContextCallbacks(ctx: number, c: unknown): void;
    };
    const rt = this.rt as unknown as {
      callbacks: Routes;
      rt: { value: number };
      cToHostCallbacks: unknown;
    };
    const vm = this.vm as unknown as { ctx: { value: number }; cToHostCallbacks: unknown };
    rt.callbacks.setRuntimeCallbacks(rt.rt.value, rt.cToHostCallbacks);
    rt.callbacks.setContextCallbacks(vm.ctx.value, vm.cToHostCallbacks);
  }

  /** A prelude function's handle, looked up once. */
  private entry(name: PreludeEntry): QuickJSHandle {
    let h = this.entries.get(name);
    if (!h) {
      h = this.vm.getProp(this.vm.global, name);
      this.entries.set(name, h);
    }
    return h;
  }

  private onInterrupt(): boolean {
    if (this.depth === 0) return false;
    this.ticks++;
    if (this.ticks > this.limits.budgetTicks) this.stop = "budget";
    else if (performance.now() > this.deadline) this.stop = "timeout";
    return this.stop !== null;
  }

  // Runs guest code; the budget and deadline are per outermost call, so host functions that call
  // back into the guest (a shadow constructor, say) share their caller's budget.
  private evalGuarded(code: string, label: string): Result<SandboxValue, SandboxError> {
    return this.runGuarded(label, () => this.vm.evalCode(code, `${this.name}.js`));
  }

  private runGuarded(
    label: string,
    run: () => ReturnType<QuickJSContext["evalCode"]>,
  ): Result<SandboxValue, SandboxError> {
    if (this.disposed) return err(this.error("dead", label, "the module's sandbox was disposed"));
    this.arena.touch();
    if (this.depth === 0) {
      this.ticks = 0;
      this.stop = null;
      this.deadline = performance.now() + this.limits.wallMs;
    }
    this.depth++;
    let result;
    try {
      result = run();
    } finally {
      this.depth--;
    }
    if (result.error) {
      const failure = this.describe(result.error, label);
      result.error.dispose();
      return err(failure);
    }
    const value = this.vm.dump(result.value) as SandboxValue;
    result.value.dispose();
    return ok(value);
  }

  private describe(handle: QuickJSHandle, label: string): SandboxError {
    const dumped: unknown = this.vm.dump(handle);
    const e = (dumped ?? {}) as { name?: string; message?: string };
    const text = e.message !== undefined ? `${e.name ?? "Error"}: ${e.message}` : String(dumped);
    if (this.stop === "budget")
      return this.error("budget", label, `exceeded its budget of ${this.limits.budgetTicks} ticks`);
    if (this.stop === "timeout")
      return this.error(
        "timeout",
        label,
        `ran past the ${this.limits.wallMs} ms wall-clock backstop`,
      );
    if (dumped === null || /out of memory/i.test(text))
      return this.error("oom", label, `ran out of memory (limit ${this.limits.memoryBytes} bytes)`);
    return this.error("exception", label, text);
  }

  private error(kind: SandboxErrorKind, fn: string, message: string): SandboxError {
    return { kind, module: this.name, fn, message };
  }

  private installHost(): void {
    const fn = this.vm.newFunction("__klp_host", (nameH, argsH) => {
      const name = this.vm.getString(nameH);
      const args = decode(JSON.parse(this.vm.getString(argsH)), this.name) as SandboxValue[];
      try {
        return this.vm.newString(JSON.stringify(encode(this.dispatch(name, args))));
      } catch (e) {
        return { error: this.vm.newError(e instanceof Error ? e.message : String(e)) };
      }
    });
    this.vm.setProp(this.vm.global, "__klp_host", fn);
    fn.dispose();
  }

  private dispatch(name: string, args: SandboxValue[]): SandboxValue {
    if (name === "$.now") return this.host.now();
    if (name === "$.random") return this.host.random();
    const dot = name.indexOf(".");
    const impl = this.modules[name.slice(0, dot)]?.functions[name.slice(dot + 1)];
    if (!impl) throw new Error(`${name} is not a host function`);
    return impl(...args);
  }

  private requireSource(): string {
    const mods = Object.entries(this.modules).map(([name, m]) => {
      const fns = JSON.stringify(JSON.stringify(Object.keys(m.functions)));
      const consts = JSON.stringify(JSON.stringify(encode(m.constants ?? {})));
      const guest = Object.entries(m.guest ?? {}).map(([k, src]) => `${JSON.stringify(k)}: ${src}`);
      const args = `${JSON.stringify(name)}, ${fns}, ${consts}, {${guest.join(", ")}}`;
      return `${JSON.stringify(name)}: __klp_makeModule(${args})`;
    });
    return `\nglobalThis.__klp_mods = {${mods.join(",")}};\nglobalThis.__klp_require = function (n) { const m = globalThis.__klp_mods[n]; if (!m) throw new Error("Cannot find module '" + n + "'"); return m; };\n`;
  }
}
