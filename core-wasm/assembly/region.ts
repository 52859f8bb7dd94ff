// region.ts: the core's whole state lives in a fixed set of memory regions.
//
// Why: a snapshot (see snapshot.ts) must capture everything the core knows, and the AssemblyScript
// runtime would otherwise keep state in globals and managed objects the host cannot see. So every
// module keeps its tables in regions (raw, growable byte blocks from `heap`) and its scalars in the
// SCALARS region. Invariant: no region stores an absolute address; cross references are offsets or
// indexes, because a region may move when it grows or when a snapshot is restored.

import { ENOMEM } from "./shared/errno";

/** Region ids. Each module owns its ids; the table is central so that ids never collide. */
export const REGION_SCALARS: i32 = 0;
export const REGION_SHADOW_SLOTS: i32 = 1;
export const REGION_SHADOW_HEAP: i32 = 2;
export const REGION_SHADOW_REPORT: i32 = 3;
export const REGION_TEXT_ARENA: i32 = 4;
export const REGION_TEXT_FUNCS: i32 = 5;
export const REGION_TEXT_POKE: i32 = 6;
export const REGION_TEXT_OBJECTS: i32 = 7;
export const REGION_OPS_ENTRIES: i32 = 8;
export const REGION_OPS_HEADS: i32 = 9;
export const REGION_TASK_STATE: i32 = 10;
export const REGION_TASK_INDEX: i32 = 11;
export const REGION_TASK_FRAMES: i32 = 12;
export const REGION_CHECK: i32 = 13;
export const REGION_TEXT_SITES: i32 = 14;
export const REGION_SPARE2: i32 = 15;
/** Host input buffer: not part of the state, never snapshotted. */
export const REGION_SCRATCH: i32 = 16;
export const REGION_COUNT: i32 = 17;

/** Scalar words (u32) in REGION_SCALARS, partitioned per module. */
export const SCALARS_WORDS: i32 = 256;
export const SCALAR_SHADOW_BASE: i32 = 0; // 0..31
export const SCALAR_TEXT_BASE: i32 = 32; // 32..95
export const SCALAR_OPS_BASE: i32 = 96; // 96..127
export const SCALAR_TASK_BASE: i32 = 128; // 128..191
export const SCALAR_CORE_BASE: i32 = 224; // 224..255

/** Upper bound on all region capacities together, so that a runaway table fails with -ENOMEM
 * instead of trapping inside the allocator. Adjustable by the host (core_set_memory_limit). */
const DEFAULT_MEMORY_LIMIT: u64 = 1536 << 20;

// The region table itself is bookkeeping, not state: capacities and bases follow from the
// allocator; the `used` sizes are state and are saved by the snapshot.
const bases = new StaticArray<usize>(REGION_COUNT);
const capacities = new StaticArray<usize>(REGION_COUNT);
const useds = new StaticArray<usize>(REGION_COUNT);
let totalCapacity: u64 = 0;
let memoryLimit: u64 = DEFAULT_MEMORY_LIMIT;

/** Base address of a region (valid until the region is resized). */
// @ts-ignore: decorator
@inline export function regionBase(id: i32): usize {
  return unchecked(bases[id]);
}

// @ts-ignore: decorator
@inline export function regionCapacity(id: i32): usize {
  return unchecked(capacities[id]);
}

// @ts-ignore: decorator
@inline export function regionUsed(id: i32): usize {
  return unchecked(useds[id]);
}

/** Declares how many leading bytes of a region are meaningful (what a snapshot copies). */
// @ts-ignore: decorator
@inline export function regionSetUsed(id: i32, used: usize): void {
  unchecked((useds[id] = used));
}

/** Rounds a byte count up to whole 16-byte units. */
// @ts-ignore: decorator
@inline function roundUp16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

/** Whether `bytes` more may be taken without passing the memory limit. */
export function regionMayGrow(bytes: usize): bool {
  return totalCapacity + <u64>bytes <= memoryLimit;
}

/**
 * Grows a region to hold at least `bytes`, keeping its first `used` bytes and zeroing the rest.
 * @returns 0, or -ENOMEM when the memory limit would be passed.
 */
export function regionReserve(id: i32, bytes: usize): i32 {
  const cap = regionCapacity(id);
  if (bytes <= cap) return 0;
  let next = cap < 64 ? <usize>64 : cap;
  while (next < bytes) next = next << 1;
  next = roundUp16(next);
  if (!regionMayGrow(next - cap)) {
    next = roundUp16(bytes);
    if (!regionMayGrow(next - cap)) return -ENOMEM;
  }
  return regionResizeExact(id, next);
}

/** Resizes a region to exactly `bytes` (rounded to 16), preserving content up to the smaller size. */
export function regionResizeExact(id: i32, bytes: usize): i32 {
  const cap = regionCapacity(id);
  const next = roundUp16(bytes);
  if (next > cap && !regionMayGrow(next - cap)) return -ENOMEM;
  const old = regionBase(id);
  const base = old == 0 ? heap.alloc(next) : heap.realloc(old, next);
  if (next > cap) memory.fill(base + cap, 0, next - cap);
  unchecked((bases[id] = base));
  unchecked((capacities[id] = next));
  totalCapacity = totalCapacity - <u64>cap + <u64>next;
  if (regionUsed(id) > next) regionSetUsed(id, next);
  return 0;
}

/** Allocates a zeroed block outside any region (for a rebuild that needs old and new at once). */
export function regionAllocDetached(bytes: usize): usize {
  const size = roundUp16(bytes);
  if (!regionMayGrow(size)) return 0;
  const ptr = heap.alloc(size);
  memory.fill(ptr, 0, size);
  totalCapacity += <u64>size;
  return ptr;
}

/** Makes a detached block the new body of a region; the old body is freed. */
export function regionAdopt(id: i32, ptr: usize, bytes: usize): void {
  const old = regionBase(id);
  if (old != 0) heap.free(old);
  totalCapacity -= <u64>regionCapacity(id);
  unchecked((bases[id] = ptr));
  unchecked((capacities[id] = roundUp16(bytes)));
}

/** Releases a region's memory entirely. */
export function regionRelease(id: i32): void {
  const old = regionBase(id);
  if (old != 0) heap.free(old);
  totalCapacity -= <u64>regionCapacity(id);
  unchecked((bases[id] = 0));
  unchecked((capacities[id] = 0));
  unchecked((useds[id] = 0));
}

// @ts-ignore: decorator
@inline export function scalarGet(index: i32): u32 {
  return load<u32>(regionBase(REGION_SCALARS) + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline export function scalarSet(index: i32, value: u32): void {
  store<u32>(regionBase(REGION_SCALARS) + (<usize>index << 2), value);
}

/** Sets up the SCALARS region; called once at instantiation and by core_reset(). */
export function regionsInit(): void {
  for (let id = 0; id < REGION_COUNT; id++) regionRelease(id);
  totalCapacity = 0;
  regionReserve(REGION_SCALARS, <usize>SCALARS_WORDS << 2);
  regionSetUsed(REGION_SCALARS, <usize>SCALARS_WORDS << 2);
}

/** Total bytes held by all regions (capacity, not use). */
export function regionsTotalCapacity(): u64 {
  return totalCapacity;
}

export function regionsSetMemoryLimit(bytes: u64): void {
  memoryLimit = bytes;
}
