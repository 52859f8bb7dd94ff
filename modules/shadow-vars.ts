// shadow-vars.ts: test_klp_shadow_vars, a plain module whose init exercises the shadow variable
// API on three objects and two ids, printing every call with pointers replaced by small ids
// (PTR<n>, NULL first), as the kernel's test does.
import type { ModuleCtx, ModuleDef } from "../engine/machine/module.ts";
import { prInfo } from "./common.ts";

const NAME = "test_klp_shadow_vars";
const NUM_OBJS = 3;
const ID1 = 0x1234;
const ID2 = 0x1235;
const SIZE = 8;
/** Object keys of the three "stack objects" (any distinct values do). */
const OBJ_BASE = 0x7000;

/** Pointer identities: "null", "obj<i>", "sv<ref>", "var<n>", "ctor", "dtor". */
class PtrIds {
  private readonly ids = new Map<string, number>();
  /** ptr_id(): the id of a pointer, a new one the first time it is seen. */
  id(p: string): number {
    let n = this.ids.get(p);
    if (n === undefined) {
      n = this.ids.size;
      this.ids.set(p, n);
    }
    return n;
  }
  /** Ids of a call's pointer arguments, evaluated right to left as the compiler does. */
  args(...ps: string[]): number[] {
    return ps.map((_, i) => this.id(ps[ps.length - 1 - i]!)).reverse();
  }
}

/** The run of the test inside module_init. */
function run(ctx: ModuleCtx): number {
  const m = ctx.m;
  const sh = ctx.shadow;
  const ids = new PtrIds();
  const log = (fmt: string, ...a: (string | number)[]) => prInfo(m, NAME, fmt, ...a);
  const obj = (i: number) => OBJ_BASE + i;
  const sv = (ref: number) => (ref === 0 ? "null" : `sv${ref}`);
  const stored = new Map<number, string>(); // shadow data ref -> the pointer its data holds
  ids.id("null");
  const ctorFor = (value: string) => (_o: number, ref: number) => {
    // shadow_ctor(): the new data remembers the pointer it was given.
    stored.set(ref, value);
    m.core.shadow.writeBytes(ref, new Uint8Array(SIZE).fill(ids.id(value) & 0xff));
    const [d, v] = ids.args(sv(ref), value);
    log("shadow_ctor: PTR%d -> PTR%d\n", d!, v!);
    return 0;
  };
  const get = (i: number, id: number): number => {
    const ref = sh.get(obj(i), id);
    const [o, r] = ids.args(`obj${i}`, sv(ref));
    log("klp_shadow_get(obj=PTR%d, id=0x%x) = PTR%d\n", o!, id, r!);
    return ref;
  };
  const alloc = (fn: "alloc" | "get_or_alloc", i: number, id: number, value: string) => {
    const ctor = ctorFor(value);
    const ref =
      fn === "alloc" ? sh.alloc(obj(i), id, SIZE, ctor) : sh.getOrAlloc(obj(i), id, SIZE, ctor);
    const [o, c, d, r] = ids.args(`obj${i}`, "ctor", value, sv(ref));
    log(
      "klp_shadow_%s(obj=PTR%d, id=0x%x, size=%x, gfp_flags=GFP_KERNEL), ctor=PTR%d, ctor_data=PTR%d = PTR%d\n",
      fn,
      o!,
      id,
      SIZE,
      c!,
      d!,
      r!,
    );
    return ref;
  };
  const expectNull = (ref: number) => ref === 0 && log("  got expected NULL result\n");
  const expectValue = (ref: number, value: string) => {
    if (ref === 0 || stored.get(ref) !== value) return false;
    const [s, v] = ids.args(sv(ref), value);
    log("  got expected PTR%d -> PTR%d result\n", s!, v!);
    return true;
  };
  const dtor = (o: number, ref: number) => {
    const [a, b] = ids.args(`obj${o - OBJ_BASE}`, sv(ref));
    log("shadow_dtor(obj=PTR%d, shadow_data=PTR%d)\n", a!, b!);
  };

  expectNull(get(0, ID1));
  const var1: string[] = [];
  const var2: string[] = [];
  for (let i = 0; i < NUM_OBJS; i++) {
    var1.push(`var${2 * i}`);
    var2.push(`var${2 * i + 1}`);
    if (!alloc(i % 2 === 0 ? "get_or_alloc" : "alloc", i, ID1, var1[i]!)) return -12;
    if (!alloc("alloc", i, ID2, var2[i]!)) return -12;
  }
  for (let i = 0; i < NUM_OBJS; i++) {
    if (!expectValue(get(i, ID1), var1[i]!)) return -22;
    if (!expectValue(get(i, ID2), var2[i]!)) return -22;
  }
  for (let i = 0; i < NUM_OBJS; i++) {
    if (!expectValue(alloc("get_or_alloc", i, ID1, var1[i]!), var1[i]!)) return -22;
  }
  for (let i = 0; i < NUM_OBJS; i++) {
    sh.free(obj(i), ID1, dtor);
    const [o, d] = ids.args(`obj${i}`, "dtor");
    log("klp_shadow_free(obj=PTR%d, id=0x%x, dtor=PTR%d)\n", o!, ID1, d!);
    expectNull(get(i, ID1));
  }
  for (let i = 0; i < NUM_OBJS; i++) {
    if (!expectValue(get(i, ID2), var2[i]!)) return -22;
  }
  sh.freeAll(ID2);
  log("klp_shadow_free_all(id=0x%x, dtor=PTR%d)\n", ID2, ids.id("null"));
  for (let i = 0; i < NUM_OBJS; i++) expectNull(get(i, ID2));
  return 0;
}

export function testKlpShadowVars(): ModuleDef {
  return { name: NAME, init: run };
}
