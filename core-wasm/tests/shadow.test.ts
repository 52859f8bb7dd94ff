import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EEXIST, EINVAL, ENOMEM, ENOSPC } from "../bindings/index.ts";
import { ShadowReference } from "../reference/shadow.ts";
import { loadCore } from "./loadCore.ts";
import { type Op, opArb, runOps } from "./shadowOracle.ts";

const MiB = 1 << 20;

describe("shadow: single operations", () => {
  it("allocates zeroed data, finds it, refuses a duplicate without touching it", async () => {
    const { shadow } = await loadCore();
    expect(shadow.get(0x1000, 1)).toBe(0);
    const ref = shadow.alloc(0x1000, 1, 24);
    expect(ref).toBeGreaterThan(0);
    expect(shadow.size(ref)).toBe(24);
    expect([...shadow.readBytes(ref)]).toEqual(new Array(24).fill(0));
    shadow.writeU32(ref, 20, 0xdeadbeef);
    expect(shadow.alloc(0x1000, 1, 24)).toBe(-EEXIST);
    expect(shadow.get(0x1000, 1)).toBe(ref);
    expect(shadow.readU32(ref, 20)).toBe(0xdeadbeef);
    expect(shadow.count()).toBe(1);
    // Same obj, other id; same id, other obj: distinct variables.
    const b = shadow.alloc(0x1000, 2, 4);
    const c = shadow.alloc(0x1004, 1, 4);
    expect(new Set([ref, b, c]).size).toBe(3);
    expect(shadow.count()).toBe(3);
  });

  it("get_or_alloc returns the existing variable and says whether it created one", async () => {
    const { shadow } = await loadCore();
    const a = shadow.getOrAlloc(7, 9, 8);
    expect(a).toBeGreaterThan(0);
    expect(shadow.lastCreated()).toBe(true);
    expect(shadow.getOrAlloc(7, 9, 8)).toBe(a);
    expect(shadow.lastCreated()).toBe(false);
    expect(shadow.count()).toBe(1);
  });

  it("runs a dtor on unlinked but still valid data (klp_shadow_free)", async () => {
    const { shadow } = await loadCore();
    const a = shadow.alloc(1, 1, 8);
    shadow.writeU32(a, 4, 99);
    let seen = -1;
    expect(
      shadow.freeWithDtor(1, 1, (obj, ref) => {
        expect([obj, ref, shadow.get(1, 1)]).toEqual([1, a, 0]);
        seen = shadow.readU32(ref, 4);
      }),
    ).toBe(a);
    expect(seen).toBe(99);
    expect(shadow.size(a)).toBe(-EINVAL);
    expect(shadow.freeWithDtor(1, 1, () => {})).toBe(0);
    expect(shadow.detach(1, 1)).toBe(0);
    expect(shadow.count()).toBe(0);
  });

  it("frees one variable and reports absent ones as 0", async () => {
    const { shadow } = await loadCore();
    const a = shadow.alloc(1, 1, 8);
    expect(shadow.free(1, 2)).toBe(0);
    expect(shadow.free(1, 1)).toBe(a);
    expect(shadow.get(1, 1)).toBe(0);
    expect(shadow.free(1, 1)).toBe(0);
    expect(shadow.size(a)).toBe(-EINVAL);
    expect(shadow.count()).toBe(0);
  });

  it("free_all frees exactly one id, in obj order, each unlinked before its dtor", async () => {
    const { shadow } = await loadCore();
    const objs = [0xffff_fff0, 5, 0x8000_0000, 300, 70_000];
    for (const o of objs) {
      const r = shadow.alloc(o, 0x1235, 4);
      shadow.writeU32(r, 0, o);
      shadow.alloc(o, 0x1234, 4);
    }
    const seen: number[] = [];
    const sorted = [...objs].sort((a, b) => a - b);
    const n = shadow.freeAll(0x1235, (obj, ref) => {
      // As klp_shadow_free_struct(): this one is unlinked, its data still valid; later ones linked.
      expect(shadow.readU32(ref)).toBe(obj);
      expect(shadow.get(obj, 0x1235)).toBe(0);
      const later = sorted.slice(seen.length + 1);
      expect(later.every((o) => shadow.get(o, 0x1235) !== 0)).toBe(true);
      seen.push(obj);
    });
    expect(n).toBe(5);
    expect(seen).toEqual(sorted);
    expect(shadow.count()).toBe(5);
    for (const o of objs) {
      expect(shadow.get(o, 0x1235)).toBe(0);
      expect(shadow.get(o, 0x1234)).toBeGreaterThan(0);
    }
    expect(shadow.freeAll(0x1235)).toBe(0);
  });

  it("free_all commit skips variables freed between collect and commit", async () => {
    const core = await loadCore();
    const x = core.instance.fns([
      "shadow_free_all_collect",
      "shadow_free_all_commit",
      "shadow_report_obj",
      "shadow_report_ref",
    ]);
    const { shadow } = core;
    shadow.alloc(1, 3, 4);
    shadow.alloc(2, 3, 4);
    expect(x.shadow_free_all_collect(3)).toBe(2);
    expect(x.shadow_report_obj(1)).toBe(2);
    expect(x.shadow_report_ref(2)).toBe(0);
    shadow.free(1, 3);
    expect(x.shadow_free_all_commit()).toBe(1);
    expect(x.shadow_free_all_commit()).toBe(0);
    expect(shadow.count()).toBe(0);
  });
});

