import { describe, expect, it } from "vitest";
import { E2BIG, EINVAL, ENOMEM, ESRCH, frame, TASK_MAX_DEPTH } from "../bindings/index.ts";
import { fixture } from "./fixture.ts";

/** Capacity of the stack arena (REGION_TASK_FRAMES) and the task table (REGION_TASK_STATE). */
function taskBytes(core: Awaited<ReturnType<typeof fixture>>["core"]): number {
  const cap = core.instance.fns(["core_region_capacity"]).core_region_capacity;
  return cap(12) + cap(10);
}

describe("tasks", () => {
  it("start IDLE, not pending, asleep, with an empty stack", async () => {
    const { core } = await fixture();
    const t = core.tasks.alloc();
    expect(t).toBe(0);
    expect([core.tasks.patchState(t), core.tasks.pending(t), core.tasks.depth(t)]).toEqual([
      -1, 0, 0,
    ]);
    expect([core.tasks.running(t), core.tasks.unreliable(t)]).toEqual([0, 0]);
    expect(core.tasks.live(t)).toBe(true);
  });

  it("reuse freed ids last first, and answer -ESRCH for dead or unknown ids", async () => {
    const { core } = await fixture();
    const [a, b, c] = [core.tasks.alloc(), core.tasks.alloc(), core.tasks.alloc()];
    expect(core.tasks.free(b)).toBe(0);
    expect(core.tasks.free(a)).toBe(0);
    expect(core.tasks.free(a)).toBe(-ESRCH);
    expect(core.tasks.liveCount()).toBe(1);
    expect(core.tasks.patchState(b)).toBe(-ESRCH);
    expect(core.tasks.pushFrame(b, frame(0, 0))).toBe(-ESRCH);
    expect(core.tasks.setRunning(999, true)).toBe(-ESRCH);
    expect(core.tasks.alloc()).toBe(a);
    expect(core.tasks.alloc()).toBe(b);
    expect(core.tasks.alloc()).toBe(c + 1);
  });

  it("push and pop frames, outermost first, validating return addresses", async () => {
    const { core } = await fixture();
    const t = core.tasks.alloc();
    expect(core.tasks.pushFrame(t, frame(1, 10))).toBe(1);
    expect(core.tasks.pushFrame(t, frame(1, 79))).toBe(2);
    expect(core.tasks.pushFrame(t, frame(1, 80))).toBe(-EINVAL); // function 1 is 80 bytes
    expect(core.tasks.pushFrame(t, frame(77, 0))).toBe(-EINVAL);
    expect(core.tasks.stack(t)).toEqual([frame(1, 10), frame(1, 79)]);
    expect(core.tasks.frame(t, 2)).toBe(-EINVAL);
    expect(core.tasks.popFrame(t)).toBe(1);
    expect(core.tasks.popFrame(t)).toBe(0);
    expect(core.tasks.popFrame(t)).toBe(-EINVAL);
  });

  it("keep frames when a stack grows through several size classes", async () => {
    const { core } = await fixture();
    const a = core.tasks.alloc();
    const b = core.tasks.alloc();
    const want: number[] = [];
    for (let i = 0; i < 300; i++) {
      const f = frame(i % 8, i % 64);
      want.push(f);
      expect(core.tasks.pushFrame(a, f)).toBe(i + 1);
      core.tasks.pushFrame(b, frame(3, 1));
    }
    expect(core.tasks.stack(a)).toEqual(want);
    expect(core.tasks.depth(b)).toBe(300);
  });

  it("set a whole stack through scratch, refusing bad frames without changing anything", async () => {
    const { core } = await fixture();
    const t = core.tasks.alloc();
    const frames = Uint32Array.from([frame(0, 1), frame(1, 2), frame(7, 3)]);
    expect(core.tasks.setStack(t, frames)).toBe(3);
    expect(core.tasks.stack(t)).toEqual([...frames]);
    expect(core.tasks.setStack(t, Uint32Array.from([frame(0, 1), frame(50, 0)]))).toBe(-EINVAL);
    expect(core.tasks.stack(t)).toEqual([...frames]);
    expect(core.tasks.setStack(t, new Uint32Array(TASK_MAX_DEPTH + 1))).toBe(-E2BIG);
    expect(core.tasks.setStack(t, new Uint32Array(0))).toBe(0);
    expect(core.tasks.depth(t)).toBe(0);
  });

  it("refuse a stack deeper than TASK_MAX_DEPTH", async () => {
    const { core } = await fixture();
    const t = core.tasks.alloc();
    expect(core.tasks.setStack(t, new Uint32Array(TASK_MAX_DEPTH).fill(frame(0, 0)))).toBe(1024);
    expect(core.tasks.pushFrame(t, frame(0, 0))).toBe(-E2BIG);
  });

  it("reuse freed stack blocks instead of growing the arena", async () => {
    const { core } = await fixture();
    const stack = new Uint32Array(32).fill(frame(1, 1));
    const ids = Array.from({ length: 100 }, () => core.tasks.alloc());
    for (const id of ids) core.tasks.setStack(id, stack);
    const bytes = taskBytes(core);
    for (const id of ids) core.tasks.free(id);
    for (let i = 0; i < 100; i++) core.tasks.setStack(core.tasks.alloc(), stack);
    expect(taskBytes(core)).toBe(bytes);
  });

  it("copy patch_state and TIF_PATCH_PENDING at fork (klp_copy_process)", async () => {
    const { core } = await fixture();
    const parent = core.tasks.alloc();
    core.tasks.initTransition(1);
    core.tasks.startTransition();
    const child = core.tasks.alloc();
    core.tasks.setRunning(child, true);
    expect(core.tasks.copyProcess(child, parent)).toBe(0);
    expect([core.tasks.patchState(child), core.tasks.pending(child)]).toEqual([0, 1]);
    expect(core.tasks.running(child)).toBe(1);
    expect(core.tasks.copyProcess(child, 99)).toBe(-ESRCH);
  });

  it("set and clear the running and unreliable flags, refusing other values", async () => {
    const { core } = await fixture();
    const t = core.tasks.alloc();
    core.tasks.setRunning(t, true);
    core.tasks.setUnreliable(t, true);
    expect([core.tasks.running(t), core.tasks.unreliable(t)]).toEqual([1, 1]);
    core.tasks.setRunning(t, false);
    expect(core.tasks.running(t)).toBe(0);
    expect(core.instance.fns(["task_set_running"]).task_set_running(t, 2)).toBe(-EINVAL);
  });

  it("survive a snapshot and restore with stacks and states intact", async () => {
    const { core } = await fixture();
    const ids = Array.from({ length: 50 }, () => core.tasks.alloc());
    ids.forEach((id, i) => {
      core.tasks.setStack(
        id,
        Uint32Array.from({ length: i }, (_, k) => frame(k % 8, k)),
      );
    });
    core.tasks.initTransition(1);
    const snap = core.snapshot();
    const before = ids.map((id) => [core.tasks.stack(id), core.tasks.patchState(id)]);
    for (const id of ids) core.tasks.free(id);
    core.tasks.completeTransition();
    expect(core.restore(snap)).toBe(0);
    expect(ids.map((id) => [core.tasks.stack(id), core.tasks.patchState(id)])).toEqual(before);
    expect(core.tasks.targetState()).toBe(1);
  });

  it("preallocate with reserve and refuse impossible sizes", async () => {
    const { core } = await fixture();
    expect(core.tasks.reserve(1000, 32)).toBe(0);
    const bytes = taskBytes(core);
    const stack = new Uint32Array(32).fill(frame(0, 0));
    for (let i = 0; i < 1000; i++) core.tasks.setStack(core.tasks.alloc(), stack);
    expect(taskBytes(core)).toBe(bytes);
    expect(core.tasks.reserve(1000, 5000)).toBe(-EINVAL);
  });

  it("fail with -ENOMEM at the memory limit and stay consistent", async () => {
    const { core } = await fixture();
    const keep = core.tasks.alloc();
    core.tasks.setStack(keep, Uint32Array.from([frame(1, 1), frame(2, 2)]));
    core.setMemoryLimit(core.regionBytes() + 64 * 1024);
    let err = 0;
    const made: number[] = [];
    const stack = new Uint32Array(64).fill(frame(3, 3));
    while (err === 0) {
      const t = core.tasks.alloc();
      if (t < 0) {
        err = t;
        break;
      }
      made.push(t);
      const r = core.tasks.setStack(t, stack);
      if (r < 0) err = r;
    }
    expect(err).toBe(-ENOMEM);
    expect(core.tasks.stack(keep)).toEqual([frame(1, 1), frame(2, 2)]);
    const last = made[made.length - 1]!;
    expect([0, 64]).toContain(core.tasks.depth(last));
    const e = core.ops.newFunc(1, 0, 1);
    expect(e >= 0 || e === -ENOMEM).toBe(true);
    core.setMemoryLimit(1536 * 1024 * 1024);
    expect(core.tasks.setStack(last, stack)).toBe(64);
    expect(core.tasks.pushFrame(keep, frame(4, 4))).toBe(3);
  });
});
