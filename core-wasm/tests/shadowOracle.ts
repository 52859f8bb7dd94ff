// shadowOracle.ts: random shadow-table operations, applied to the core and to the reference.
// Refs cannot be compared across the two (the core hands out offsets, the reference arrays), so
// results are compared by outcome: errno, presence, size, and the data's contents.
import fc from "fast-check";
import type { ShadowTable } from "../bindings/index.ts";
import type { ShadowReference } from "../reference/shadow.ts";

/** obj and id from small sets, so that operations collide; one obj at the top of u32. */
const objArb = fc.constantFrom(0, 1, 2, 0x1000, 0xffff_ffff);
const idArb = fc.constantFrom(0, 1, 0x1234);
const sizeArb = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.constantFrom(300, 4096, 1 << 20, (1 << 20) + 1),
);

export type Op =
  | { k: "get"; obj: number; id: number }
  | { k: "alloc"; obj: number; id: number; size: number }
  | { k: "getOrAlloc"; obj: number; id: number; size: number }
  | { k: "ctor"; obj: number; id: number; size: number; fail: boolean; goa: boolean; byte: number }
  | { k: "free"; obj: number; id: number }
  | { k: "freeAll"; id: number }
  | { k: "write"; obj: number; id: number; off: number; byte: number }
  | { k: "cap"; n: number };

const key = { obj: objArb, id: idArb };
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant("get" as const), ...key }),
  fc.record({ k: fc.constant("alloc" as const), ...key, size: sizeArb }),
  fc.record({ k: fc.constant("getOrAlloc" as const), ...key, size: sizeArb }),
  fc.record({
    k: fc.constant("ctor" as const),
    ...key,
    size: sizeArb,
    fail: fc.boolean(),
    goa: fc.boolean(),
    byte: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ k: fc.constant("free" as const), ...key }),
  fc.record({ k: fc.constant("freeAll" as const), id: idArb }),
  fc.record({
    k: fc.constant("write" as const),
    ...key,
    off: fc.nat(40),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ k: fc.constant("cap" as const), n: fc.constantFrom(0, 2, 5) }),
);

/** Outcome of an allocating call: an errno, "null" (ctor failed), or the data's bytes. */
function wasmOutcome(sv: ShadowTable, r: number): string {
  return r < 0 ? `errno ${r}` : r === 0 ? "null" : `data ${sv.readBytes(r).join(",")}`;
}

function refOutcome(r: Uint8Array | number): string {
  return typeof r === "number" ? (r < 0 ? `errno ${r}` : "null") : `data ${r.join(",")}`;
}

function wasmGet(sv: ShadowTable, obj: number, id: number): string {
  const r = sv.get(obj, id);
  return r === 0 ? "absent" : `data ${sv.readBytes(r).join(",")}`;
}

function refGet(m: ShadowReference, obj: number, id: number): string {
  const d = m.get(obj, id);
  return d ? `data ${d.join(",")}` : "absent";
}

/** What a dtor sees: its obj, the data, whether <obj, id> is still found, and the live count. */
function wasmSeen(sv: ShadowTable, obj: number, id: number, ref: number): string {
  return `${obj}:${sv.readBytes(ref).join(",")}:${sv.get(obj, id) !== 0}:${sv.count()}`;
}

function refSeen(m: ShadowReference, obj: number, id: number, d: Uint8Array): string {
  return `${obj}:${d.join(",")}:${m.get(obj, id) !== undefined}:${m.count()}`;
}

/** Applies one op to both; returns the two observations. */
function step(sv: ShadowTable, m: ShadowReference, op: Op): [string, string] {
  switch (op.k) {
    case "get":
      return [wasmGet(sv, op.obj, op.id), refGet(m, op.obj, op.id)];
    case "alloc":
      return [
        wasmOutcome(sv, sv.alloc(op.obj, op.id, op.size)),
        refOutcome(m.alloc(op.obj, op.id, op.size)),
      ];
    case "getOrAlloc": {
      const a = wasmOutcome(sv, sv.getOrAlloc(op.obj, op.id, op.size)) + sv.lastCreated();
      return [a, refOutcome(m.getOrAlloc(op.obj, op.id, op.size)) + m.lastCreated];
    }
    case "ctor": {
      const err = op.fail ? -op.byte : 0;
      const a = sv.allocWithCtor(
        op.obj,
        op.id,
        op.size,
        (_o, r) => {
          if (sv.size(r) > 0) sv.writeU8(r, 0, op.byte);
          return err;
        },
        op.goa,
      );
      const ctor = (_o: number, d: Uint8Array) => {
        if (d.length > 0) d[0] = op.byte;
        return err;
      };
      const b = op.goa
        ? m.getOrAlloc(op.obj, op.id, op.size, ctor)
        : m.alloc(op.obj, op.id, op.size, ctor);
      return [`${wasmOutcome(sv, a)} ${sv.lastCtorError}`, `${refOutcome(b)} ${m.lastCtorError}`];
    }
    case "free": {
      const seenA: string[] = [];
      const seenB: string[] = [];
      const a = sv.freeWithDtor(op.obj, op.id, (o, r) =>
        seenA.push(`${o}:${sv.readBytes(r).join(",")}`),
      );
      const b = m.free(op.obj, op.id, (o, d) => seenB.push(`${o}:${d.join(",")}`));
      return [`${a !== 0} ${seenA.join(";")}`, `${b} ${seenB.join(";")}`];
    }
    case "freeAll": {
      const seenA: string[] = [];
      const seenB: string[] = [];
      const a = sv.freeAll(op.id, (o, r) => seenA.push(wasmSeen(sv, o, op.id, r)));
      const b = m.freeAll(op.id, (o, d) => seenB.push(refSeen(m, o, op.id, d)));
      return [`${a} ${seenA.join(";")}`, `${b} ${seenB.join(";")}`];
    }
    case "write": {
      const r = sv.get(op.obj, op.id);
      const d = m.get(op.obj, op.id);
      if (r !== 0 && op.off < sv.size(r)) sv.writeU8(r, op.off, op.byte);
      if (d && op.off < d.length) d[op.off] = op.byte;
      return [String(r !== 0), String(d !== undefined)];
    }
    case "cap":
      sv.setMaxCount(op.n);
      m.setMaxCount(op.n);
      return ["", ""];
  }
}

/** Runs `ops` on both; returns null when they agree throughout, else the first difference. */
export function runOps(sv: ShadowTable, m: ShadowReference, ops: readonly Op[]): string | null {
  for (const [i, op] of ops.entries()) {
    const [a, b] = step(sv, m, op);
    if (a !== b) return `op ${i} ${JSON.stringify(op)}: wasm ${a} / ref ${b}`;
    if (sv.count() !== m.count()) return `op ${i}: count ${sv.count()} / ${m.count()}`;
  }
  return null;
}