describe("shadow: constructor protocol", () => {
  it("runs the ctor on data that is not yet visible, and links it only on success", async () => {
    const { shadow } = await loadCore();
    const ref = shadow.allocWithCtor(3, 4, 8, (obj, r) => {
      expect(shadow.get(3, 4)).toBe(0);
      expect(shadow.size(r)).toBe(8);
      shadow.writeU32(r, 0, obj + 1);
      return 0;
    });
    expect(ref).toBeGreaterThan(0);
    expect(shadow.get(3, 4)).toBe(ref);
    expect(shadow.readU32(ref)).toBe(4);
  });

  it("a failing ctor leaves nothing behind", async () => {
    const { shadow } = await loadCore();
    shadow.alloc(1, 1, 8);
    shadow.free(1, 1);
    const before = shadow.overheadBytes();
    expect(before).toBeGreaterThan(0);
    expect(shadow.allocWithCtor(3, 4, 8, () => -ENOMEM)).toBe(0);
    expect(shadow.lastCtorError).toBe(-ENOMEM);
    expect(shadow.get(3, 4)).toBe(0);
    expect(shadow.count()).toBe(0);
    // The block was taken from its free list and went back to it: no growth, no live block.
    expect(shadow.overheadBytes()).toBe(before);
  });

  it("never runs the ctor for an existing variable", async () => {
    const { shadow } = await loadCore();
    const a = shadow.alloc(1, 1, 8);
    let runs = 0;
    const ctor = () => {
      runs++;
      return 0;
    };
    expect(shadow.allocWithCtor(1, 1, 8, ctor)).toBe(-EEXIST);
    expect(shadow.allocWithCtor(1, 1, 8, ctor, true)).toBe(a);
    expect(shadow.lastCreated()).toBe(false);
    expect(runs).toBe(0);
  });

  it("prepare/attach/discard validate their refs", async () => {
    const { shadow } = await loadCore();
    const linked = shadow.alloc(1, 1, 8);
    const p = shadow.prepare(16);
    expect(p).toBeGreaterThan(0);
    expect(shadow.get(2, 2)).toBe(0);
    expect(shadow.attach(1, 1, p)).toBe(-EEXIST);
    expect(shadow.attach(2, 2, linked)).toBe(-EINVAL);
    expect(shadow.discard(linked)).toBe(-EINVAL);
    expect(shadow.attach(2, 2, p)).toBe(0);
    expect(shadow.attach(3, 3, p)).toBe(-EINVAL);
    expect(shadow.get(2, 2)).toBe(p);
    const q = shadow.prepare(4);
    expect(shadow.discard(q)).toBe(0);
    expect(shadow.discard(q)).toBe(-EINVAL);
    for (const bad of [0, 1, 2, 3, q + 1, 0x7fff_fff0, -4]) {
      expect(shadow.discard(bad)).toBe(-EINVAL);
      expect(shadow.attach(9, 9, bad)).toBe(-EINVAL);
      expect(shadow.size(bad)).toBe(-EINVAL);
    }
    expect(shadow.count()).toBe(2);
  });
});

