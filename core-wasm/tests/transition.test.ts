import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EADDRINUSE,
  EBUSY,
  EINVAL,
  ESRCH,
  frame,
  MAX_STACK_ENTRIES,
  VMLINUX,
} from "../bindings/index.ts";
import { RefKallsyms } from "../reference/ops.ts";
import { createReference } from "../reference/tasks.ts";
import { fixture } from "./fixture.ts";
import { loadCore } from "./loadCore.ts";

// Fixture functions: 0..3 originals, 4..7 replacements.
const A = 0;
const B = 1;
const NEW_A = 4;
const NEW_B = 5;

/** One patch (id 1) replacing A and B, pushed, with tasks sleeping at the given stacks. */
async function patching(stacks: number[][]) {
  const f = await fixture();
  const { core } = f;
  const tasks = stacks.map((s) => {
    const t = core.tasks.alloc();
    core.tasks.setStack(t, Uint32Array.from(s));
    return t;
  });
  const ea = core.ops.newFunc(1, A, NEW_A);
  const eb = core.ops.newFunc(1, B, NEW_B);
  expect(core.tasks.initTransition(1)).toBe(0);
  for (const e of [ea, eb]) core.ops.setTransition(e, true);
  for (const e of [ea, eb]) core.ops.push(e);
  expect(core.tasks.startTransition()).toBe(stacks.length);
  return { ...f, tasks, ea, eb };
}

describe("transition sequences", () => {
  it("init sets !target, start sets pending, update switches, complete returns to IDLE", async () => {
    const { core, tasks } = await patching([[], []]);
    const [t0, t1] = tasks as [number, number];
    expect(core.tasks.targetState()).toBe(1);
    expect([core.tasks.patchState(t0), core.tasks.pending(t0)]).toEqual([0, 1]);
    expect(core.tasks.updatePatchState(t0)).toBe(1);
    expect(core.tasks.updatePatchState(t0)).toBe(0);
    expect([core.tasks.patchState(t0), core.tasks.pending(t0)]).toEqual([1, 0]);
    expect(core.tasks.completeTransition()).toBe(1); // t1 still pending: the kernel WARNs
    expect([core.tasks.patchState(t1), core.tasks.pending(t1)]).toEqual([-1, 0]);
    expect(core.tasks.targetState()).toBe(-1);
  });

  it("refuses a second init and calls that need a transition when there is none", async () => {
    const { core } = await patching([[]]);
    expect(core.tasks.initTransition(0)).toBe(-EBUSY);
    core.tasks.completeTransition();
    expect(core.tasks.initTransition(2 as 0)).toBe(-EINVAL);
    expect(core.tasks.startTransition()).toBe(-EINVAL);
    expect(core.tasks.sweep(1)).toBe(-EINVAL);
    expect(core.tasks.reverseTransition()).toBe(-EINVAL);
    expect(core.tasks.forceTransition()).toBe(-EINVAL);
    expect(core.tasks.completeTransition()).toBe(-EINVAL);
    expect(core.tasks.cancelTransition()).toBe(-EINVAL);
    expect(core.tasks.updatePatchState(77)).toBe(-ESRCH);
    expect(core.tasks.trySwitch(77, 1)).toBe(-ESRCH);
  });

  it("counts tasks that were not IDLE at init (the kernel's WARN)", async () => {
    const { core } = await patching([[], []]);
    core.tasks.cancelTransition();
    expect(core.tasks.targetState()).toBe(0);
    // Pretend completion never reset them: reverse to patching and re-init without completing.
    const snap = core.snapshot();
    core.tasks.completeTransition();
    core.restore(snap);
    expect(core.tasks.completeTransition()).toBe(2);
    expect(core.tasks.initTransition(1)).toBe(0);
  });

  it("sweeps: switches clean tasks, keeps and records blocked ones", async () => {
    const { core, tasks, ea } = await patching([
      [frame(6, 0), frame(A, 8)],
      [frame(6, 0), frame(NEW_A, 8)],
      [frame(7, 3)],
    ]);
    expect(core.tasks.sweep(1)).toBe(1);
    expect(core.tasks.failures()).toEqual([
      { task: tasks[0], errno: -EADDRINUSE, func: A, entry: ea },
    ]);
    expect(tasks.map((t) => core.tasks.patchState(t))).toEqual([0, 1, 1]);
    expect(tasks.map((t) => core.tasks.pending(t))).toEqual([1, 0, 0]);
    core.tasks.popFrame(tasks[0]!);
    expect(core.tasks.sweep(1)).toBe(0);
    expect(core.tasks.failures()).toEqual([]);
    expect(core.tasks.completeTransition()).toBe(0);
  });

  it("reverses a stalled patching transition: switched tasks become pending again", async () => {
    const { core, tasks } = await patching([[frame(A, 1)], []]);
    core.tasks.sweep(1);
    expect(tasks.map((t) => core.tasks.patchState(t))).toEqual([0, 1]);
    expect(core.tasks.reverseTransition()).toBe(1);
    expect(core.tasks.targetState()).toBe(0);
    expect(tasks.map((t) => core.tasks.pending(t))).toEqual([0, 1]);
    // Unpatching forbids the new functions, so the task sleeping in A no longer blocks.
    expect(core.tasks.sweep(1)).toBe(0);
    expect(tasks.map((t) => core.tasks.patchState(t))).toEqual([0, 0]);
  });

  it("forces every pending task to the target without a stack check", async () => {
    const { core, tasks } = await patching([[frame(A, 1)], [frame(B, 1)], []]);
    core.tasks.setRunning(tasks[2]!, true);
    expect(core.tasks.forceTransition()).toBe(3);
    expect(tasks.map((t) => core.tasks.patchState(t))).toEqual([1, 1, 1]);
    expect(core.tasks.sweep(1)).toBe(0);
  });

  it("gives a forked child its parent's state during a transition", async () => {
    const { core, tasks } = await patching([[frame(A, 1)]]);
    const child = core.tasks.alloc();
    core.tasks.copyProcess(child, tasks[0]!);
    expect([core.tasks.patchState(child), core.tasks.pending(child)]).toEqual([0, 1]);
    expect(core.tasks.sweep(1)).toBe(1); // the child has an empty stack and switches
    expect(core.tasks.patchState(child)).toBe(1);
  });
});

