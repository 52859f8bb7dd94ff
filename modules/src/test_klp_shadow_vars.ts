// test_klp_shadow_vars: module_init exercises the shadow variable API on three objects and two
// ids, printing every call with its pointers replaced by small ids (PTR<n>, NULL first) so that
// the log is address-agnostic. Mirrors tools/testing/selftests/livepatch/test_modules/test_klp_shadow_vars.c@91908587bc0e1a2c4df56ea9a3d71931ca0eb9de.
import {
  GFP_KERNEL,
  type KlpShadowCtor,
  type KlpShadowDtor,
  type ModuleDescription,
  klp_shadow_alloc,
  klp_shadow_free,
  klp_shadow_free_all,
  klp_shadow_get,
  klp_shadow_get_or_alloc,
  pr_info,
  shadow_read_u64,
  shadow_write_u64,
} from "linux";

const EINVAL = 22;
const ENOMEM = 12;
const NUM_OBJS = 3;
const SV_ID1 = 0x1234;
const SV_ID2 = 0x1235;
/** sizeof(char *): the shadow data holds one pointer. */
const PTR_SIZE = 8;

/**
 * A pointer as ptr_id() tells pointers apart: by what it points into (the init's stack, shadow
 * data, a function) and where. Stack addresses are made up; only their identity matters.
 */
type Ptr = string;
const NULL: Ptr = "NULL";
const stack = (addr: number): Ptr => `stack@${addr}`;
const shadow = (ref: number): Ptr => (ref === 0 ? NULL : `shadow@${ref}`);
const func = (name: string): Ptr => `fn@${name}`;

/** struct test_object objs[NUM_OBJS] and char nfields1[], int nfields2[] on init's stack. */
const OBJS = 0x7000;
const NFIELDS1 = 0x7100;
const NFIELDS2 = 0x7200;
const obj = (i: number) => OBJS + i * 0x40;
const nfields1 = (i: number) => NFIELDS1 + i;
const nfields2 = (i: number) => NFIELDS2 + 4 * i;

/** ptr_id(): a rolling id per distinct pointer. */
const ptrIds = new Map<Ptr, number>();
function ptr_id(p: Ptr): number {
  let id = ptrIds.get(p);
  if (id === undefined) {
    id = ptrIds.size;
    ptrIds.set(p, id);
  }
  return id;
}
/** ptr_id() of a call's arguments, evaluated right to left as the compiler does. */
function ptr_ids(...ps: Ptr[]): number[] {
  return ps.map((_, i) => ptr_id(ps[ps.length - 1 - i]!)).reverse();
}

/** shadow_ctor(): remembers the pointer it is given in the new shadow data. */
const shadow_ctor: KlpShadowCtor<number> = (_obj, sv, var_) => {
  if (!var_) return -EINVAL;
  shadow_write_u64(sv, 0, BigInt(var_));
  const [a, b] = ptr_ids(shadow(sv), stack(var_));
  pr_info("%s: PTR%d -> PTR%d\n", "shadow_ctor", a, b);
  return 0;
};

const shadow_dtor: KlpShadowDtor = (o, sv) => {
  const [a, b] = ptr_ids(stack(o), shadow(sv));
  pr_info("%s(obj=PTR%d, shadow_data=PTR%d)\n", "shadow_dtor", a, b);
};

function shadow_get(o: number, id: number): number {
  const sv = klp_shadow_get(o, id);
  const [a, b] = ptr_ids(stack(o), shadow(sv));
  pr_info("klp_%s(obj=PTR%d, id=0x%lx) = PTR%d\n", "shadow_get", a, id, b);
  return sv;
}

type Alloc = typeof klp_shadow_alloc<number>;
function allocWith(fn: Alloc, name: string, o: number, id: number, var_: number): number {
  const sv = fn(o, id, PTR_SIZE, GFP_KERNEL, shadow_ctor, var_);
  const [a, c, d, e] = ptr_ids(stack(o), func("shadow_ctor"), stack(var_), shadow(sv));
  pr_info(
    "klp_%s(obj=PTR%d, id=0x%lx, size=%zx, gfp_flags=%pGg), ctor=PTR%d, ctor_data=PTR%d = PTR%d\n",
    name,
    a,
    id,
    PTR_SIZE,
    GFP_KERNEL,
    c,
    d,
    e,
  );
  return sv;
}
const shadow_alloc = (o: number, id: number, v: number) =>
  allocWith(klp_shadow_alloc, "shadow_alloc", o, id, v);