describe("shadow: limits and bad arguments", () => {
  it("accepts sizes 0..1 MiB and refuses larger ones", async () => {
    const { shadow } = await loadCore();
    expect(shadow.maxSize()).toBe(MiB);
    const z = shadow.alloc(1, 0, 0);
    expect(z).toBeGreaterThan(0);
    expect(shadow.size(z)).toBe(0);
    expect(() => shadow.readU8(z)).toThrow(RangeError);
    const big = shadow.alloc(2, 0, MiB);
    expect(shadow.size(big)).toBe(MiB);
    shadow.writeF64(big, MiB - 8, 1.5);
    expect(shadow.readF64(big, MiB - 8)).toBe(1.5);
    expect(() => shadow.readU32(big, MiB - 3)).toThrow(RangeError);
    for (const size of [MiB + 1, -1, 0x7fff_ffff]) {
      expect(shadow.alloc(3, 0, size)).toBe(-EINVAL);
      expect(shadow.getOrAlloc(3, 0, size)).toBe(-EINVAL);
      expect(shadow.prepare(size)).toBe(-EINVAL);
    }
    expect(shadow.count()).toBe(2);
  });

  it("stops at the count cap with -ENOSPC, and resumes below it", async () => {
    const { shadow } = await loadCore();
    shadow.setMaxCount(3);
    for (let i = 0; i < 3; i++) expect(shadow.alloc(i, 0, 4)).toBeGreaterThan(0);
    expect(shadow.alloc(9, 0, 4)).toBe(-ENOSPC);
    expect(shadow.getOrAlloc(9, 0, 4)).toBe(-ENOSPC);
    expect(shadow.lastCreated()).toBe(false);
    expect(shadow.getOrAlloc(1, 0, 4)).toBeGreaterThan(0);
    expect(shadow.prepare(4)).toBe(-ENOSPC);
    expect(shadow.alloc(0, 0, 4)).toBe(-EEXIST);
    shadow.free(0, 0);
    expect(shadow.alloc(9, 0, 4)).toBeGreaterThan(0);
    shadow.setMaxCount(0);
    expect(shadow.alloc(10, 0, 4)).toBeGreaterThan(0);
    expect(shadow.count()).toBe(4);
  });

  it("fails with -ENOMEM at the memory limit and stays consistent", async () => {
    const core = await loadCore();
    const { shadow } = core;
    core.setMemoryLimit(core.regionBytes() + (2 << 20));
    let n = 0;
    let err = 0;
    for (; n < 1_000_000; n++) {
      const r = shadow.alloc(n, 1, 64);
      if (r < 0) {
        err = r;
        break;
      }
      shadow.writeU32(r, 60, n);
    }
    expect(err).toBe(-ENOMEM);
    expect(shadow.count()).toBe(n);
    for (let i = 0; i < n; i += 97) expect(shadow.readU32(shadow.get(i, 1), 60)).toBe(i);
    expect(shadow.get(n, 1)).toBe(0);
    // Freed memory is usable again under the same limit.
    expect(shadow.free(0, 1)).toBeGreaterThan(0);
    expect(shadow.alloc(n, 1, 64)).toBeGreaterThan(0);
  });

  it("forgets everything at core reset", async () => {
    const core = await loadCore();
    core.shadow.setMaxCount(1);
    core.shadow.alloc(1, 1, 4);
    core.reset();
    expect(core.shadow.count()).toBe(0);
    expect(core.shadow.capacity()).toBe(0);
    expect(core.shadow.get(1, 1)).toBe(0);
    expect(core.shadow.alloc(1, 1, 4)).toBeGreaterThan(0);
    expect(core.shadow.alloc(2, 1, 4)).toBeGreaterThan(0);
  });
});

