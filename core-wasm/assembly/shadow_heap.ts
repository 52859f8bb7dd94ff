// shadow_heap.ts: the payload arena of the shadow variables (REGION_SHADOW_HEAP).
//
// Models the kzalloc()/kfree() of `struct klp_shadow` in kernel/livepatch/shadow.c. Layout of the
// region: HEADS_BYTES of free-list heads (one u32 per size class, 0 = empty), then blocks. A block
// is a 4-byte header followed by its payload; a `ref` is the byte offset of the payload, so it is
// never 0 and always 4-byte aligned. Header: the requested size in the low bits and the block's
// state in the top two bits. A freed block goes to the free list of its size class (the link is
// kept in the first payload word), so that alloc/free churn at a steady count reuses memory
// instead of growing the region.
//
// shadow_free() releases through blockRelease(), which only stores into the block (no load of its
// header, which would be a cache miss at a million variables) and chains it on a pending list.
// Pending blocks are sorted into their free lists in batches of DRAIN_BATCH, by which time the
// stores have brought their lines into the cache, or at once when the region would otherwise
// have to grow. So churn at a steady count reuses memory: beyond the peak live blocks, at most
// DRAIN_BATCH - 1 pending blocks plus what the free lists hold are ever added.

import {
  REGION_SHADOW_HEAP,
  SCALAR_SHADOW_BASE,
  regionBase,
  regionCapacity,
  regionReserve,
  regionSetUsed,
  regionUsed,
  scalarGet,
  scalarSet,
} from "./region";

/** Largest payload one shadow variable may have (documented cap; the kernel has none). */
export const SHADOW_MAX_SIZE: u32 = 1 << 20;

/** Classes 0..63: payloads of 4..256 bytes in 4-byte steps; 64..75: powers of two 512..1 MiB. */
const SMALL_CLASSES: u32 = 64;
const SMALL_LIMIT: u32 = 256;
const CLASS_COUNT: u32 = 76;
export const HEADS_BYTES: u32 = CLASS_COUNT << 2;

/** Block states (header bits 30..31). 0 never occurs in a valid header. */
export const BLOCK_FREE: u32 = 1;
export const BLOCK_PREPARED: u32 = 2;
export const BLOCK_LINKED: u32 = 3;
const SIZE_MASK: u32 = (1 << 30) - 1;

// Scalars of the arena (SCALAR_SHADOW_BASE + 8..15).
const S_BLOCKS: i32 = SCALAR_SHADOW_BASE + 8; // blocks not free (prepared or linked)
const S_FREE_BYTES: i32 = SCALAR_SHADOW_BASE + 9; // bytes held in free lists, headers included
const S_PAD_BYTES: i32 = SCALAR_SHADOW_BASE + 10; // class bytes minus requested size, live blocks
const S_PENDING: i32 = SCALAR_SHADOW_BASE + 11; // ref of the last released block, 0 = none
const S_PENDING_COUNT: i32 = SCALAR_SHADOW_BASE + 12;
const DRAIN_BATCH: u32 = 64;

/** Size class of a payload of `size` bytes (size <= SHADOW_MAX_SIZE). */
function classOf(size: u32): u32 {
  if (size <= SMALL_LIMIT) return size <= 4 ? 0 : ((size + 3) >> 2) - 1;
  // 513..1024 -> 65 ... ; 257..512 -> 64
  return SMALL_CLASSES + (32 - clz<u32>(size - 1)) - 9;
}

/** Payload bytes of a block of class `cls`. */
function classBytes(cls: u32): u32 {
  return cls < SMALL_CLASSES ? (cls + 1) << 2 : <u32>1 << (cls - SMALL_CLASSES + 9);
}

// @ts-ignore: decorator
@inline function headAddr(cls: u32): usize {
  return regionBase(REGION_SHADOW_HEAP) + (<usize>cls << 2);
}

// @ts-ignore: decorator
@inline function header(ref: u32): u32 {
  return load<u32>(regionBase(REGION_SHADOW_HEAP) + <usize>ref - 4);
}

/** The state of the block at `ref`, or 0 when `ref` cannot be a block of this arena. */
export function blockState(ref: u32): u32 {
  if ((ref & 3) != 0 || ref < HEADS_BYTES + 4) return 0;
  const used = <u32>regionUsed(REGION_SHADOW_HEAP);
  if (ref >= used) return 0;
  const h = header(ref);
  const size = h & SIZE_MASK;
  if (size > SHADOW_MAX_SIZE || <u64>ref + <u64>classBytes(classOf(size)) > <u64>used) return 0;
  return h >>> 30;
}

/** Requested payload size of a valid block. */
// @ts-ignore: decorator
@inline export function blockSize(ref: u32): u32 {
  return header(ref) & SIZE_MASK;
}

/** Marks a valid block `state` (prepared or linked), keeping its size. */
export function blockSetState(ref: u32, state: u32): void {
  store<u32>(regionBase(REGION_SHADOW_HEAP) + <usize>ref - 4, blockSize(ref) | (state << 30));
}

/** Lays down the free-list heads the first time the arena is used (all-zero state = empty). */
function heapInit(): i32 {
  if (regionUsed(REGION_SHADOW_HEAP) != 0) return 0;
  const err = regionReserve(REGION_SHADOW_HEAP, HEADS_BYTES);
  if (err < 0) return err;
  memory.fill(regionBase(REGION_SHADOW_HEAP), 0, HEADS_BYTES);
  regionSetUsed(REGION_SHADOW_HEAP, HEADS_BYTES);
  return 0;
}

