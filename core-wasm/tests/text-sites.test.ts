// Property tests of the entry-site patching against a plain TypeScript model of the protocols
// (the code a user would write without WASM: arrays of bytes, a list for the poke vector), and of
// snapshot/restore of the whole text state, mid-protocol included.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Core,
  EBUSY,
  EINVAL,
  ENOENT,
  ENOSPC,
  SITE_EXEC_BAD,
  TextFlags,
  TextSymbol,
  VMLINUX,
} from "../bindings/index.ts";
import { loadCore } from "./loadCore.ts";

const SEED = Number(process.env.KLP_SEED ?? 20261122);
console.log(`fast-check seed ${SEED}`);

const MAKE_CALL = 1;
const MAKE_NOP = 3;
const NOP5 = [0x0f, 0x1f, 0x44, 0x00, 0x00];
const A64_NOP = 0xd503201f;

function call(site: number, target: number): number[] {
  const rel = (target - (site + 5)) | 0;
  return [0xe8, rel & 0xff, (rel >>> 8) & 0xff, (rel >>> 16) & 0xff, (rel >>> 24) & 0xff];
}

function callTarget(site: number, b: readonly number[]): number {
  const rel = b[1]! | (b[2]! << 8) | (b[3]! << 16) | (b[4]! << 24) | 0;
  return (site + 5 + rel) >>> 0;
}

const same = (a: readonly number[], b: readonly number[]) => a.every((x, i) => x === b[i]);

interface X86Entry {
  id: number;
  target: number;
  next: number[];
}

/** The x86 int3 protocol as a reader of the spec would write it. */
class X86Model {
  readonly bytes: number[][];
  vec: X86Entry[] = [];
  phase = 0;
  constructor(
    readonly sites: readonly number[],
    readonly valid: ReadonlySet<number>,
  ) {
    this.bytes = sites.map(() => [...NOP5]);
  }

  queue(id: number, kind: number, target: number, aux: number): number {
    if (kind < MAKE_CALL || kind > MAKE_NOP) return -EINVAL;
    const b = this.bytes[id];
    const site = this.sites[id];
    if (!b || site === undefined) return -ENOENT;
    if (this.phase !== 0 || this.vec.some((e) => e.id === id)) return -EBUSY;
    if (this.vec.length >= 256) return -ENOSPC;
    if (kind !== MAKE_NOP && !this.valid.has(target)) return -EINVAL;
    if (kind === MAKE_CALL) {
      if (!same(b, NOP5)) return -EINVAL;
    } else {
      const cur = aux !== 0 ? aux : b[0] === 0xe8 ? callTarget(site, b) : 0;
      if (!this.valid.has(cur) || !same(b, call(site, cur))) return -EINVAL;
    }
    const next = kind === MAKE_NOP ? NOP5 : call(site, target);
    this.vec.push({ id, target: kind === MAKE_NOP ? 0 : target, next });
    return 0;
  }

  step(): number {
    if (this.vec.length === 0) return 0;
    const p = this.phase;
    for (const e of this.vec) {
      const b = this.bytes[e.id]!;
      if (p === 0) b[0] = 0xcc;
      if (p === 2) for (let i = 1; i < 5; i++) b[i] = e.next[i]!;
      if (p === 4) b[0] = e.next[0]!;
    }
    this.phase = p + 1;
    if (this.phase === 6) {
      this.vec = [];
      this.phase = 0;
    }
    return p + 1;
  }

  exec(id: number): number {
    const b = this.bytes[id]!;
    if (b[0] === 0xe8) return callTarget(this.sites[id]!, b);
    if (same(b, NOP5)) return 0;
    const e = this.vec.find((x) => x.id === id);
    return b[0] === 0xcc && e && this.phase > 0 ? e.target : SITE_EXEC_BAD;
  }
}

interface A64Entry {
  id: number;
  ops: number;
  insn: number;
  literalDone: boolean;
}

/** arm64 CALL_OPS patching: per site, the literal store then the instruction store. */
class Arm64Model {
  readonly insn: number[];
  readonly ops: number[];
  vec: A64Entry[] = [];
  cursor = 0;
  constructor(
    readonly sites: readonly number[],
    readonly caller: number,
    readonly nopOps: number,
    readonly listOps: number,
  ) {
    this.insn = sites.map(() => A64_NOP);
    this.ops = sites.map(() => nopOps);
  }

  bl(id: number): number {
    return (0x94000000 | (((this.caller - this.sites[id]!) >> 2) & 0x3ffffff)) >>> 0;
  }