describe("shadow: growth and memory", () => {
  it("keeps every variable intact through many doublings, and while shrinking", async () => {
    const { shadow } = await loadCore();
    const N = 200_000;
    const caps = new Set<number>();
    for (let i = 0; i < N; i++) {
      const obj = Math.imul(i, 0x9e37_79b1) >>> 0;
      const ref = shadow.alloc(obj, i & 3, 4 + (i % 13));
      shadow.writeU32(ref, 0, i);
      caps.add(shadow.capacity());
    }
    expect(shadow.count()).toBe(N);
    expect(caps.size).toBeGreaterThanOrEqual(14); // 16 .. 2^18
    expect(shadow.capacity()).toBe(1 << 19); // 200k / 2^18 = 0.76: doubled at 0.75
    // Plain comparisons in the loops: expect() per item would dominate the run time.
    let bad = 0;
    for (let i = 0; i < N; i++) {
      const ref = shadow.get(Math.imul(i, 0x9e37_79b1) >>> 0, i & 3);
      if (shadow.readU32(ref) !== i || shadow.size(ref) !== 4 + (i % 13)) bad++;
    }
    expect(bad).toBe(0);
    for (let i = 0; i < N; i += 2) shadow.free(Math.imul(i, 0x9e37_79b1) >>> 0, i & 3);
    for (let i = 0; i < N; i++) {
      const ref = shadow.get(Math.imul(i, 0x9e37_79b1) >>> 0, i & 3);
      if (i % 2 === 0 ? ref !== 0 : shadow.readU32(ref) !== i) bad++;
    }
    expect(bad).toBe(0);
    expect(shadow.count()).toBe(N / 2);
    expect(shadow.check()).toBe(0);
  });

  it("reuses freed blocks: alloc/free churn at a steady count does not grow memory", async () => {
    const core = await loadCore();
    const { shadow } = core;
    const N = 50_000;
    const sizeOf = (i: number) => 8 + (i % 3) * 100;
    for (let i = 0; i < N; i++) shadow.alloc(i, 0, sizeOf(i));
    const bytes = core.regionBytes();
    const over = shadow.overheadBytes();
    const churn = (round: number) => {
      for (let i = 0; i < N; i++) {
        shadow.free(i + (round - 1) * N, 0);
        shadow.alloc(i + round * N, 0, sizeOf(i));
      }
    };
    // Released blocks are reused in batches of 64, so each size class may hold at most 64 blocks
    // beyond its peak live count (blocks of 12, 112 and 212 bytes here), however long the churn.
    const bound = 64 * (12 + 112 + 212);
    for (let round = 1; round <= 6; round++) {
      churn(round);
      expect(shadow.overheadBytes() - over).toBeLessThanOrEqual(bound);
    }
    expect(shadow.count()).toBe(N);
    expect(core.regionBytes()).toBe(bytes);
  });

  it("costs at most 32 overhead bytes per variable at 1M (8-byte payloads)", async () => {
    const { shadow } = await loadCore();
    for (let i = 0; i < 1_000_000; i++) shadow.alloc(i >>> 2, i & 3, 8);
    expect(shadow.count()).toBe(1_000_000);
    expect(shadow.capacity()).toBe(1 << 21);
    expect(shadow.overheadBytes() / 1_000_000).toBeLessThanOrEqual(32);
  });

  it("survives snapshot and restore, data included", async () => {
    const core = await loadCore();
    const { shadow } = core;
    for (let i = 0; i < 1000; i++) shadow.writeU32(shadow.alloc(i, 1, 8), 4, i * 3);
    const snap = core.snapshot();
    for (let i = 0; i < 1000; i += 2) shadow.free(i, 1);
    for (let i = 1000; i < 5000; i++) shadow.alloc(i, 2, 16);
    shadow.writeU32(shadow.get(1, 1), 4, 77);
    expect(core.restore(snap)).toBe(0);
    expect(shadow.count()).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(shadow.readU32(shadow.get(i, 1), 4)).toBe(i * 3);
    expect(shadow.get(1000, 2)).toBe(0);
    expect(shadow.alloc(0, 1, 8)).toBe(-EEXIST);
    expect(shadow.alloc(5000, 1, 8)).toBeGreaterThan(0);
  });

  it("keeps released blocks reusable across snapshot and restore", async () => {
    const core = await loadCore();
    const { shadow } = core;
    for (let i = 0; i < 200; i++) shadow.alloc(i, 1, 8);
    for (let i = 0; i < 100; i++) shadow.free(i, 1);
    const snap = core.snapshot();
    const bytes = core.regionBytes();
    const over = shadow.overheadBytes();
    expect(core.restore(snap)).toBe(0);
    for (let i = 0; i < 100; i++) expect(shadow.alloc(i, 2, 8)).toBeGreaterThan(0);
    expect(shadow.count()).toBe(200);
    expect(core.regionBytes()).toBe(bytes);
    // 100 pending blocks (more than a batch) were sorted and reused: 12 free bytes -> 4 header.
    expect(shadow.overheadBytes()).toBe(over - 100 * 8);
  });
});

