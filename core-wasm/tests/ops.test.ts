import { describe, expect, it } from "vitest";
import { CoreAbortedError, EBUSY, EINVAL, ENOENT, ESRCH } from "../bindings/index.ts";
import { fixture } from "./fixture.ts";

// Function ids in the fixture: 0 = the original, 1..7 = replacements.
const ORIG = 0;

describe("klp_func entries", () => {
  it("records patch, old and new functions; a nop's new function is the original", async () => {
    const { core } = await fixture();
    const e = core.ops.newFunc(7, ORIG, 1);
    const n = core.ops.newFunc(8, ORIG, 5, true);
    expect([core.ops.patchOf(e), core.ops.oldFunc(e), core.ops.newFuncOf(e)]).toEqual([7, 0, 1]);
    expect([core.ops.nop(e), core.ops.nop(n), core.ops.newFuncOf(n)]).toEqual([0, 1, ORIG]);
    expect([core.ops.patched(e), core.ops.transition(e)]).toEqual([0, 0]);
    expect(core.ops.setTransition(e, true)).toBe(0);
    expect(core.ops.transition(e)).toBe(1);
  });

  it("reuses freed entry ids, last freed first, and refuses to free a pushed entry", async () => {
    const { core } = await fixture();
    const a = core.ops.newFunc(1, ORIG, 1);
    const b = core.ops.newFunc(1, 2, 3);
    core.ops.push(a);
    expect(core.ops.freeFunc(a)).toBe(-EBUSY);
    expect(core.ops.freeFunc(b)).toBe(0);
    expect(core.ops.freeFunc(b)).toBe(-EINVAL);
    expect(core.ops.newFunc(2, 4, 5)).toBe(b);
  });

  it("refuses handler decisions once the instance has aborted", async () => {
    const { core } = await fixture();
    const t = core.tasks.alloc();
    expect(core.ops.handler(ORIG, t)).toBe(ORIG);
    expect(() => core.bug()).toThrow(CoreAbortedError);
    expect(() => core.ops.handler(ORIG, t)).toThrow(CoreAbortedError);
    expect(() => core.tasks.sweep(1)).toThrow(CoreAbortedError);
  });

  it("refuses unknown functions and entries", async () => {
    const { core } = await fixture();
    expect(core.ops.newFunc(1, 99, 1)).toBe(-EINVAL);
    expect(core.ops.newFunc(1, ORIG, 99)).toBe(-EINVAL);
    expect(core.ops.newFunc(1, ORIG, 99, true)).toBeGreaterThanOrEqual(0);
    expect(core.ops.push(42)).toBe(-EINVAL);
    expect(core.ops.pop(42)).toBe(-EINVAL);
    expect(core.ops.next(42)).toBe(-EINVAL);
    expect(core.ops.setTransition(42, true)).toBe(-EINVAL);
    expect(core.ops.head(99)).toBe(-EINVAL);
    expect(core.ops.depth(99)).toBe(-EINVAL);
    expect(core.ops.handler(99, core.tasks.alloc())).toBe(-EINVAL);
    expect(core.ops.handler(ORIG, 12345)).toBe(-ESRCH);
  });
});

describe("func_stack (klp_patch_func / klp_unpatch_func)", () => {
  it("creates the ops on the first push, stacks later ones at the head, drops it on the last pop", async () => {
    const { core } = await fixture();
    const a = core.ops.newFunc(1, ORIG, 1);
    const b = core.ops.newFunc(2, ORIG, 2);
    expect(core.ops.head(ORIG)).toBe(-ENOENT);
    expect(core.ops.push(a)).toBe(1);
    expect(core.ops.push(b)).toBe(0);
    expect(core.ops.stack(ORIG)).toEqual([b, a]);
    expect(core.ops.depth(ORIG)).toBe(2);
    expect(core.ops.next(a)).toBe(-ENOENT);
    expect(core.ops.pop(b)).toBe(0);
    expect(core.ops.pop(a)).toBe(1);
    expect(core.ops.head(ORIG)).toBe(-ENOENT);
    expect(core.ops.depth(ORIG)).toBe(0);
  });

  it("refuses a double push and a pop of an entry not pushed, leaving the stack intact", async () => {
    const { core } = await fixture();
    const a = core.ops.newFunc(1, ORIG, 1);
    const b = core.ops.newFunc(2, ORIG, 2);
    expect(core.ops.pop(a)).toBe(-EINVAL);
    core.ops.push(a);
    expect(core.ops.push(a)).toBe(-EINVAL);
    expect(core.ops.pop(b)).toBe(-EINVAL);
    expect(core.ops.stack(ORIG)).toEqual([a]);
  });

  it("removes an entry from the middle of three stacked patches", async () => {
    const { core } = await fixture();
    const [a, b, c] = [1, 2, 3].map((p) => core.ops.newFunc(p, ORIG, p));
    for (const e of [a, b, c]) core.ops.push(e!);
    expect(core.ops.stack(ORIG)).toEqual([c, b, a]);
    expect(core.ops.pop(b!)).toBe(0);
    expect(core.ops.stack(ORIG)).toEqual([c, a]);
    const t = core.tasks.alloc();
    expect(core.ops.handler(ORIG, t)).toBe(3);
    expect(core.ops.pop(c!)).toBe(0);
    expect(core.ops.handler(ORIG, t)).toBe(1);
  });

  it("keeps separate stacks per original function", async () => {
    const { core } = await fixture();
    const a = core.ops.newFunc(1, ORIG, 1);
    const b = core.ops.newFunc(1, 4, 5);
    expect(core.ops.push(a)).toBe(1);
    expect(core.ops.push(b)).toBe(1);
    const t = core.tasks.alloc();
    expect([core.ops.handler(ORIG, t), core.ops.handler(4, t), core.ops.handler(6, t)]).toEqual([
      1, 5, 6,
    ]);
  });
});

