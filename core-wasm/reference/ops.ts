// ops.ts (reference): klp_func entries, func_stacks and the handler decision in plain TypeScript,
// the way one would write them without WebAssembly: objects, arrays, a Map. Same semantics and
// return codes as assembly/ops.ts (kernel/livepatch/patch.c); the oracle of the property tests and
// the baseline of the benchmarks.
import { EBUSY, EINVAL, ENOENT, ESRCH } from "../assembly/shared/errno.ts";

/** What the reference needs to know about kernel functions (kallsyms). */
export interface RefSyms {
  funcCount(): number;
  live(fn: number): boolean;
  addr(fn: number): number;
  size(fn: number): number;
}

/** A plain kallsyms: arrays of addresses and sizes. */
export class RefKallsyms implements RefSyms {
  readonly addrs: number[] = [];
  readonly sizes: number[] = [];
  readonly gone: boolean[] = [];

  add(addr: number, size: number): number {
    this.addrs.push(addr >>> 0);
    this.sizes.push(size);
    this.gone.push(false);
    return this.addrs.length - 1;
  }

  funcCount(): number {
    return this.addrs.length;
  }

  live(fn: number): boolean {
    return fn >= 0 && fn < this.addrs.length && !this.gone[fn];
  }

  addr(fn: number): number {
    return this.addrs[fn] ?? 0;
  }

  size(fn: number): number {
    return this.sizes[fn] ?? 0;
  }
}

/** The task facts the handler reads. */
export interface RefPatchStates {
  /** patch_state of a live task, or null for an unknown task. */
  patchStateOf(task: number): number | null;
}

export interface RefFunc {
  readonly id: number;
  readonly patchId: number;
  readonly oldFn: number;
  readonly newFn: number;
  readonly nop: boolean;
  readonly seq: number;
  patched: boolean;
  transition: boolean;
}

export class RefOps {
  private readonly entries: (RefFunc | undefined)[] = [];
  private readonly freeIds: number[] = [];
  /** func_stack per original function, head first. */
  private readonly stacks = new Map<number, RefFunc[]>();
  private seq = 0;
  private warnings = 0;

  constructor(
    private readonly syms: RefSyms,
    private readonly tasks: RefPatchStates,
  ) {}

  private entry(e: number): RefFunc | undefined {
    return this.entries[e];
  }

  newFunc(patchId: number, oldFn: number, newFn: number, nop = false): number {
    if (!this.syms.live(oldFn)) return -EINVAL;
    if (!nop && !this.syms.live(newFn)) return -EINVAL;
    const id = this.freeIds.pop() ?? this.entries.length;
    const f: RefFunc = {
      id,
      patchId: patchId >>> 0,
      oldFn,
      newFn: nop ? oldFn : newFn,
      nop,
      seq: this.seq++,
      patched: false,
      transition: false,
    };
    this.entries[id] = f;
    return id;
  }

  freeFunc(e: number): number {
    const f = this.entry(e);
    if (!f) return -EINVAL;
    if (f.patched) return -EBUSY;
    this.entries[e] = undefined;
    this.freeIds.push(e);
    return 0;
  }

  setTransition(e: number, on: boolean): number {
    const f = this.entry(e);
    if (!f) return -EINVAL;
    f.transition = on;
    return 0;
  }

  transition(e: number): number {
    const f = this.entry(e);
    return f ? Number(f.transition) : -EINVAL;
  }

  patched(e: number): number {
    const f = this.entry(e);
    return f ? Number(f.patched) : -EINVAL;
  }

  nop(e: number): number {
    const f = this.entry(e);
    return f ? Number(f.nop) : -EINVAL;
  }

  /** The entry, when allocated (for the stack check). */
  func(e: number): RefFunc | undefined {
    return this.entry(e);
  }

  push(e: number): number {
    const f = this.entry(e);
    if (!f || f.patched) return -EINVAL;
    const stack = this.stacks.get(f.oldFn);
    f.patched = true;
    if (stack) {
      stack.unshift(f);
      return 0;
    }
    this.stacks.set(f.oldFn, [f]);
    return 1;
  }

  pop(e: number): number {
    const f = this.entry(e);
    if (!f?.patched) return -EINVAL;
    const stack = this.stacks.get(f.oldFn) ?? [];
    stack.splice(stack.indexOf(f), 1);
    f.patched = false;
    if (stack.length > 0) return 0;
    this.stacks.delete(f.oldFn);
    return 1;
  }

  head(fn: number): number {
    if (fn < 0 || fn >= this.syms.funcCount()) return -EINVAL;
    return this.stacks.get(fn)?.[0]?.id ?? -ENOENT;
  }

  next(e: number): number {
    const f = this.entry(e);
    if (!f?.patched) return -EINVAL;
    const stack = this.stacks.get(f.oldFn) ?? [];
    return stack[stack.indexOf(f) + 1]?.id ?? -ENOENT;
  }

  /** The entry below `f` on its func_stack, if any. */
  below(f: RefFunc): RefFunc | undefined {
    const stack = this.stacks.get(f.oldFn) ?? [];
    return stack[stack.indexOf(f) + 1];
  }

  depth(fn: number): number {
    if (fn < 0 || fn >= this.syms.funcCount()) return -EINVAL;
    return this.stacks.get(fn)?.length ?? 0;
  }

  /** The pushed funcs of a patch in func (creation) order. */
  patchFuncs(patchId: number): RefFunc[] {
    return this.entries
      .filter((f): f is RefFunc => f?.patched === true && f.patchId === patchId >>> 0)
      .sort((a, b) => a.seq - b.seq);
  }

  /** klp_ftrace_handler: which function runs when `task` calls `fn`. */
  handler(fn: number, task: number): number {
    const state = this.tasks.patchStateOf(task);
    if (state === null) return -ESRCH;
    if (fn < 0 || fn >= this.syms.funcCount()) return -EINVAL;
    const stack = this.stacks.get(fn);
    let func = stack?.[0];
    if (!stack || !func) return fn;
    if (func.transition) {
      if (state === -1) this.warnings++;
      else if (state === 0) {
        func = stack[1];
        if (!func) return fn;
      }
    }
    return func.nop ? fn : func.newFn;
  }

  handlerWarnings(): number {
    return this.warnings;
  }
}