/** Pops the head of a free list; a corrupt link (data written over a freed block) empties it. */
function popFree(cls: u32): u32 {
  const head = load<u32>(headAddr(cls));
  if (head == 0) return 0;
  if (blockState(head) != BLOCK_FREE || classOf(blockSize(head)) != cls) {
    store<u32>(headAddr(cls), 0);
    return 0;
  }
  store<u32>(headAddr(cls), load<u32>(regionBase(REGION_SHADOW_HEAP) + <usize>head));
  scalarSet(S_FREE_BYTES, scalarGet(S_FREE_BYTES) - 4 - classBytes(cls));
  return head;
}

/** A released block: header state 0 (not a valid ref any more), size bits intact. */
function isPending(ref: u32): bool {
  if ((ref & 3) != 0 || ref < HEADS_BYTES + 4 || ref >= <u32>regionUsed(REGION_SHADOW_HEAP)) {
    return false;
  }
  const h = header(ref);
  return h >>> 30 == 0 && (h & SIZE_MASK) <= SHADOW_MAX_SIZE;
}

/** Moves every released block to its free list. A corrupt link ends the walk (leaks the rest). */
export function heapDrain(): void {
  let ref = scalarGet(S_PENDING);
  scalarSet(S_PENDING, 0);
  scalarSet(S_PENDING_COUNT, 0);
  const base = regionBase(REGION_SHADOW_HEAP);
  while (ref != 0 && isPending(ref)) {
    const next = load<u32>(base + <usize>ref);
    blockFree(ref);
    ref = next;
  }
}

/**
 * kfree() on the hot path: marks a valid, non-free block released and chains it on the pending
 * list, touching only the block's own bytes with stores.
 */
export function blockRelease(ref: u32): void {
  const base = regionBase(REGION_SHADOW_HEAP);
  store<u8>(base + <usize>ref - 1, 0); // header bits 24..31: state 0, size bits kept
  store<u32>(base + <usize>ref, scalarGet(S_PENDING));
  scalarSet(S_PENDING, ref);
  scalarSet(S_PENDING_COUNT, scalarGet(S_PENDING_COUNT) + 1);
}

/**
 * kzalloc(sizeof(struct klp_shadow) + size): a zeroed block in state `state`.
 * @returns its ref (> 0) or a negative errno (-ENOMEM).
 */
export function blockAlloc(size: u32, state: u32): i32 {
  const err = heapInit();
  if (err < 0) return err;
  const cls = classOf(size);
  const bytes = classBytes(cls);
  let ref = popFree(cls);
  const off = <u32>regionUsed(REGION_SHADOW_HEAP);
  const pending = scalarGet(S_PENDING_COUNT);
  const mustGrow = <usize>off + 4 + bytes > regionCapacity(REGION_SHADOW_HEAP);
  if (ref == 0 && pending != 0 && (pending >= DRAIN_BATCH || mustGrow)) {
    heapDrain();
    ref = popFree(cls);
  }
  if (ref == 0) {
    const grow = regionReserve(REGION_SHADOW_HEAP, <usize>off + 4 + bytes);
    if (grow < 0) return grow;
    regionSetUsed(REGION_SHADOW_HEAP, <usize>off + 4 + bytes);
    ref = off + 4;
  }
  const base = regionBase(REGION_SHADOW_HEAP);
  store<u32>(base + <usize>ref - 4, size | (state << 30));
  if (bytes <= 8) {
    store<u32>(base + <usize>ref, 0);
    store<u32>(base + <usize>ref + bytes - 4, 0);
  } else {
    memory.fill(base + <usize>ref, 0, bytes);
  }
  scalarSet(S_BLOCKS, scalarGet(S_BLOCKS) + 1);
  scalarSet(S_PAD_BYTES, scalarGet(S_PAD_BYTES) + bytes - size);
  return <i32>ref;
}

/** kfree(): puts a valid or released block on its class's free list. */
export function blockFree(ref: u32): void {
  const size = blockSize(ref);
  const cls = classOf(size);
  const bytes = classBytes(cls);
  const base = regionBase(REGION_SHADOW_HEAP);
  store<u32>(base + <usize>ref - 4, size | (BLOCK_FREE << 30));
  store<u32>(base + <usize>ref, load<u32>(headAddr(cls)));
  store<u32>(headAddr(cls), ref);
  scalarSet(S_BLOCKS, scalarGet(S_BLOCKS) - 1);
  scalarSet(S_PAD_BYTES, scalarGet(S_PAD_BYTES) - (bytes - size));
  scalarSet(S_FREE_BYTES, scalarGet(S_FREE_BYTES) + 4 + bytes);
}

/** Arena bytes that are not payload: heads, headers of live blocks, padding, free blocks. */
export function heapOverheadBytes(): f64 {
  if (regionUsed(REGION_SHADOW_HEAP) == 0) return 0;
  heapDrain();
  return (
    <f64>HEADS_BYTES +
    <f64>scalarGet(S_BLOCKS) * 4 +
    <f64>scalarGet(S_PAD_BYTES) +
    <f64>scalarGet(S_FREE_BYTES)
  );
}
