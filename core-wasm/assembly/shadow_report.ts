// shadow_report.ts: the list klp_shadow_free_all() walks, made visible to the engine.
//
// REGION_SHADOW_REPORT holds n pairs {obj, ref} (the state: `used` = 8n), and while collecting
// also a second n-pair buffer and 256 counters for an LSD radix sort by obj, so that the order
// the destructors run in does not depend on the table's layout.

import { ENOMEM } from "./shared/errno";
import {
  REGION_SHADOW_REPORT,
  SCALAR_SHADOW_BASE,
  regionBase,
  regionRelease,
  regionReserve,
  regionSetUsed,
  scalarGet,
  scalarSet,
} from "./region";
import { slotId, slotObj, slotRef, tableCapacity, tableCount } from "./shadow_table";

const S_REPORT_COUNT: i32 = SCALAR_SHADOW_BASE + 4;
const S_REPORT_ID: i32 = SCALAR_SHADOW_BASE + 5;

// @ts-ignore: decorator
@inline export function reportCount(): u32 {
  return scalarGet(S_REPORT_COUNT);
}

// @ts-ignore: decorator
@inline export function reportId(): u32 {
  return scalarGet(S_REPORT_ID);
}

// @ts-ignore: decorator
@inline export function reportObj(i: u32): u32 {
  return load<u32>(regionBase(REGION_SHADOW_REPORT) + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function reportRef(i: u32): u32 {
  return load<u32>(regionBase(REGION_SHADOW_REPORT) + (<usize>i << 3), 4);
}

/** Forgets the list and gives its memory back (it can be 16 bytes per live variable). */
export function reportClear(): void {
  scalarSet(S_REPORT_COUNT, 0);
  regionRelease(REGION_SHADOW_REPORT);
}

/** One counting pass on byte `shift` of obj, from `src` to `dst`. */
function radixPass(src: usize, dst: usize, counts: usize, n: u32, shift: u32): void {
  memory.fill(counts, 0, 256 << 2);
  for (let i: u32 = 0; i < n; i++) {
    const c = counts + (<usize>((load<u32>(src + (<usize>i << 3)) >>> shift) & 255) << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
  let sum: u32 = 0;
  for (let b: usize = 0; b < 256; b++) {
    const c = counts + (b << 2);
    const k = load<u32>(c);
    store<u32>(c, sum);
    sum += k;
  }
  for (let i: u32 = 0; i < n; i++) {
    const s = src + (<usize>i << 3);
    const c = counts + (<usize>((load<u32>(s) >>> shift) & 255) << 2);
    const at = load<u32>(c);
    store<u32>(c, at + 1);
    store<u64>(dst + (<usize>at << 3), load<u64>(s));
  }
}

/** Lists the variables with `id` sorted by obj. @returns the count or -ENOMEM. */
export function reportCollect(id: u32): i32 {
  reportClear();
  // Upper bound: every live variable has this id.
  const most = <usize>tableCount();
  const err = regionReserve(REGION_SHADOW_REPORT, most * 16 + (256 << 2));
  if (err < 0) return err == -ENOMEM ? -ENOMEM : err;
  const a = regionBase(REGION_SHADOW_REPORT);
  let n: u32 = 0;
  const cap = tableCapacity();
  for (let i: u32 = 0; i < cap; i++) {
    const ref = slotRef(i);
    if (ref == 0 || slotId(i) != id) continue;
    const p = a + (<usize>n << 3);
    store<u32>(p, slotObj(i));
    store<u32>(p, ref, 4);
    n++;
  }
  const b = a + (<usize>n << 3);
  const counts = a + (<usize>n << 4);
  for (let shift: u32 = 0; shift < 32; shift += 16) {
    radixPass(a, b, counts, n, shift);
    radixPass(b, a, counts, n, shift + 8);
  }
  regionSetUsed(REGION_SHADOW_REPORT, <usize>n << 3);
  scalarSet(S_REPORT_COUNT, n);
  scalarSet(S_REPORT_ID, id);
  return <i32>n;
}