  queue(id: number, kind: number, target: number, aux: number): number {
    if (kind < MAKE_CALL || kind > MAKE_NOP) return -EINVAL;
    if (this.insn[id] === undefined) return -ENOENT;
    if (
      this.cursor > 0 ||
      this.vec.some((e) => e.literalDone) ||
      this.vec.some((e) => e.id === id)
    ) {
      return -EBUSY;
    }
    if (this.vec.length >= 256) return -ENOSPC;
    if (kind !== MAKE_NOP && target !== 0 && target !== this.caller) return -EINVAL;
    const expected = kind === MAKE_CALL ? A64_NOP : this.bl(id);
    if (this.insn[id] !== expected) return -EINVAL;
    const ops = kind === MAKE_NOP ? this.nopOps : aux || this.listOps;
    this.vec.push({ id, ops, insn: kind === MAKE_NOP ? A64_NOP : this.bl(id), literalDone: false });
    return 0;
  }

  step(): number {
    const e = this.vec[this.cursor];
    if (!e) return 0;
    if (!e.literalDone) {
      this.ops[e.id] = e.ops;
      e.literalDone = true;
      return 1;
    }
    this.insn[e.id] = e.insn;
    this.cursor++;
    if (this.cursor === this.vec.length) {
      this.vec = [];
      this.cursor = 0;
    }
    return 2;
  }

  exec(id: number): number {
    return this.insn[id] === A64_NOP ? 0 : this.caller;
  }
}

type Op =
  | { t: "queue"; id: number; kind: number; target: number; aux: number }
  | { t: "step" }
  | { t: "finish" }
  | { t: "snap" };

function ops(nSites: number, targets: number[], auxes: number[]): fc.Arbitrary<Op[]> {
  const queue = fc.record({
    t: fc.constant("queue" as const),
    id: fc.integer({ min: 0, max: nSites }),
    kind: fc.integer({ min: 0, max: 4 }),
    target: fc.constantFrom(...targets),
    aux: fc.constantFrom(...auxes),
  });
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: queue },
      { weight: 4, arbitrary: fc.constant({ t: "step" as const }) },
      { weight: 1, arbitrary: fc.constant({ t: "finish" as const }) },
      { weight: 1, arbitrary: fc.constant({ t: "snap" as const }) },
    ),
    { maxLength: 60 },
  );
}

/** What every query answers, for comparing a restored core with the one snapshotted. */
function observe(core: Core, ids: readonly number[]): string {
  const t = core.text;
  return JSON.stringify([
    t.pokeCount(),
    t.pokePhase(),
    ...ids.map((id) => [
      [...(t.entryBytes(id) as Uint8Array)],
      t.exec(id),
      t.siteState(id),
      t.siteQueued(id),
      t.siteOps(id),
    ]),
  ]);
}

interface Model {
  queue(id: number, kind: number, target: number, aux: number): number;
  step(): number;
  exec(id: number): number;
  /** arm64: the ops token in the site's literal. */
  readonly ops?: readonly number[];
}

/** Runs `list` on the core and the model, comparing every answer; snapshots are restored later. */
function runAgainst(core: Core, model: Model, ids: number[], list: Op[]): void {
  const snaps: { snap: ReturnType<Core["snapshot"]>; seen: string }[] = [];
  for (const op of list) {
    if (op.t === "queue") {
      const id = op.id < ids.length ? ids[op.id]! : 4242;
      const mid = op.id < ids.length ? op.id : 4242;
      expect(core.text.queue(id, op.kind as 1, op.target, op.aux)).toBe(
        model.queue(mid, op.kind, op.target, op.aux),
      );
    } else if (op.t === "step") {
      expect(core.text.pokeStep()).toBe(model.step());
    } else if (op.t === "finish") {
      let n = 0;
      while (model.step() !== 0) n++;
      expect(core.text.pokeFinish()).toBe(n);
    } else {
      snaps.push({ snap: core.snapshot(), seen: observe(core, ids) });
    }
    ids.forEach((id, i) => {
      expect(core.text.exec(id)).toBe(model.exec(i));
      if (model.ops) expect(core.text.siteOps(id)).toBe(model.ops[i]);
    });
  }
  // Restoring any snapshot gives back exactly the answers it was taken with.
  for (const { snap, seen } of snaps.reverse()) {
    expect(core.restore(snap)).toBe(0);
    expect(observe(core, ids)).toBe(seen);
  }
}

