import { describe, expect, it } from "vitest";
import { boot } from "../testing/fixture.ts";

describe("shadow variables", () => {
  it("alloc, get, get_or_alloc, free with ctor and dtor", async () => {
    const m = await boot();
    const sh = m.klp.shadow;
    const ctorSeen: number[] = [];
    const a = sh.alloc(0x10, 0x1234, 8, (obj, ref) => {
      ctorSeen.push(obj);
      m.core.shadow.writeU32(ref, 0, 77);
      return 0;
    });
    expect(a).toBeGreaterThan(0);
    expect(sh.get(0x10, 0x1234)).toBe(a);
    expect(m.core.shadow.readU32(a)).toBe(77);
    expect(sh.getOrAlloc(0x10, 0x1234, 8, () => 1)).toBe(a);
    expect(ctorSeen).toEqual([0x10]);
    const freed: number[] = [];
    sh.free(0x10, 0x1234, (obj) => freed.push(obj));
    expect(freed).toEqual([0x10]);
    expect(sh.get(0x10, 0x1234)).toBe(0);
  });

  it("emits one alloc event per variable created, none for one found (property-test regression)", async () => {
    const m = await boot();
    const sh = m.klp.shadow;
    const ops = () =>
      m.events.since(0).flatMap((e) => (e.kind === "shadow" ? [`${e.op} ${e.obj} ${e.id}`] : []));
    sh.getOrAlloc(0x40, 5, 4); // created
    sh.getOrAlloc(0x40, 5, 4); // found: the core's last-created flag is now clear
    sh.getOrAlloc(0x41, 5, 4); // created without a ctor after a lookup that found one
    sh.getOrAlloc(0x41, 5, 4, () => 0); // found, with a ctor: not an alloc
    expect(ops()).toEqual(["alloc 64 5", "alloc 65 5"]);
    expect(m.core.shadow.count()).toBe(2);
    sh.freeAll(5);
    expect(ops().filter((o) => o.startsWith("free"))).toHaveLength(2);
    expect(m.core.shadow.count()).toBe(0);
  });

  it("WARNs with the full splat on a duplicate and pr_errs a failed ctor", async () => {
    const m = await boot();
    const sh = m.klp.shadow;
    sh.alloc(0x20, 1, 8);
    expect(sh.alloc(0x20, 1, 8)).toBe(0);
    const lines = m.log.lines();
    expect(lines[0]).toBe("------------[ cut here ]------------");
    expect(lines[1]).toMatch(/^Duplicate shadow variable <[0-9a-f]{16}, 1>$/);
    expect(lines[2]).toMatch(/^WARNING: CPU: \d+ PID: \d+ at kernel\/livepatch\/shadow\.c:\d+ /);
    expect(lines.at(-1)).toBe("---[ end trace 0000000000000000 ]---");
    expect(sh.alloc(0x30, 2, 8, () => -12)).toBe(0);
    expect(m.log.lines().at(-1)).toMatch(
      /^livepatch: Failed to construct shadow variable <[0-9a-f]{16}, 2> \(-12\)$/,
    );
    expect(sh.get(0x30, 2)).toBe(0);
  });

  it("free_all frees every variable with the id", async () => {
    const m = await boot();
    const sh = m.klp.shadow;
    for (const obj of [1, 2, 3]) sh.alloc(obj, 9, 4);
    sh.alloc(4, 8, 4);
    const seen: number[] = [];
    sh.freeAll(9, (obj) => seen.push(obj));
    expect(seen.sort()).toEqual([1, 2, 3]);
    expect(sh.get(4, 8)).toBeGreaterThan(0);
  });

  it("free_all emits one free event per variable with its real obj, as each goes (regression: obj -1)", async () => {
    const m = await boot();
    const sh = m.klp.shadow;
    const frees = () =>
      m.events
        .since(0)
        .flatMap((e) => (e.kind === "shadow" && e.op === "free" ? [[e.obj, e.id, e.all]] : []));
    for (const obj of [0x30, 0x10, 0x20]) sh.alloc(obj, 9, 4);
    sh.alloc(0x40, 8, 4);
    sh.freeAll(9);
    expect(frees()).toEqual([
      [0x10, 9, true],
      [0x20, 9, true],
      [0x30, 9, true],
    ]);
    // With a dtor, each free event follows its own dtor and precedes the next one.
    for (const obj of [0x50, 0x60]) sh.alloc(obj, 7, 4);
    const order: string[] = [];
    const seenBefore = m.events.since(0).length;
    sh.freeAll(7, (obj) => {
      const n = m.events.since(0).length - seenBefore;
      order.push(`dtor ${obj.toString(16)} after ${n} events`);
    });
    expect(order).toEqual(["dtor 50 after 0 events", "dtor 60 after 1 events"]);
    sh.free(0x40, 8);
    expect(frees().slice(3)).toEqual([
      [0x50, 7, true],
      [0x60, 7, true],
      [0x40, 8, undefined],
    ]);
  });
});
