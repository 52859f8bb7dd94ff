import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ok } from "../result.ts";
import { capture, restore, SNAPSHOT } from "./graph.ts";

class Counter {
  n = 0;
  readonly items: number[] = [];
  bump(): void {
    this.n++;
    this.items.push(this.n);
  }
}

const SEED = Number(process.env.KLP_FC_SEED ?? 4242);
console.log(`fast-check seed ${SEED}`);

describe("graph image", () => {
  it("puts contents back into the same objects, so closures over them stay right", () => {
    const c = new Counter();
    const root = { c, tick: () => c.bump(), tags: new Map([["a", 1]]), seen: new Set([1]) };
    root.tick();
    const img = capture([root]);
    expect(img.ok).toBe(true);
    root.tick();
    root.tick();
    root.tags.set("b", 2);
    root.seen.add(2);
    (root as Record<string, unknown>).extra = { late: true };
    restore(img.ok ? img.value : (undefined as never));
    expect(root.c).toBe(c);
    expect(c.n).toBe(1);
    expect(c.items).toEqual([1]);
    expect([...root.tags]).toEqual([["a", 1]]);
    expect([...root.seen]).toEqual([1]);
    expect("extra" in root).toBe(false);
    root.tick(); // the closure still reaches the restored counter
    expect(c.items).toEqual([1, 2]);
  });

  it("keeps key order when keys were deleted and added since", () => {
    const r: Record<string, number | undefined> = { a: 1, b: 2, c: 3, u: undefined };
    const img = capture([r]);
    delete r.a;
    delete r.u;
    r.a = 9;
    r.d = 4;
    if (!img.ok) throw new Error(img.error);
    restore(img.value);
    expect(Object.entries(r)).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 3],
      ["u", undefined],
    ]);
  });

  it("leaves an accessor of an object literal alone (it is not state)", () => {
    let n = 1;
    const r = {
      a: 1,
      get now() {
        return n;
      },
    };
    const img = capture([r]);
    if (!img.ok) throw new Error(img.error);
    r.a = 2;
    n = 5;
    restore(img.value);
    expect(r).toEqual({ a: 1, now: 5 });
  });

  it("refuses a generator, naming where it is", () => {
    function* g(): Generator<number> {
      yield 1;
    }
    const img = capture([{ task: { body: g() } }]);
    expect(img.ok ? "" : img.error).toMatch(/root0\.task\.body: a Generator cannot be imaged/);
  });

  it("lets a resource image itself and does not enter it", () => {
    let state = 1;
    const inner = { touched: 0 };
    class Res {
      inner = inner;
      [SNAPSHOT]() {
        const saved = state;
        return ok(() => {
          state = saved;
        });
      }
    }
    const res = new Res();
    const img = capture([{ res }]);
    if (!img.ok) throw new Error(img.error);
    state = 5;
    inner.touched = 7;
    restore(img.value);
    expect(state).toBe(1);
    expect(inner.touched).toBe(7); // not part of the image: the resource owns it
  });

  it("restores any sequence of edits exactly (property, seed printed on failure)", () => {
    const edit = fc.oneof(
      fc.record({
        op: fc.constant("set" as const),
        k: fc.constantFrom("a", "b", "c"),
        v: fc.integer(),
      }),
      fc.record({ op: fc.constant("del" as const), k: fc.constantFrom("a", "b", "c") }),
      fc.record({ op: fc.constant("push" as const), v: fc.integer() }),
      fc.record({ op: fc.constant("pop" as const) }),
      fc.record({
        op: fc.constant("map" as const),
        k: fc.integer({ min: 0, max: 3 }),
        v: fc.integer(),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(edit, { maxLength: 12 }),
        fc.array(edit, { maxLength: 12 }),
        (before, after) => {
          const root = {
            rec: {} as Record<string, number>,
            arr: [] as number[],
            map: new Map<number, number>(),
          };
          const apply = (es: typeof before) => {
            for (const e of es) {
              if (e.op === "set") root.rec[e.k] = e.v;
              else if (e.op === "del") delete root.rec[e.k];
              else if (e.op === "push") root.arr.push(e.v);
              else if (e.op === "pop") root.arr.pop();
              else root.map.set(e.k, e.v);
            }
          };
          apply(before);
          const want = JSON.stringify([Object.entries(root.rec), root.arr, [...root.map]]);
          const img = capture([root]);
          if (!img.ok) return false;
          apply(after);
          restore(img.value);
          return JSON.stringify([Object.entries(root.rec), root.arr, [...root.map]]) === want;
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