const SEED = Number(process.env.KLP_SEED ?? 0x5eed_5a0d);
console.log(`fast-check seed ${SEED}`);

describe("shadow: WASM against the TypeScript reference", () => {
  it("random operation sequences give identical results", async () => {
    const core = await loadCore();
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops: Op[]) => {
        core.reset();
        const diff = runOps(core.shadow, new ShadowReference(), ops);
        expect(diff).toBe(null);
        expect(core.shadow.check()).toBe(0);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("shadow: arbitrary raw calls", () => {
  const FNS = [
    "shadow_get",
    "shadow_alloc",
    "shadow_get_or_alloc",
    "shadow_prepare",
    "shadow_attach",
    "shadow_discard",
    "shadow_free",
    "shadow_detach",
    "shadow_free_all_collect",
    "shadow_report_obj",
    "shadow_report_ref",
    "shadow_free_all_commit",
    "shadow_size",
    "shadow_data_addr",
    "shadow_set_max_count",
  ] as const;
  const word = fc.oneof(
    fc.integer({ min: 0, max: 64 }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.constantFrom(1 << 20, (1 << 20) + 1, 0xffff_ffff, 300, 308, 312, 316),
  );
  const call = fc.record({ fn: fc.constantFrom(...FNS), args: fc.tuple(word, word, word) });

  it("never trap, and keep the table consistent with its count", async () => {
    const core = await loadCore();
    const x = core.instance.fns(FNS);
    fc.assert(
      fc.property(fc.array(call, { maxLength: 60 }), (calls) => {
        core.reset();
        core.setMemoryLimit(64 << 20);
        const keys: [number, number][] = [];
        for (const { fn, args } of calls) {
          const r = x[fn](...args);
          if (fn === "shadow_alloc" && r > 0) keys.push([args[0], args[1]]);
        }
        expect(core.aborted).toBe(false);
        // Every variable the table holds is found and valid; the count matches a free_all sweep.
        const live = keys.filter(([o, i]) => core.shadow.get(o, i) !== 0);
        for (const [o, i] of live)
          expect(core.shadow.size(core.shadow.get(o, i))).toBeGreaterThanOrEqual(0);
        let swept = 0;
        const ids = new Set(keys.map(([, i]) => i >>> 0));
        for (const id of ids) swept += core.shadow.freeAll(id);
        expect(swept).toBeGreaterThanOrEqual(live.length);
        expect(core.shadow.count()).toBeGreaterThanOrEqual(0);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
