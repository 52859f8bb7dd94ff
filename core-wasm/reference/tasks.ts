// tasks.ts (reference): tasks as objects with arrays of frames, and the transition over them, in
// plain TypeScript. Same semantics and return codes as assembly/task.ts and transition.ts
// (kernel/livepatch/transition.c). `sweep` is the clear code (compare each frame's function with
// each func's forbidden function); `sweepFramewalk` compares return addresses with address ranges
// the way klp_check_stack_func does.
import { E2BIG, EADDRINUSE, EBUSY, EINVAL, ESRCH } from "../assembly/shared/errno.ts";
import { type RefFunc, RefOps, type RefPatchStates, type RefSyms } from "./ops.ts";

export const MAX_STACK_ENTRIES = 100;
export const TASK_MAX_DEPTH = 1024;

export interface RefTask {
  live: boolean;
  patchState: number;
  pending: boolean;
  running: boolean;
  unreliable: boolean;
  /** Compact frames (funcId << 12 | offset), outermost first. */
  frames: number[];
}

export interface RefFailure {
  task: number;
  errno: number;
  func: number;
  entry: number;
}

export class RefTasks implements RefPatchStates {
  readonly tasks: RefTask[] = [];
  private readonly freeIds: number[] = [];
  target = -1;
  failures: RefFailure[] = [];
  /** Set after construction: the ops the stack check reads. */
  ops: RefOps | null = null;

  constructor(private readonly syms: RefSyms) {}

  private task(id: number): RefTask | undefined {
    const t = this.tasks[id];
    return t?.live ? t : undefined;
  }

  patchStateOf(id: number): number | null {
    return this.task(id)?.patchState ?? null;
  }

  private frameValid(f: number): boolean {
    const fn = f >>> 12;
    return this.syms.live(fn) && (f & 0xfff) < this.syms.size(fn);
  }

  alloc(): number {
    const t: RefTask = {
      live: true,
      patchState: -1,
      pending: false,
      running: false,
      unreliable: false,
      frames: [],
    };
    const id = this.freeIds.pop() ?? this.tasks.length;
    this.tasks[id] = t;
    return id;
  }

