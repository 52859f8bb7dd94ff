// ops.ts: typed door to klp_func entries, func_stacks and the handler decision (assembly/ops.ts).
import type { CoreInstance, RawFn } from "./instance.ts";

const NAMES = [
  "klp_func_new",
  "klp_func_free",
  "klp_func_set_transition",
  "klp_func_transition",
  "klp_func_patched",
  "klp_func_nop",
  "klp_func_patch",
  "klp_func_old",
  "klp_func_new_func",
  "ops_push",
  "ops_pop",
  "ops_head",
  "ops_next",
  "ops_depth",
  "klp_handler",
  "klp_handler_warnings",
] as const;

/** klp_func entries and the klp_ops func_stack of each patched function. Ids are function ids. */
export class KlpOps {
  private readonly x;
  /** klp_handler's guarded export, held in a field: the hot path skips the export-table lookup. */
  private readonly handlerFn: RawFn;

  constructor(private readonly core: CoreInstance) {
    this.x = core.fns(NAMES);
    this.handlerFn = this.x.klp_handler;
  }

  /**
   * A klp_func of patch `patchId` redirecting `oldFn` to `newFn` (ignored for a nop, whose new
   * function is the original). @returns the entry id, or -EINVAL / -ENOSPC / -ENOMEM.
   */
  newFunc(patchId: number, oldFn: number, newFn: number, nop = false): number {
    return this.x.klp_func_new(patchId, oldFn, newFn, nop ? 1 : 0);
  }

  /** @returns 0, -EINVAL (unknown entry), -EBUSY (still pushed). */
  freeFunc(e: number): number {
    return this.x.klp_func_free(e);
  }

  /** Sets func->transition. @returns 0 or -EINVAL. */
  setTransition(e: number, on: boolean): number {
    return this.x.klp_func_set_transition(e, on ? 1 : 0);
  }

  /** @returns 1/0, or -EINVAL. */
  transition(e: number): number {
    return this.x.klp_func_transition(e);
  }

  /** func->patched (on a func_stack): 1/0, or -EINVAL. */
  patched(e: number): number {
    return this.x.klp_func_patched(e);
  }

  /** @returns 1/0, or -EINVAL. */
  nop(e: number): number {
    return this.x.klp_func_nop(e);
  }

  /** @returns the entry's patch id, or -EINVAL. */
  patchOf(e: number): number {
    return this.x.klp_func_patch(e);
  }

  /** @returns old_func's function id, or -EINVAL. */
  oldFunc(e: number): number {
    return this.x.klp_func_old(e);
  }

  /** @returns new_func's function id (old_func for a nop), or -EINVAL. */
  newFuncOf(e: number): number {
    return this.x.klp_func_new_func(e);
  }

  /**
   * klp_patch_func: pushes at the head. @returns 1 when it created the klp_ops (register ftrace for
   * the entry site), 0 otherwise, -EINVAL (unknown or already pushed), -ENOMEM.
   */
  push(e: number): number {
    return this.x.ops_push(e);
  }

  /**
   * klp_unpatch_func: removes from anywhere. @returns 1 when the stack became empty (unregister
   * ftrace), 0 otherwise, -EINVAL (unknown or not pushed).
   */
  pop(e: number): number {
    return this.x.ops_pop(e);
  }

  /** @returns the head entry, -ENOENT when `fn` has no klp_ops, -EINVAL (unknown function). */
  head(fn: number): number {
    return this.x.ops_head(fn);
  }

  /** @returns the entry below `e`, -ENOENT at the bottom, -EINVAL when `e` is not pushed. */
  next(e: number): number {
    return this.x.ops_next(e);
  }

  /** @returns the func_stack depth of `fn`, or -EINVAL. */
  depth(fn: number): number {
    return this.x.ops_depth(fn);
  }

  /** The func_stack of `fn`, head first (empty when none or unknown). */
  stack(fn: number): number[] {
    const out: number[] = [];
    for (let e = this.head(fn); e >= 0; e = this.next(e)) out.push(e);
    return out;
  }

  /**
   * klp_ftrace_handler's decision: the function id that runs when `task` calls `fn`.
   * @returns the function id, -EINVAL (unknown function), -ESRCH (unknown task).
   */
  handler(fn: number, task: number): number {
    // A dead instance replaces its exports; the cached one would not know, so ask the table then.
    if (this.core.aborted) return this.x.klp_handler(fn, task);
    return this.handlerFn(fn, task);
  }

  /** Handler calls that met an IDLE task on a transition head (the kernel WARNs once). */
  handlerWarnings(): number {
    return this.x.klp_handler_warnings() >>> 0;
  }
}
