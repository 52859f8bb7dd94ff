// core.ts: the typed door to the WebAssembly core. Everything outside core-wasm/ goes through it.
import { type CoreInstance, type CoreSource, instantiateCore } from "./instance.ts";
import { KlpOps } from "./ops.ts";
import { ShadowTable } from "./shadow.ts";
import { type CoreSnapshot, Snapshots } from "./snapshot.ts";
import { Tasks } from "./tasks.ts";
import { KernelText } from "./text.ts";

const NAMES = [
  "core_reset",
  "core_memory_bytes",
  "core_region_bytes",
  "core_set_memory_limit",
  "core_bug",
  "core_call",
] as const;

export class Core {
  private readonly x;
  private readonly snapshots: Snapshots;
  /** Kernel text: objects, functions, entry sites. */
  readonly text: KernelText;
  /** klp_func entries, func_stacks and the handler decision. */
  readonly ops: KlpOps;
  /** Tasks, their livepatch state and stacks, and the transition. */
  readonly tasks: Tasks;
  /** Shadow variables (klp_shadow_*). */
  readonly shadow: ShadowTable;

  private constructor(readonly instance: CoreInstance) {
    this.x = instance.fns(NAMES);
    this.snapshots = new Snapshots(instance);
    this.text = new KernelText(instance);
    this.ops = new KlpOps(instance);
    this.tasks = new Tasks(instance);
    this.shadow = new ShadowTable(instance);
  }

  /** Instantiates a core from its .wasm bytes (or compiled module). */
  static async load(source: CoreSource): Promise<Core> {
    return new Core(await instantiateCore(source));
  }

  get aborted(): boolean {
    return this.instance.aborted;
  }

  /** Back to the state of a fresh instance. */
  reset(): void {
    this.x.core_reset();
  }

  /** Linear memory held by the instance, in bytes. */
  memoryBytes(): number {
    return this.x.core_memory_bytes();
  }

  /** Bytes held by the core's tables (capacity), excluding the runtime's own. */
  regionBytes(): number {
    return this.x.core_region_bytes();
  }

  /** Caps the core's tables at `bytes`; growth past it fails with -ENOMEM. */
  setMemoryLimit(bytes: number): void {
    this.x.core_set_memory_limit(bytes);
  }

  /** Copies the whole state out (reusing `into`'s buffers). */
  snapshot(into?: CoreSnapshot): CoreSnapshot {
    return this.snapshots.take(into);
  }

  /** Restores a snapshot. @returns 0 or a negative errno. */
  restore(snap: CoreSnapshot): number {
    return this.snapshots.restore(snap);
  }

  /**
   * One simulated call of function `fn` by `task`: the entry site executes (NOP: the original
   * runs; a call: the livepatch handler decides). The hot path, one crossing into the core.
   * @returns the id of the function that runs, or -EFAULT (bad entry bytes), -ESRCH, -EINVAL.
   */
  call(fn: number, task: number): number {
    return this.x.core_call(fn, task);
  }

  /** Triggers the core's BUG() (tests prove the instance then refuses every call). */
  bug(): void {
    this.x.core_bug();
  }
}