describe("klp_try_switch_task reasons", () => {
  it("is running on a CPU: -EBUSY, but not when the task checks itself", async () => {
    const { core, tasks } = await patching([[frame(6, 1)]]);
    core.tasks.setRunning(tasks[0]!, true);
    expect(core.tasks.trySwitch(tasks[0]!, 1)).toBe(-EBUSY);
    expect(core.tasks.failures()).toEqual([{ task: tasks[0], errno: -EBUSY, func: -1, entry: -1 }]);
    expect(core.tasks.trySwitchCurrent(tasks[0]!, 1)).toBe(0);
    expect(core.tasks.patchState(tasks[0]!)).toBe(1);
    expect(core.tasks.trySwitch(tasks[0]!, 1)).toBe(0); // already switched: no walk
  });

  it("has an unreliable stack: -EINVAL, flagged or 100 entries deep or more", async () => {
    const deep = (n: number) => Array.from({ length: n }, () => frame(6, 1));
    const { core, tasks } = await patching([[], deep(MAX_STACK_ENTRIES - 1), deep(100), deep(101)]);
    core.tasks.setUnreliable(tasks[0]!, true);
    expect(tasks.map((t) => core.tasks.trySwitch(t, 1))).toEqual([-EINVAL, 0, -EINVAL, -EINVAL]);
  });

  it("is sleeping on a function: reports the first func of the patch in func order", async () => {
    const f = await fixture();
    const { core } = f;
    // Make entry ids run against creation order, so that order must come from creation.
    const tmp = [core.ops.newFunc(9, 2, 6), core.ops.newFunc(9, 3, 6)];
    for (const e of tmp) core.ops.freeFunc(e);
    const ea = core.ops.newFunc(1, A, NEW_A); // created first, gets the higher id
    const eb = core.ops.newFunc(1, B, NEW_B);
    expect(ea).toBeGreaterThan(eb);
    const t = core.tasks.alloc();
    core.tasks.setStack(t, Uint32Array.from([frame(B, 2), frame(A, 2)]));
    core.tasks.initTransition(1);
    core.ops.push(ea);
    core.ops.push(eb);
    core.tasks.startTransition();
    expect(core.tasks.trySwitch(t, 1)).toBe(-EADDRINUSE);
    expect(core.tasks.failures()[0]).toEqual({ task: t, errno: -EADDRINUSE, func: A, entry: ea });
    expect(core.tasks.sweepFramewalk(1)).toBe(1);
    expect(core.tasks.failures()[0]?.func).toBe(A);
  });

  it("patching a stacked function forbids the entry below, not the original", async () => {
    const { core } = await fixture();
    const old = core.ops.newFunc(1, A, NEW_A);
    core.ops.push(old);
    const t1 = core.tasks.alloc();
    const t2 = core.tasks.alloc();
    core.tasks.setStack(t1, Uint32Array.from([frame(A, 4)]));
    core.tasks.setStack(t2, Uint32Array.from([frame(NEW_A, 4)]));
    const top = core.ops.newFunc(2, A, 6);
    core.tasks.initTransition(1);
    core.ops.push(top);
    core.tasks.startTransition();
    expect(core.tasks.sweep(2)).toBe(1);
    expect(core.tasks.failures()).toEqual([{ task: t2, errno: -EADDRINUSE, func: A, entry: top }]);
  });

  it("unpatching forbids the func's new function; for a nop the original", async () => {
    const { core } = await fixture();
    const e = core.ops.newFunc(1, A, NEW_A);
    const nop = core.ops.newFunc(1, B, 0, true);
    core.ops.push(e);
    core.ops.push(nop);
    const inA = core.tasks.alloc();
    const inNewA = core.tasks.alloc();
    const inB = core.tasks.alloc();
    core.tasks.setStack(inA, Uint32Array.from([frame(A, 0)]));
    core.tasks.setStack(inNewA, Uint32Array.from([frame(NEW_A, 0)]));
    core.tasks.setStack(inB, Uint32Array.from([frame(B, 0)]));
    core.tasks.initTransition(0);
    core.tasks.startTransition();
    expect(core.tasks.sweep(1)).toBe(2);
    expect(core.tasks.failures().map((x) => [x.task, x.func])).toEqual([
      [inNewA, A],
      [inB, B],
    ]);
  });

  it("ignores frames naming functions the text no longer knows (text_init again)", async () => {
    const { core, tasks } = await patching([[frame(7, 1), frame(A, 1)]]);
    core.text.init("x86_64");
    core.text.addFunction(VMLINUX, 64);
    expect(core.tasks.sweepFramewalk(1)).toBe(1); // A (id 0) is still known and forbidden
    core.tasks.setStack(tasks[0]!, Uint32Array.from([frame(A, 1)]));
    core.text.init("x86_64");
    expect(core.tasks.sweep(1)).toBe(0);
  });

  it("checks only funcs that are on a func_stack (objects that are patched)", async () => {
    const { core, eb } = await patching([[frame(B, 1)]]);
    core.ops.pop(eb); // the module of B went away mid-transition
    expect(core.tasks.sweep(1)).toBe(0);
  });
});