  free(id: number): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    t.live = false;
    this.freeIds.push(id);
    return 0;
  }

  liveCount(): number {
    return this.tasks.filter((t) => t.live).length;
  }

  copyProcess(child: number, parent: number): number {
    const c = this.task(child);
    const p = this.task(parent);
    if (!c || !p) return -ESRCH;
    c.patchState = p.patchState;
    c.pending = p.pending;
    return 0;
  }

  pushFrame(id: number, f: number): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    if (!this.frameValid(f)) return -EINVAL;
    if (t.frames.length >= TASK_MAX_DEPTH) return -E2BIG;
    t.frames.push(f >>> 0);
    return t.frames.length;
  }

  popFrame(id: number): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    if (t.frames.length === 0) return -EINVAL;
    t.frames.pop();
    return t.frames.length;
  }

  setStack(id: number, frames: readonly number[]): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    if (frames.length > TASK_MAX_DEPTH) return -E2BIG;
    if (!frames.every((f) => this.frameValid(f))) return -EINVAL;
    t.frames = frames.map((f) => f >>> 0);
    return frames.length;
  }

  depth(id: number): number {
    return this.task(id)?.frames.length ?? -ESRCH;
  }

  setRunning(id: number, on: boolean): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    t.running = on;
    return 0;
  }

  setUnreliable(id: number, on: boolean): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    t.unreliable = on;
    return 0;
  }

  patchState(id: number): number {
    return this.task(id)?.patchState ?? -ESRCH;
  }

  pending(id: number): number {
    const t = this.task(id);
    return t ? Number(t.pending) : -ESRCH;
  }

  private live(): RefTask[] {
    return this.tasks.filter((t) => t.live);
  }

  initTransition(target: number): number {
    if (target !== 0 && target !== 1) return -EINVAL;
    if (this.target !== -1) return -EBUSY;
    this.target = target;
    let warned = 0;
    for (const t of this.live()) {
      if (t.patchState !== -1) warned++;
      t.patchState = target === 0 ? 1 : 0;
    }
    return warned;
  }

  startTransition(): number {
    if (this.target === -1) return -EINVAL;
    let n = 0;
    for (const t of this.live()) {
      if (t.patchState !== this.target) {
        t.pending = true;
        n++;
      }
    }
    return n;
  }

  updatePatchState(id: number): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    if (!t.pending) return 0;
    t.pending = false;
    t.patchState = this.target;
    return 1;
  }

  /** The function whose body is `f`'s forbidden range (klp_check_stack_func). */
  private rangeFunc(f: RefFunc): number {
    if (this.target === 0) return f.newFn;
    return this.ops?.below(f)?.newFn ?? f.oldFn;
  }

  /** 0, -EBUSY, -EINVAL, or the failing func. */
  private check(t: RefTask, funcs: RefFunc[], self: boolean, walk: boolean): number | RefFunc {
    if (t.running && !self) return -EBUSY;
    if (t.unreliable || t.frames.length >= MAX_STACK_ENTRIES) return -EINVAL;
    if (walk) return this.walk(t, funcs);
    for (const f of funcs) {
      const rf = this.rangeFunc(f);
      if (t.frames.some((fr) => fr >>> 12 === rf)) return f;
    }
    return 0;
  }

  /** klp_check_stack: save the return addresses, then compare them with each func's range. */
  private walk(t: RefTask, funcs: RefFunc[]): number | RefFunc {
    const entries = t.frames.map((fr) => {
      const fn = fr >>> 12;
      return fn < this.syms.funcCount() ? this.syms.addr(fn) + (fr & 0xfff) : 0;
    });
    for (const f of funcs) {
      const rf = this.rangeFunc(f);
      const start = this.syms.addr(rf);
      const end = start + this.syms.size(rf);
      if (entries.some((a) => a >= start && a < end)) return f;
    }
    return 0;
  }

  private failure(id: number, res: number | RefFunc): RefFailure {
    if (typeof res === "number") return { task: id, errno: res, func: -1, entry: -1 };
    return { task: id, errno: -EADDRINUSE, func: res.oldFn, entry: res.id };
  }

  private trySwitchImpl(id: number, patchId: number, self: boolean): number {
    const t = this.task(id);
    if (!t) return -ESRCH;
    if (t.patchState === this.target) return 0;
    this.failures = [];
    const res = this.check(t, this.ops?.patchFuncs(patchId) ?? [], self, false);
    if (res === 0) {
      t.pending = false;
      t.patchState = this.target;
      return 0;
    }
    const fail = this.failure(id, res);
    this.failures = [fail];
    return fail.errno;
  }

  trySwitch(id: number, patchId: number): number {
    return this.trySwitchImpl(id, patchId, false);
  }

  trySwitchCurrent(id: number, patchId: number): number {
    return this.trySwitchImpl(id, patchId, true);
  }

  /** One pass over every unswitched task. @returns how many remain, or -EINVAL. */
  sweep(patchId: number, walk = false): number {
    if (this.target === -1) return -EINVAL;
    const funcs = this.ops?.patchFuncs(patchId) ?? [];
    this.failures = [];
    this.tasks.forEach((t, id) => {
      if (!t.live || t.patchState === this.target) return;
      const res = this.check(t, funcs, false, walk);
      if (res === 0) {
        t.pending = false;
        t.patchState = this.target;
      } else {
        this.failures.push(this.failure(id, res));
      }
    });
    return this.failures.length;
  }

  sweepFramewalk(patchId: number): number {
    return this.sweep(patchId, true);
  }

  completeTransition(): number {
    if (this.target === -1) return -EINVAL;
    let warned = 0;
    for (const t of this.live()) {
      if (t.pending) warned++;
      t.pending = false;
      t.patchState = -1;
    }
    this.target = -1;
    return warned;
  }

  reverseTransition(): number {
    if (this.target === -1) return -EINVAL;
    this.target = this.target === 0 ? 1 : 0;
    for (const t of this.live()) t.pending = false;
    return this.startTransition();
  }

  forceTransition(): number {
    if (this.target === -1) return -EINVAL;
    let n = 0;
    for (const t of this.live()) {
      if (!t.pending) continue;
      t.pending = false;
      t.patchState = this.target;
      n++;
    }
    return n;
  }

  cancelTransition(): number {
    if (this.target !== 1) return -EINVAL;
    this.target = 0;
    return 0;
  }
}

/** A reference model: ops and tasks over one kallsyms, wired together. */
export function createReference(syms: RefSyms): { ops: RefOps; tasks: RefTasks } {
  const tasks = new RefTasks(syms);
  const ops = new RefOps(syms, tasks);
  tasks.ops = ops;
  return { ops, tasks };
}
