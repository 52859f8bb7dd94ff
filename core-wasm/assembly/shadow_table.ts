// shadow_table.ts: the <obj, id> index of the shadow variables (REGION_SHADOW_SLOTS).
//
// The kernel keeps struct klp_shadow in an RCU hash table of 2^12 chained buckets
// (klp_shadow_hash in kernel/livepatch/shadow.c). Here: open addressing with linear probing over
// 12-byte slots {obj, id, ref}, ref 0 = empty; the capacity is a power of two that doubles when
// the load would reach 0.75; deletion shifts the following run back (no tombstones), so a lookup
// stops at the first empty slot.

import { ENOMEM } from "./shared/errno";
import {
  REGION_SHADOW_SLOTS,
  SCALAR_SHADOW_BASE,
  regionAdopt,
  regionAllocDetached,
  regionBase,
  regionSetUsed,
  scalarGet,
  scalarSet,
} from "./region";

export const SLOT_BYTES: u32 = 12;
const MIN_CAPACITY: u32 = 16;
/** 2^27 slots = 1.5 GiB: beyond any memory limit, so growth stops with -ENOMEM before it. */
const MAX_CAPACITY: u32 = 1 << 27;

const S_CAPACITY: i32 = SCALAR_SHADOW_BASE + 0;
const S_COUNT: i32 = SCALAR_SHADOW_BASE + 1;

// @ts-ignore: decorator
@inline export function tableCapacity(): u32 {
  return scalarGet(S_CAPACITY);
}

// @ts-ignore: decorator
@inline export function tableCount(): u32 {
  return scalarGet(S_COUNT);
}

/** Home slot of a key: a multiplicative mix of both words (obj tokens are often aligned). */
// @ts-ignore: decorator
@inline function hashKey(obj: u32, id: u32): u32 {
  let h = obj * 0x9e3779b1 + id * 0x85ebca77;
  h ^= h >>> 16;
  h *= 0x7feb352d;
  h ^= h >>> 15;
  return h;
}

// @ts-ignore: decorator
@inline function slotAddr(base: usize, i: u32): usize {
  return base + <usize>i * SLOT_BYTES;
}

// @ts-ignore: decorator
@inline export function slotObj(i: u32): u32 {
  return load<u32>(slotAddr(regionBase(REGION_SHADOW_SLOTS), i));
}

// @ts-ignore: decorator
@inline export function slotId(i: u32): u32 {
  return load<u32>(slotAddr(regionBase(REGION_SHADOW_SLOTS), i), 4);
}

// @ts-ignore: decorator
@inline export function slotRef(i: u32): u32 {
  return load<u32>(slotAddr(regionBase(REGION_SHADOW_SLOTS), i), 8);
}

/** Slot index holding <obj, id>, or -1. */
export function tableFind(obj: u32, id: u32): i32 {
  const cap = tableCapacity();
  if (cap == 0) return -1;
  const mask = cap - 1;
  const base = regionBase(REGION_SHADOW_SLOTS);
  let i = hashKey(obj, id) & mask;
  while (true) {
    const p = slotAddr(base, i);
    if (load<u32>(p, 8) == 0) return -1;
    if (load<u32>(p) == obj && load<u32>(p, 4) == id) return <i32>i;
    i = (i + 1) & mask;
  }
}

/** Stores a key known to be absent into a table with room (no count change). */
function place(base: usize, mask: u32, obj: u32, id: u32, ref: u32): void {
  let i = hashKey(obj, id) & mask;
  while (load<u32>(slotAddr(base, i), 8) != 0) i = (i + 1) & mask;
  const p = slotAddr(base, i);
  store<u32>(p, obj);
  store<u32>(p, id, 4);
  store<u32>(p, ref, 8);
}

/** Moves every entry into a fresh table of `cap` slots. @returns 0 or -ENOMEM. */
function rebuild(cap: u32): i32 {
  if (cap > MAX_CAPACITY) return -ENOMEM;
  const bytes = <usize>cap * SLOT_BYTES;
  const fresh = regionAllocDetached(bytes);
  if (fresh == 0) return -ENOMEM;
  const old = regionBase(REGION_SHADOW_SLOTS);
  const oldCap = tableCapacity();
  const mask = cap - 1;
  for (let i: u32 = 0; i < oldCap; i++) {
    const p = slotAddr(old, i);
    const ref = load<u32>(p, 8);
    if (ref != 0) place(fresh, mask, load<u32>(p), load<u32>(p, 4), ref);
  }
  regionAdopt(REGION_SHADOW_SLOTS, fresh, bytes);
  regionSetUsed(REGION_SHADOW_SLOTS, bytes);
  scalarSet(S_CAPACITY, cap);
  return 0;
}

/** Makes room for one more entry, doubling before the load would reach 0.75. */
export function tableReserveOne(): i32 {
  const cap = tableCapacity();
  if (cap == 0) return rebuild(MIN_CAPACITY);
  if ((<u64>tableCount() + 1) * 4 < <u64>cap * 3) return 0;
  return rebuild(cap << 1);
}

/** Inserts an absent key; the caller has called tableReserveOne(). */
export function tableInsert(obj: u32, id: u32, ref: u32): void {
  place(regionBase(REGION_SHADOW_SLOTS), tableCapacity() - 1, obj, id, ref);
  scalarSet(S_COUNT, tableCount() + 1);
}

/** Empties slot `i` and shifts the rest of its probe run back over the hole. */
export function tableRemoveAt(i: u32): void {
  const mask = tableCapacity() - 1;
  const base = regionBase(REGION_SHADOW_SLOTS);
  let hole = i;
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    const p = slotAddr(base, j);
    const ref = load<u32>(p, 8);
    if (ref == 0) break;
    const home = hashKey(load<u32>(p), load<u32>(p, 4)) & mask;
    // The entry at j may fill the hole only if the hole lies on its probe path home..j.
    if (((j - home) & mask) >= ((j - hole) & mask)) {
      memory.copy(slotAddr(base, hole), p, SLOT_BYTES);
      hole = j;
    }
  }
  store<u32>(slotAddr(base, hole), 0, 8);
  scalarSet(S_COUNT, tableCount() - 1);
}
