// instance.ts: instantiates the core from bytes the host supplies and guards every call.
//
// The same code runs in Node, in a Worker and in tests because the host reads or fetches the
// bytes itself. An AssemblyScript abort (or any trap) leaves the instance's memory in an unknown
// state, so the first trap marks the instance dead and every later call throws CoreAbortedError
// instead of returning garbage.

export type RawFn = (...args: number[]) => number;
export type RawFns<N extends string> = { readonly [K in N]: RawFn };

/** The core's version of the export ABI that these bindings speak. */
export const CORE_ABI_VERSION = 1;

export class CoreAbortedError extends Error {
  override readonly name = "CoreAbortedError";
  constructor(readonly reason: string) {
    super(`core aborted: ${reason}; the instance is unusable, reload the core`);
  }
}

export type CoreSource = BufferSource | WebAssembly.Module;

export class CoreInstance {
  readonly memory: WebAssembly.Memory;
  private readonly guarded: Record<string, RawFn> = {};
  /** Every table handed out by fns(): small objects, so that V8 keeps them in fast mode. */
  private readonly tables: Record<string, RawFn>[] = [];
  private readonly rawByName: Record<string, RawFn> = {};
  private abortReason: string | null = null;
  private pendingAbortMessage: string | null = null;
  private u8: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));

  constructor(instance: WebAssembly.Instance, onAbort: (sink: (msg: string) => void) => void) {
    onAbort((msg) => {
      this.pendingAbortMessage = msg;
    });
    const exports = instance.exports;
    this.memory = exports.memory as WebAssembly.Memory;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== "function") continue;
      const fn = value as RawFn;
      this.rawByName[name] = fn;
      this.guarded[name] = this.guard(fn);
    }
  }

  /** Whether a trap has made this instance unusable. */
  get aborted(): boolean {
    return this.abortReason !== null;
  }

  get reason(): string | null {
    return this.abortReason;
  }

  /** Names of every function the module exports. */
  exportNames(): string[] {
    return Object.keys(this.rawByName);
  }

  /** The guarded functions for `names`; fails loudly if the module lacks one (a build mismatch). */
  fns<N extends string>(names: readonly N[]): RawFns<N> {
    for (const n of names) {
      if (!(n in this.guarded)) throw new Error(`core-wasm: export ${n} missing (stale build?)`);
    }
    // A table of its own per caller: a few properties stay in V8's fast mode, where one table of
    // every export (hundreds, added one by one) becomes a dictionary and costs a hash lookup per
    // call on the hot path.
    const table: Record<string, RawFn> = {};
    for (const n of names) table[n] = this.guarded[n]!;
    this.tables.push(table);
    return table as RawFns<N>;
  }

  /** A byte view of the whole memory; recreated after growth detaches the old buffer. */
  bytes(): Uint8Array {
    if (this.u8.buffer !== this.memory.buffer) this.refreshViews();
    return this.u8;
  }

  /** A DataView of the whole memory, refreshed like bytes(). */
  view(): DataView {
    if (this.dv.buffer !== this.memory.buffer) this.refreshViews();
    return this.dv;
  }

  private refreshViews(): void {
    this.u8 = new Uint8Array(this.memory.buffer);
    this.dv = new DataView(this.memory.buffer);
  }

  // One wrapper per export, of the export's own arity (a WebAssembly function's `length` is its
  // parameter count): V8 calls a wasm export fastest with exactly its parameters, and extra
  // undefined arguments cost about a third of a hot-path call such as klp_handler.
  private guard(fn: RawFn): RawFn {
    const die = (e: unknown) => this.die(e);
    switch (fn.length) {
      case 0:
        return () => {
          try {
            return fn();
          } catch (e) {
            throw die(e);
          }
        };
      case 1:
        return (a?: number) => {
          try {
            return fn(a as number);
          } catch (e) {
            throw die(e);
          }
        };
      case 2:
        return (a?: number, b?: number) => {
          try {
            return fn(a as number, b as number);
          } catch (e) {
            throw die(e);
          }
        };
      default:
        return (a?: number, b?: number, c?: number, d?: number) => {
          try {
            return fn(a as number, b as number, c as number, d as number);
          } catch (e) {
            throw die(e);
          }
        };
    }
  }

  private die(e: unknown): CoreAbortedError {
    if (this.abortReason !== null) return new CoreAbortedError(this.abortReason);
    const trap = e instanceof Error ? e.message : String(e);
    const reason = this.pendingAbortMessage ?? trap;
    this.abortReason = reason;
    const dead = (): number => {
      throw new CoreAbortedError(reason);
    };
    for (const t of [this.guarded, ...this.tables])
      for (const name of Object.keys(t)) t[name] = dead;
    return new CoreAbortedError(reason);
  }
}

/** Reads an AssemblyScript string (UTF-16LE, byte length stored 4 bytes before it). */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0] ?? 0;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

/**
 * Instantiates the core. `source` is the .wasm bytes or an already compiled module.
 * @returns the guarded instance; rejects when the module is not a core of this ABI version.
 */
export async function instantiateCore(source: CoreSource): Promise<CoreInstance> {
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
  let sink: (msg: string) => void = () => {};
  let memory: WebAssembly.Memory | null = null;
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, col: number): void {
        const text = memory
          ? `${readAsString(memory, msg)} at ${readAsString(memory, file)}:${line}:${col}`
          : "abort";
        sink(text);
        // AssemblyScript expects abort() not to return: unwind out of the instance now.
        throw new Error(text);
      },
    },
  };
  const instance = await WebAssembly.instantiate(module, imports);
  memory = instance.exports.memory as WebAssembly.Memory;
  const core = new CoreInstance(instance, (s) => {
    sink = s;
  });
  const version = core.fns(["core_abi_version"]).core_abi_version();
  if (version !== CORE_ABI_VERSION) {
    throw new Error(`core-wasm: ABI version ${version}, bindings expect ${CORE_ABI_VERSION}`);
  }
  return core;
}