// ---- property test: the core against the reference ---------------------------------------

const SEED = Number(process.env.KLP_SEED ?? 20261122);
console.log(`fast-check seed ${SEED}`);

const NFUNCS = 12;
const SIZES = Array.from({ length: NFUNCS }, (_, i) => 48 + 16 * (i % 6));

type Op =
  | { k: "newFunc"; patch: number; old: number; nw: number; nop: boolean }
  | { k: "freeFunc" | "push" | "pop"; e: number }
  | { k: "setTransition"; e: number; on: boolean }
  | { k: "alloc" | "start" | "complete" | "reverse" | "force" | "cancel" }
  | { k: "free" | "popFrame" | "update"; t: number }
  | { k: "pushFrame"; t: number; fn: number; off: number }
  | { k: "setStack"; t: number; frames: number[] }
  | { k: "setRunning" | "setUnreliable"; t: number; on: boolean }
  | { k: "copy"; c: number; p: number }
  | { k: "init"; target: number }
  | { k: "trySwitch" | "trySwitchCurrent"; t: number; patch: number }
  | { k: "sweep" | "framewalk"; patch: number }
  | { k: "handler"; fn: number; t: number };

const fnArb = fc.integer({ min: 0, max: NFUNCS });
const taskArb = fc.integer({ min: 0, max: 6 });
const entryArb = fc.integer({ min: 0, max: 6 });
const patchArb = fc.integer({ min: 0, max: 2 });
const frameArb = fc
  .tuple(fc.integer({ min: 0, max: NFUNCS - 1 }), fc.integer({ min: 0, max: 50 }))
  .map(([fn, off]) => frame(fn, off));

