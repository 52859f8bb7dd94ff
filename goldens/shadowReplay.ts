// shadowReplay.ts: test helper replaying test_klp_shadow_vars on the bare core (shadow-core.test.ts).
// The test_klp_shadow_vars sequence (lib/livepatch/test_klp_shadow_vars.c, mainline), replayed on
// the core's shadow table and logged the way the module logs it, against the selftest's expected
// log (tools/testing/selftests/livepatch/test-shadow-vars.sh, "basic shadow variable API"), read
// from ../shared/golden at test time. It lives outside core-wasm/, which must not know module names.
import type { ShadowTable } from "../core-wasm/bindings/index.ts";

const M = "test_klp_shadow_vars: ";
/** The module's small world: pointers named by kind, numbered the first time they are printed. */
export class Module {
  readonly log: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly tail = "size=8, gfp_flags=GFP_KERNEL)";

  constructor(private readonly sv: ShadowTable) {
    this.ptr("NULL");
  }

  ptr(name: string): number {
    let n = this.ids.get(name);
    if (n === undefined) {
      n = this.ids.size;
      this.ids.set(name, n);
    }
    return n;
  }

  private refName(ref: number): string {
    return ref > 0 ? `sv${ref}` : "NULL";
  }

  private info(s: string): void {
    this.log.push(M + s);
  }

  get(obj: number, id: number): number {
    const ref = this.sv.get(obj, id);
    const o = this.ptr(`obj${obj}`);
    this.info(
      `klp_shadow_get(obj=PTR${o}, id=0x${id.toString(16)}) = PTR${this.ptr(this.refName(ref))}`,
    );
    return ref;
  }

  /** shadow_ctor: stores the ctor_data pointer (a var number) in the new data. */
  private ctor(varNo: number) {
    return (_obj: number, ref: number): number => {
      this.sv.writeU32(ref, 0, varNo);
      this.sv.writeU32(ref, 4, 0);
      const v = this.ptr(`var${varNo}`);
      this.info(`shadow_ctor: PTR${this.ptr(this.refName(ref))} -> PTR${v}`);
      return 0;
    };
  }

  alloc(obj: number, id: number, varNo: number, getOrAlloc: boolean): number {
    const ref = this.sv.allocWithCtor(obj, id, 8, this.ctor(varNo), getOrAlloc);
    const fn = getOrAlloc ? "klp_shadow_get_or_alloc" : "klp_shadow_alloc";
    const args = `obj=PTR${this.ptr(`obj${obj}`)}, id=0x${id.toString(16)}, ${this.tail}`;
    const ctorArgs = `ctor=PTR${this.ptr("shadow_ctor")}, ctor_data=PTR${this.ptr(`var${varNo}`)}`;
    this.info(`${fn}(${args}, ${ctorArgs} = PTR${this.ptr(this.refName(ref))}`);
    return ref;
  }

  expectNull(ref: number): void {
    if (ref === 0) this.info("  got expected NULL result");
  }

  expectData(ref: number, want: number, varNo: number): void {
    if (ref === want && this.sv.readU32(ref, 0) === varNo && this.sv.readU32(ref, 4) === 0) {
      this.info(
        `  got expected PTR${this.ptr(this.refName(ref))} -> PTR${this.ptr(`var${varNo}`)} result`,
      );
    }
  }

  free(obj: number, id: number): void {
    this.sv.freeWithDtor(obj, id, (o, ref) => {
      const po = this.ptr(`obj${o}`);
      this.info(`shadow_dtor(obj=PTR${po}, shadow_data=PTR${this.ptr(this.refName(ref))})`);
    });
    const args = `obj=PTR${this.ptr(`obj${obj}`)}, id=0x${id.toString(16)}`;
    this.info(`klp_shadow_free(${args}, dtor=PTR${this.ptr("shadow_dtor")})`);
  }

  freeAll(id: number): void {
    this.sv.freeAll(id);
    this.info(`klp_shadow_free_all(id=0x${id.toString(16)}, dtor=PTR${this.ptr("NULL")})`);
  }
}

/** test_klp_shadow_vars_init(), mainline shape: 3 objects, ids 0x1234 and 0x1235. */
export function runModule(m: Module): void {
  const objs = [0x1000, 0x1040, 0x1080];
  const ids = [0x1234, 0x1235];
  m.expectNull(m.get(objs[0]!, ids[0]!));
  const sv: number[][] = [];
  const vars: number[][] = [];
  let nextVar = 1;
  objs.forEach((obj, i) => {
    vars[i] = [nextVar++, nextVar++];
    sv[i] = [
      m.alloc(obj, ids[0]!, vars[i]![0]!, i !== 1),
      m.alloc(obj, ids[1]!, vars[i]![1]!, false),
    ];
  });
  objs.forEach((obj, i) => {
    ids.forEach((id, j) => {
      m.expectData(m.get(obj, id), sv[i]![j]!, vars[i]![j]!);
    });
  });
  objs.forEach((obj, i) => {
    m.expectData(m.alloc(obj, ids[0]!, vars[i]![0]!, true), sv[i]![0]!, vars[i]![0]!);
  });
  for (const obj of objs) {
    m.free(obj, ids[0]!);
    m.expectNull(m.get(obj, ids[0]!));
  }
  objs.forEach((obj, i) => {
    m.expectData(m.get(obj, ids[1]!), sv[i]![1]!, vars[i]![1]!);
  });
  m.freeAll(ids[1]!);
  for (const obj of objs) m.expectNull(m.get(obj, ids[1]!));
}
