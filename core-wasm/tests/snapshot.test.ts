// The whole core, every module at once: random operations, a snapshot, more operations, a restore,
// and every query answers as it did at the snapshot (shadow bytes and entry-site bytes included).
// Also: the same calls on two fresh instances give byte-identical state.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Core } from "../bindings/index.ts";
import { frame, SiteKind, VMLINUX } from "../bindings/index.ts";
import { loadCore } from "./loadCore.ts";

const SEED = Number(process.env.KLP_SEED ?? 0x51a95407);
console.log(`fast-check seed ${SEED}`);

const FUNCS = 6;
const TASKS = 5;
const OBJS = [0x1000, 0x2000, 0x3000];
const IDS = [1, 2];

type Op =
  | { k: "alloc"; obj: number; id: number; size: number; byte: number }
  | { k: "free"; obj: number; id: number }
  | { k: "freeAll"; id: number }
  | { k: "patch"; fn: number; repl: number }
  | { k: "unpatch"; n: number }
  | { k: "poke" }
  | { k: "task" }
  | { k: "push"; t: number; fn: number; off: number }
  | { k: "pop"; t: number }
  | { k: "init"; target: number }
  | { k: "start" }
  | { k: "sweep" }
  | { k: "update"; t: number }
  | { k: "complete" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    k: fc.constant("alloc" as const),
    obj: fc.constantFrom(...OBJS),
    id: fc.constantFrom(...IDS),
    size: fc.integer({ min: 0, max: 40 }),
    byte: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    k: fc.constant("free" as const),
    obj: fc.constantFrom(...OBJS),
    id: fc.constantFrom(...IDS),
  }),
  fc.record({ k: fc.constant("freeAll" as const), id: fc.constantFrom(...IDS) }),
  fc.record({
    k: fc.constant("patch" as const),
    fn: fc.integer({ min: 0, max: FUNCS - 1 }),
    repl: fc.integer({ min: 0, max: FUNCS - 1 }),
  }),
  fc.record({ k: fc.constant("unpatch" as const), n: fc.nat(20) }),
  fc.constant({ k: "poke" as const }),
  fc.constant({ k: "task" as const }),
  fc.record({
    k: fc.constant("push" as const),
    t: fc.nat(TASKS - 1),
    fn: fc.integer({ min: 0, max: FUNCS - 1 }),
    off: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({ k: fc.constant("pop" as const), t: fc.nat(TASKS - 1) }),
  fc.record({ k: fc.constant("init" as const), target: fc.constantFrom(0, 1) }),
  fc.constant({ k: "start" as const }),
  fc.constant({ k: "sweep" as const }),
  fc.record({ k: fc.constant("update" as const), t: fc.nat(TASKS - 1) }),
  fc.constant({ k: "complete" as const }),
);

/** A machine with functions, per-ops trampolines and one task; `pushed` tracks live entries. */
async function freshCore(): Promise<{ core: Core; fns: number[]; pushed: number[] }> {
  const core = await loadCore();
  core.text.init("x86_64");
  const fns = Array.from({ length: FUNCS }, () => core.text.addFunction(VMLINUX, 64));
  core.text.ftraceInit(VMLINUX);
  core.tasks.alloc();
  return { core, fns, pushed: [] };
}

// Every operation is applied through the bindings; errors are answers too, so none is filtered.
function apply(m: { core: Core; fns: number[]; pushed: number[] }, op: Op): void {
  const { core, fns, pushed } = m;
  switch (op.k) {
    case "alloc": {
      const ref = core.shadow.alloc(op.obj, op.id, op.size);
      if (ref > 0 && op.size > 0)
        core.shadow.writeBytes(ref, new Uint8Array(op.size).fill(op.byte));
      return;
    }
    case "free":
      core.shadow.free(op.obj, op.id);
      return;
    case "freeAll":
      core.shadow.freeAll(op.id);
      return;
    case "patch": {
      const e = core.ops.newFunc(1, fns[op.fn]!, fns[op.repl]!);
      if (core.ops.push(e) === 1 && core.text.pokeCount() === 0) {
        core.text.queue(fns[op.fn]!, SiteKind.makeCall, core.text.trampAlloc());
      }
      pushed.push(e);
      return;
    }
    case "unpatch": {
      if (!pushed.length) return;
      const e = pushed.splice(op.n % pushed.length, 1)[0]!;
      core.ops.pop(e);
      return;
    }
    case "poke":
      core.text.pokeStep();
      return;
    case "task":
      if (core.tasks.count() < TASKS) core.tasks.alloc();
      return;
    case "push":
      core.tasks.pushFrame(op.t, frame(fns[op.fn]!, op.off));
      return;
    case "pop":
      core.tasks.popFrame(op.t);
      return;
    case "init":
      core.tasks.initTransition(op.target as 0 | 1);
      return;
    case "start":
      core.tasks.startTransition();
      return;
    case "sweep":
      core.tasks.sweep(1);
      return;
    case "update":
      core.tasks.updatePatchState(op.t);
      return;
    case "complete":
      core.tasks.completeTransition();
      return;
  }
}

const hex = (b: Uint8Array | number) =>
  typeof b === "number" ? b : Buffer.from(b).toString("hex");

/** Every answer the core gives about its state, as plain data. */
function digest({ core, fns }: { core: Core; fns: number[] }): unknown {
  const shadow = OBJS.flatMap((obj) =>
    IDS.map((id) => {
      const ref = core.shadow.get(obj, id);
      return ref ? [obj, id, core.shadow.size(ref), hex(core.shadow.readBytes(ref))] : [obj, id];
    }),
  );
  const text = fns.map((fn) => [
    hex(core.text.siteBytes(fn)),
    core.text.siteState(fn),
    core.text.exec(fn),
    core.ops.stack(fn),
  ]);
  const tasks = Array.from({ length: TASKS }, (_, t) => [
    core.tasks.live(t),
    core.tasks.patchState(t),
    core.tasks.pending(t),
    core.tasks.stack(t),
    fns.map((fn) => core.call(fn, t)),
  ]);
  return {
    shadow,
    count: core.shadow.count(),
    poke: [core.text.pokeCount(), core.text.pokePhase()],
    text,
    tasks,
    target: core.tasks.targetState(),
    failures: core.tasks.failures(),
  };
}

describe("core snapshots across every module", () => {
  it("restore gives identical answers to every query after more operations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 40 }),
        fc.array(opArb, { maxLength: 40 }),
        async (before, after) => {
          const m = await freshCore();
          for (const op of before) apply(m, op);
          const expected = digest(m);
          const snap = m.core.snapshot();
          const pushed = [...m.pushed];
          for (const op of after) apply(m, op);
          expect(m.core.restore(snap)).toBe(0);
          m.pushed = pushed;
          expect(digest(m)).toEqual(expected);
          expect(m.core.shadow.check()).toBe(0);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("the same calls give the same bytes on two instances", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), async (ops) => {
        const a = await freshCore();
        const b = await freshCore();
        for (const op of ops) {
          apply(a, op);
          apply(b, op);
        }
        const sa = a.core.snapshot();
        const sb = b.core.snapshot();
        expect(sa.regions.map((r) => hex(r.bytes.subarray(0, r.used)))).toEqual(
          sb.regions.map((r) => hex(r.bytes.subarray(0, r.used))),
        );
      }),
      { seed: SEED + 1, numRuns: 60 },
    );
  });
});