describe("handler decision (spec section 5, row by row)", () => {
  /** Patch 1 (ORIG -> 1) below patch 2 (ORIG -> 2, head); tasks in IDLE, UNPATCHED, PATCHED. */
  async function twoPatches(headNop = false, belowNop = false) {
    const { core } = await fixture();
    const n = core.ops.newFunc(1, ORIG, 1, belowNop);
    const t = core.ops.newFunc(2, ORIG, 2, headNop);
    core.ops.push(n);
    core.ops.push(t);
    const idle = core.tasks.alloc();
    const unpatched = core.tasks.alloc();
    const patched = core.tasks.alloc();
    core.tasks.initTransition(1);
    core.tasks.startTransition();
    core.tasks.updatePatchState(patched);
    // The IDLE task: created after init, as a task the transition never saw.
    core.tasks.free(idle);
    const idle2 = core.tasks.alloc();
    return { core, t, idle: idle2, unpatched, patched };
  }

  it("T.transition false: T.new_func whatever the task's state", async () => {
    const { core, idle, unpatched, patched } = await twoPatches();
    for (const task of [idle, unpatched, patched]) expect(core.ops.handler(ORIG, task)).toBe(2);
    expect(core.ops.handlerWarnings()).toBe(0);
  });

  it("T.transition false and T a nop: the original", async () => {
    const { core, unpatched } = await twoPatches(true);
    expect(core.ops.handler(ORIG, unpatched)).toBe(ORIG);
  });

  it("T.transition true, PATCHED: T.new_func (the original for a nop)", async () => {
    const { core, t, patched } = await twoPatches();
    core.ops.setTransition(t, true);
    expect(core.ops.handler(ORIG, patched)).toBe(2);
    const nop = await twoPatches(true);
    nop.core.ops.setTransition(nop.t, true);
    expect(nop.core.ops.handler(ORIG, nop.patched)).toBe(ORIG);
  });

  it("T.transition true, IDLE: as PATCHED, with a WARN counted", async () => {
    const { core, t, idle } = await twoPatches();
    core.ops.setTransition(t, true);
    expect(core.tasks.patchState(idle)).toBe(-1);
    expect(core.ops.handler(ORIG, idle)).toBe(2);
    expect(core.ops.handler(ORIG, idle)).toBe(2);
    expect(core.ops.handlerWarnings()).toBe(2);
  });

  it("T.transition true, UNPATCHED: N.new_func", async () => {
    const { core, t, unpatched } = await twoPatches();
    core.ops.setTransition(t, true);
    expect(core.ops.handler(ORIG, unpatched)).toBe(1);
  });

  it("T.transition true, UNPATCHED, N a nop: the original", async () => {
    const { core, t, unpatched } = await twoPatches(false, true);
    core.ops.setTransition(t, true);
    expect(core.ops.handler(ORIG, unpatched)).toBe(ORIG);
  });

  it("T.transition true, UNPATCHED, no N: the original", async () => {
    const { core } = await fixture();
    const t = core.ops.newFunc(1, ORIG, 3);
    core.ops.setTransition(t, true);
    core.ops.push(t);
    const task = core.tasks.alloc();
    core.tasks.initTransition(1);
    expect(core.ops.handler(ORIG, task)).toBe(ORIG);
    core.tasks.startTransition();
    core.tasks.updatePatchState(task);
    expect(core.ops.handler(ORIG, task)).toBe(3);
  });

  it("only the head's transition flag matters", async () => {
    const { core, t, unpatched } = await twoPatches();
    const below = core.ops.next(t);
    core.ops.setTransition(below, true);
    expect(core.ops.handler(ORIG, unpatched)).toBe(2);
  });

  it("an unpatched function runs itself", async () => {
    const { core, unpatched } = await twoPatches();
    expect(core.ops.handler(3, unpatched)).toBe(3);
  });
});