describe("entry sites against the TypeScript model", () => {
  it("x86-64: random queues and steps give the model's bytes, answers and exec results", async () => {
    const core = await loadCore();
    const caller = 0x81e03c50;
    const regs = 0x81e03d50;
    const prop = fc.asyncProperty(
      ops(6, [0xa0000000, 0xa0001000, caller, regs, 0xa0005000, 0], [0, 0xa0000000, caller]),
      async (list) => {
        core.reset();
        core.text.init("x86_64");
        const mod = core.text.addObject();
        const ids = [0, 1, 2, 3, 4, 5].map((i) => core.text.addFunction(i < 3 ? VMLINUX : mod, 32));
        core.text.ftraceInit(VMLINUX);
        core.text.ftraceInit(mod);
        core.text.trampAlloc();
        core.text.trampAlloc();
        const sites = ids.map((id) => core.text.siteAddr(id));
        const model = new X86Model(sites, new Set([0xa0000000, 0xa0001000, caller, regs]));
        runAgainst(core, model, ids, list);
      },
    );
    await fc.assert(prop, { seed: SEED, numRuns: 150 });
  });

  it("arm64 CALL_OPS: random queues and steps give the model's literals and branches", async () => {
    const core = await loadCore();
    const prop = fc.asyncProperty(
      ops(5, [0x80015000, 0, 0x80015004], [0, 0x1234, 0x5678]),
      async (list) => {
        core.reset();
        core.text.init("arm64", TextFlags.arm64CallOps);
        const mod = core.text.addObject();
        const ids = [0, 1, 2, 3, 4].map((i) => core.text.addFunction(i < 3 ? VMLINUX : mod, 32));
        core.text.ftraceInit(VMLINUX);
        core.text.ftraceInit(mod);
        const sites = ids.map((id) => core.text.siteAddr(id));
        const model = new Arm64Model(
          sites,
          core.text.symbol(TextSymbol.ftraceCaller),
          core.text.symbol(TextSymbol.ftraceNopOps),
          core.text.symbol(TextSymbol.ftraceListOps),
        );
        runAgainst(core, model, ids, list);
      },
    );
    await fc.assert(prop, { seed: SEED, numRuns: 150 });
  });

  it("is deterministic: the same calls give the same text bytes", async () => {
    const build = async () => {
      const core = await loadCore();
      core.text.init(
        "arm64",
        TextFlags.arm64CallOps | TextFlags.arm64Bti | TextFlags.arm64ModulesFar,
      );
      const mod = core.text.addObject();
      for (let i = 0; i < 20; i++) core.text.addFunction(i % 2 ? mod : VMLINUX, 24 + i * 8);
      core.text.ftraceInit(VMLINUX);
      core.text.ftraceInit(mod);
      for (let i = 0; i < 20; i += 3) core.text.queue(i, 1, 0, i);
      core.text.pokeFinish();
      return core.snapshot().regions.map((r) => [...r.bytes.subarray(0, r.used)]);
    };
    const [a, b] = [await build(), await build()];
    expect(a.flat().length).toBeGreaterThan(1000);
    expect(a).toEqual(b);
  });
});

describe("dropping a batch before its first step (site_poke_abort)", () => {
  it("x86-64: the queued sites stay as they were and can be queued again; a started batch stays", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    const ids = [0, 1, 2].map(() => core.text.addFunction(VMLINUX, 32));
    core.text.ftraceInit(VMLINUX);
    const tramp = core.text.trampAlloc();
    const bytes = () => ids.map((id) => [...(core.text.siteBytes(id) as Uint8Array)]);
    for (const id of ids.slice(0, 2)) expect(core.text.queue(id, MAKE_CALL, tramp)).toBe(0);
    expect(core.text.pokeAbort()).toBe(2);
    expect(core.text.pokeCount()).toBe(0);
    expect(ids.map((id) => core.text.siteQueued(id))).toEqual([0, 0, 0]);
    expect(bytes()).toEqual(ids.map(() => NOP5));
    expect(core.text.pokeStep()).toBe(0);
    // Queued again after the drop: the int3 step runs over both, and then the batch cannot be dropped.
    for (const id of ids.slice(0, 2)) expect(core.text.queue(id, MAKE_CALL, tramp)).toBe(0);
    expect(core.text.pokeStep()).toBe(1);
    expect(bytes().map((b) => b[0])).toEqual([0xcc, 0xcc, 0x0f]);
    expect(core.text.pokeAbort()).toBe(-EBUSY);
    expect(core.text.pokeFinish()).toBe(5);
    expect(bytes().slice(0, 2)).toEqual(
      ids.slice(0, 2).map((id) => call(core.text.siteAddr(id), tramp)),
    );
    expect(core.text.pokeAbort()).toBe(0);
  });
});