const shadow_get_or_alloc = (o: number, id: number, v: number) =>
  allocWith(klp_shadow_get_or_alloc, "shadow_get_or_alloc", o, id, v);

function shadow_free(o: number, id: number, dtor: KlpShadowDtor): void {
  klp_shadow_free(o, id, dtor);
  const [a, b] = ptr_ids(stack(o), func("shadow_dtor"));
  pr_info("klp_%s(obj=PTR%d, id=0x%lx, dtor=PTR%d)\n", "shadow_free", a, id, b);
}

function shadow_free_all(id: number): void {
  klp_shadow_free_all(id, null);
  pr_info("klp_%s(id=0x%lx, dtor=PTR%d)\n", "shadow_free_all", id, ptr_id(NULL));
}

/** The shadow data `sv` is the one allocated, and holds pointer `var_`: say so. */
function expectPointsTo(sv: number, allocated: number, var_: number): void {
  if (sv !== allocated || shadow_read_u64(allocated, 0) !== BigInt(var_)) return;
  const [a, b] = ptr_ids(shadow(allocated), stack(var_));
  pr_info("  got expected PTR%d -> PTR%d result\n", a, b);
}

function expectNull(sv: number): void {
  if (!sv) pr_info("  got expected NULL result\n");
}

/** Passes 1 to 6 of the test; @returns 0 or -errno. */
function run(sv1: number[], sv2: number[]): number {
  expectNull(shadow_get(obj(0), SV_ID1));
  // pass 1: a char and an int shadow variable for each object
  for (let i = 0; i < NUM_OBJS; i++) {
    ptr_id(stack(nfields1(i)));
    sv1[i] = (i % 2 ? shadow_alloc : shadow_get_or_alloc)(obj(i), SV_ID1, nfields1(i));
    if (!sv1[i]) return -ENOMEM;
    ptr_id(stack(nfields2(i)));
    sv2[i] = shadow_alloc(obj(i), SV_ID2, nfields2(i));
    if (!sv2[i]) return -ENOMEM;
  }
  // pass 2: they are found, and point where they were set to
  for (let i = 0; i < NUM_OBJS; i++) {
    const a = shadow_get(obj(i), SV_ID1);
    if (!a) return -EINVAL;
    expectPointsTo(a, sv1[i]!, nfields1(i));
    const b = shadow_get(obj(i), SV_ID2);
    if (!b) return -EINVAL;
    expectPointsTo(b, sv2[i]!, nfields2(i));
  }
  // pass 3: get_or_alloc returns the shadow variables already there
  for (let i = 0; i < NUM_OBJS; i++) {
    ptr_id(stack(nfields1(i)));
    const a = shadow_get_or_alloc(obj(i), SV_ID1, nfields1(i));
    if (!a) return -EINVAL;
    expectPointsTo(a, sv1[i]!, nfields1(i));
  }
  // pass 4: free the char ones, and they are gone
  for (let i = 0; i < NUM_OBJS; i++) {
    shadow_free(obj(i), SV_ID1, shadow_dtor);
    expectNull(shadow_get(obj(i), SV_ID1));
  }
  // pass 5: the int ones are still there
  for (let i = 0; i < NUM_OBJS; i++) {
    const b = shadow_get(obj(i), SV_ID2);
    if (!b) return -EINVAL;
    expectPointsTo(b, sv2[i]!, nfields2(i));
  }
  // pass 6: free them all too
  shadow_free_all(SV_ID2);
  for (let i = 0; i < NUM_OBJS; i++) expectNull(shadow_get(obj(i), SV_ID2));
  return 0;
}

export default {
  init: () => {
    ptrIds.clear();
    ptr_id(NULL);
    const ret = run([], []);
    if (ret !== 0) {
      shadow_free_all(SV_ID1);
      shadow_free_all(SV_ID2);
    }
    ptrIds.clear();
    return ret;
  },
  exit: () => {},
} satisfies ModuleDescription;