const newFuncArb = fc.record({
  k: fc.constant("newFunc" as const),
  patch: patchArb,
  old: fnArb,
  nw: fnArb,
  nop: fc.boolean(),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: newFuncArb, weight: 3 },
  { arbitrary: fc.record({ k: fc.constant("push" as const), e: entryArb }), weight: 3 },
  {
    arbitrary: fc.record({ k: fc.constant("handler" as const), fn: fnArb, t: taskArb }),
    weight: 2,
  },
  fc.record({
    k: fc.constantFrom("freeFunc" as const, "push" as const, "pop" as const),
    e: entryArb,
  }),
  fc.record({ k: fc.constant("push" as const), e: entryArb }),
  fc.record({ k: fc.constant("setTransition" as const), e: entryArb, on: fc.boolean() }),
  fc.record({
    k: fc.constantFrom(
      "alloc" as const,
      "start" as const,
      "complete" as const,
      "reverse" as const,
      "force" as const,
      "cancel" as const,
    ),
  }),
  fc.record({ k: fc.constant("alloc" as const) }),
  fc.record({
    k: fc.constantFrom("free" as const, "popFrame" as const, "update" as const),
    t: taskArb,
  }),
  fc.record({
    k: fc.constant("pushFrame" as const),
    t: taskArb,
    fn: fnArb,
    off: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({
    k: fc.constant("setStack" as const),
    t: taskArb,
    frames: fc.oneof(
      fc.array(frameArb, { maxLength: 6 }),
      fc.array(frameArb, { minLength: 97, maxLength: 102 }),
    ),
  }),
  fc.record({
    k: fc.constantFrom("setRunning" as const, "setUnreliable" as const),
    t: taskArb,
    on: fc.boolean(),
  }),
  fc.record({ k: fc.constant("copy" as const), c: taskArb, p: taskArb }),
  fc.record({ k: fc.constant("init" as const), target: fc.integer({ min: -1, max: 2 }) }),
  {
    arbitrary: fc.record({
      k: fc.constant("init" as const),
      target: fc.integer({ min: 0, max: 1 }),
    }),
    weight: 2,
  },
  fc.record({ k: fc.constant("start" as const) }),
  fc.record({
    k: fc.constantFrom("trySwitch" as const, "trySwitchCurrent" as const),
    t: taskArb,
    patch: patchArb,
  }),
  {
    arbitrary: fc.record({
      k: fc.constantFrom("sweep" as const, "framewalk" as const),
      patch: patchArb,
    }),
    weight: 2,
  },
  fc.record({ k: fc.constant("handler" as const), fn: fnArb, t: taskArb }),
);

type Core = Awaited<ReturnType<typeof loadCore>>;
type Ref = ReturnType<typeof createReference>;

/** Either side: the core's calls or the reference's (one name and order each, so one switch). */
type Side = { ops: Core["ops"] | Ref["ops"]; tasks: Core["tasks"] | Ref["tasks"] };

/** One op on either side; `setStack` is the side's own (a Uint32Array into the core, an array into the reference). */
function apply(
  { ops, tasks }: Side,
  op: Op,
  setStack: (t: number, frames: number[]) => number,
): number {
  switch (op.k) {
    case "newFunc":
      return ops.newFunc(op.patch, op.old, op.nw, op.nop);
    case "freeFunc":
      return ops.freeFunc(op.e);
    case "push":
      return ops.push(op.e);
    case "pop":
      return ops.pop(op.e);
    case "setTransition":
      return ops.setTransition(op.e, op.on);
    case "alloc":
      return tasks.alloc();
    case "start":
      return tasks.startTransition();
    case "complete":
      return tasks.completeTransition();
    case "reverse":
      return tasks.reverseTransition();
    case "force":
      return tasks.forceTransition();
    case "cancel":
      return tasks.cancelTransition();
    case "free":
      return tasks.free(op.t);
    case "popFrame":
      return tasks.popFrame(op.t);
    case "update":
      return tasks.updatePatchState(op.t);
    case "pushFrame":
      return tasks.pushFrame(op.t, frame(op.fn, op.off));
    case "setStack":
      return setStack(op.t, op.frames);
    case "setRunning":
      return tasks.setRunning(op.t, op.on);
    case "setUnreliable":
      return tasks.setUnreliable(op.t, op.on);
    case "copy":
      return tasks.copyProcess(op.c, op.p);
    case "init":
      return tasks.initTransition(op.target as 0 | 1);
    case "trySwitch":
      return tasks.trySwitch(op.t, op.patch);
    case "trySwitchCurrent":
      return tasks.trySwitchCurrent(op.t, op.patch);
    case "sweep":
      return tasks.sweep(op.patch);
    case "framewalk":
      return tasks.sweepFramewalk(op.patch);
    case "handler":
      return ops.handler(op.fn, op.t);
  }
}

const applyCore = (core: Core, op: Op): number =>
  apply(core, op, (t, f) => core.tasks.setStack(t, Uint32Array.from(f)));
const applyRef = (ref: Ref, op: Op): number => apply(ref, op, (t, f) => ref.tasks.setStack(t, f));

/** Every query the engine can make, on both sides. */
function observe(core: Core, ref: Ref): void {
  for (let t = 0; t < 8; t++) {
    expect([core.tasks.patchState(t), core.tasks.pending(t), core.tasks.depth(t)]).toEqual([
      ref.tasks.patchState(t),
      ref.tasks.pending(t),
      ref.tasks.depth(t),
    ]);
    for (let fn = 0; fn <= NFUNCS; fn++) {
      expect(core.ops.handler(fn, t)).toBe(ref.ops.handler(fn, t));
    }
  }
  for (let fn = 0; fn <= NFUNCS; fn++) {
    expect([core.ops.head(fn), core.ops.depth(fn)]).toEqual([ref.ops.head(fn), ref.ops.depth(fn)]);
  }
  expect(core.ops.handlerWarnings()).toBe(ref.ops.handlerWarnings());
  expect(core.tasks.targetState()).toBe(ref.tasks.target);
}

describe("the core against the reference (fast-check)", () => {
  it("gives identical results for random operation sequences", async () => {
    const core = await loadCore();
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 80, size: "max" }), (seq) => {
        core.reset();
        core.text.init("x86_64");
        const syms = new RefKallsyms();
        for (const size of SIZES) {
          syms.add(core.text.funcAddr(core.text.addFunction(VMLINUX, size)), size);
        }
        const ref = createReference(syms);
        for (let i = 0; i < 4; i++) expect(core.tasks.alloc()).toBe(ref.tasks.alloc());
        // Snapshot a third of the way in, run the middle third on the core alone, restore: the
        // reference never saw the middle, so the last third proves the restore exact.
        const cut1 = Math.floor(seq.length / 3);
        const cut2 = Math.floor((2 * seq.length) / 3);
        let snap: ReturnType<Core["snapshot"]> | null = null;
        seq.forEach((op, i) => {
          if (i === cut1) snap = core.snapshot();
          if (i >= cut1 && i < cut2) {
            applyCore(core, op);
            return;
          }
          if (i === cut2 && snap) expect(core.restore(snap)).toBe(0);
          expect(applyCore(core, op), JSON.stringify(op)).toBe(applyRef(ref, op));
          if (op.k === "sweep" || op.k === "framewalk" || op.k.startsWith("trySwitch")) {
            expect(core.tasks.failures()).toEqual(ref.tasks.failures);
          }
        });
        observe(core, ref);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

/** True one time in ten. */
const rarely = fc.integer({ min: 0, max: 9 }).map((x) => x === 0);

interface Scenario {
  patches: { old: number; nw: number; nop: boolean }[][];
  target: 0 | 1;
  tasks: { frames: number[]; running: boolean; unreliable: boolean; early: boolean }[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  patches: fc.array(
    fc.array(
      fc.record({
        old: fc.integer({ min: 0, max: 3 }),
        nw: fc.integer({ min: 4, max: NFUNCS - 1 }),
        nop: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    { minLength: 1, maxLength: 3 },
  ),
  target: fc.constantFrom(0 as const, 1 as const),
  tasks: fc.array(
    fc.record({
      frames: fc.oneof(
        { arbitrary: fc.array(frameArb, { maxLength: 8 }), weight: 8 },
        { arbitrary: fc.array(frameArb, { minLength: 98, maxLength: 101 }), weight: 1 },
      ),
      running: rarely,
      unreliable: rarely,
      early: fc.boolean(),
    }),
    { minLength: 1, maxLength: 20 },
  ),
});

describe("the stack check against the reference (fast-check scenarios)", () => {
  it("sweeps, walks and handler decisions agree for stacked patches", async () => {
    const core = await loadCore();
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        core.reset();
        core.text.init("x86_64");
        const syms = new RefKallsyms();
        for (const size of SIZES) {
          syms.add(core.text.funcAddr(core.text.addFunction(VMLINUX, size)), size);
        }
        const ref = createReference(syms);
        const both = (f: (c: Core) => number, r: (x: Ref) => number) => {
          const a = f(core);
          expect(a).toBe(r(ref));
          return a;
        };
        const last = sc.patches.length - 1;
        const entries: number[] = [];
        sc.patches.forEach((funcs, p) => {
          for (const fn of funcs) {
            const e = both(
              (c) => c.ops.newFunc(p, fn.old, fn.nw, fn.nop),
              (x) => x.ops.newFunc(p, fn.old, fn.nw, fn.nop),
            );
            if (p === last) entries.push(e);
            else
              both(
                (c) => c.ops.push(e),
                (x) => x.ops.push(e),
              );
          }
        });
        sc.tasks.forEach((t) => {
          const id = both(
            (c) => c.tasks.alloc(),
            (x) => x.tasks.alloc(),
          );
          both(
            (c) => c.tasks.setStack(id, Uint32Array.from(t.frames)),
            (x) => x.tasks.setStack(id, t.frames),
          );
          both(
            (c) => c.tasks.setRunning(id, t.running),
            (x) => x.tasks.setRunning(id, t.running),
          );
          both(
            (c) => c.tasks.setUnreliable(id, t.unreliable),
            (x) => x.tasks.setUnreliable(id, t.unreliable),
          );
        });
        both(
          (c) => c.tasks.initTransition(sc.target),
          (x) => x.tasks.initTransition(sc.target),
        );
        for (const e of entries) {
          both(
            (c) => c.ops.setTransition(e, true),
            (x) => x.ops.setTransition(e, true),
          );
          if (sc.target === 1)
            both(
              (c) => c.ops.push(e),
              (x) => x.ops.push(e),
            );
        }
        if (sc.target === 0) {
          for (const e of entries)
            both(
              (c) => c.ops.push(e),
              (x) => x.ops.push(e),
            );
        }
        both(
          (c) => c.tasks.startTransition(),
          (x) => x.tasks.startTransition(),
        );
        sc.tasks.forEach((t, id) => {
          if (t.early)
            both(
              (c) => c.tasks.updatePatchState(id),
              (x) => x.tasks.updatePatchState(id),
            );
        });
        observe(core, ref);
        const snap = core.snapshot();
        both(
          (c) => c.tasks.sweepFramewalk(last),
          (x) => x.tasks.sweepFramewalk(last),
        );
        const walked = core.tasks.failures();
        expect(walked).toEqual(ref.tasks.failures);
        expect(core.restore(snap)).toBe(0);
        both(
          (c) => c.tasks.sweep(last),
          (x) => x.tasks.sweep(last),
        );
        expect(core.tasks.failures()).toEqual(walked);
        observe(core, ref);
        both(
          (c) => c.tasks.reverseTransition(),
          (x) => x.tasks.reverseTransition(),
        );
        both(
          (c) => c.tasks.sweep(last),
          (x) => x.tasks.sweep(last),
        );
        expect(core.tasks.failures()).toEqual(ref.tasks.failures);
        observe(core, ref);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
