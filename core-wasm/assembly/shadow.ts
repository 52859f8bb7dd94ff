// shadow.ts: shadow variables, the data plane of kernel/livepatch/shadow.c.
//
// A shadow variable is `size` zeroed bytes attached to <obj, id> (obj: a 32-bit address token,
// id: u32). The index lives in shadow_table.ts, the payloads in shadow_heap.ts; refs handed out
// are payload offsets in REGION_SHADOW_HEAP. The kernel's constructor and destructor callbacks run
// in the engine, so the allocation is split the way __klp_shadow_get_or_alloc() orders it:
// shadow_prepare (kzalloc), the ctor on the unlinked data, then shadow_attach (hash_add_rcu) or
// shadow_discard (kfree). free_all is split likewise: collect, run the dtors, commit.

import { EEXIST, EINVAL, ENOSPC, EUCLEAN } from "./shared/errno";
import { REGION_SHADOW_HEAP, SCALAR_SHADOW_BASE, regionBase, scalarGet, scalarSet } from "./region";
import {
  BLOCK_LINKED,
  BLOCK_PREPARED,
  SHADOW_MAX_SIZE,
  blockAlloc,
  blockFree,
  blockRelease,
  blockSetState,
  blockSize,
  blockState,
  heapOverheadBytes,
} from "./shadow_heap";
import {
  SLOT_BYTES,
  slotId,
  slotObj,
  slotRef,
  tableCapacity,
  tableCount,
  tableFind,
  tableInsert,
  tableRemoveAt,
  tableReserveOne,
} from "./shadow_table";
import {
  reportClear,
  reportCollect,
  reportCount,
  reportId,
  reportObj,
  reportRef,
} from "./shadow_report";

const S_MAX_COUNT: i32 = SCALAR_SHADOW_BASE + 2; // 0 = no cap
const S_LAST_CREATED: i32 = SCALAR_SHADOW_BASE + 3;

function atCap(): bool {
  const max = scalarGet(S_MAX_COUNT);
  return max != 0 && tableCount() >= max;
}

/** klp_shadow_get(): the data of <obj, id>. @returns its ref, or 0 when there is none. */
export function shadow_get(obj: u32, id: u32): u32 {
  const i = tableFind(obj, id);
  return i < 0 ? 0 : slotRef(<u32>i);
}

/**
 * The kzalloc() step of klp_shadow_alloc(): a zeroed block not yet visible to shadow_get, on which
 * the engine runs the constructor. @returns its ref, -EINVAL (size > shadow_max_size()),
 * -ENOSPC (count cap reached) or -ENOMEM.
 */
export function shadow_prepare(size: u32): i32 {
  if (size > SHADOW_MAX_SIZE) return -EINVAL;
  if (atCap()) return -ENOSPC;
  return blockAlloc(size, BLOCK_PREPARED);
}

/**
 * The hash_add_rcu() step: makes a prepared block the variable <obj, id>.
 * @returns 0, -EEXIST (<obj, id> exists; the block stays prepared), -EINVAL (ref is not a
 * prepared block), -ENOSPC or -ENOMEM (table growth failed; the block stays prepared).
 */
export function shadow_attach(obj: u32, id: u32, ref: u32): i32 {
  if (blockState(ref) != BLOCK_PREPARED) return -EINVAL;
  if (tableFind(obj, id) >= 0) return -EEXIST;
  if (atCap()) return -ENOSPC;
  const err = tableReserveOne();
  if (err < 0) return err;
  blockSetState(ref, BLOCK_LINKED);
  tableInsert(obj, id, ref);
  return 0;
}

/** kfree() of a prepared block (ctor failed, or detached and destructed). @returns 0 or -EINVAL. */
export function shadow_discard(ref: u32): i32 {
  if (blockState(ref) != BLOCK_PREPARED) return -EINVAL;
  blockFree(ref);
  return 0;
}

/** Allocates and links in one call (no constructor). */
function allocLinked(obj: u32, id: u32, size: u32): i32 {
  if (size > SHADOW_MAX_SIZE) return -EINVAL;
  if (atCap()) return -ENOSPC;
  // Grow the table first so that a failure leaves no block behind.
  const err = tableReserveOne();
  if (err < 0) return err;
  const ref = blockAlloc(size, BLOCK_LINKED);
  if (ref < 0) return ref;
  tableInsert(obj, id, <u32>ref);
  return ref;
}

/**
 * klp_shadow_alloc() without a constructor. @returns the new ref, -EEXIST for a duplicate (the
 * kernel's "Duplicate shadow variable" WARN), -EINVAL (size too large), -ENOSPC, -ENOMEM.
 */
export function shadow_alloc(obj: u32, id: u32, size: u32): i32 {
  if (tableFind(obj, id) >= 0) return -EEXIST;
  return allocLinked(obj, id, size);
}

/**
 * klp_shadow_get_or_alloc() without a constructor: the existing ref, else a new one.
 * shadow_last_created() tells which. @returns a ref or -EINVAL/-ENOSPC/-ENOMEM.
 */
export function shadow_get_or_alloc(obj: u32, id: u32, size: u32): i32 {
  const i = tableFind(obj, id);
  if (i >= 0) {
    scalarSet(S_LAST_CREATED, 0);
    return <i32>slotRef(<u32>i);
  }
  const ref = allocLinked(obj, id, size);
  scalarSet(S_LAST_CREATED, ref > 0 ? 1 : 0);
  return ref;
}

/** 1 when the last shadow_get_or_alloc created the variable, else 0. */
export function shadow_last_created(): i32 {
  return <i32>scalarGet(S_LAST_CREATED);
}

/**
 * klp_shadow_free() without a dtor (with one: shadow_detach, dtor, shadow_discard).
 * @returns the freed ref, or 0 when <obj, id> does not exist.
 */
export function shadow_free(obj: u32, id: u32): u32 {
  const i = tableFind(obj, id);
  if (i < 0) return 0;
  const ref = slotRef(<u32>i);
  tableRemoveAt(<u32>i);
  blockRelease(ref);
  return ref;
}

/**
 * The unlink half of klp_shadow_free_struct(): removes <obj, id> from the table but keeps its data
 * alive (a prepared block), because the kernel calls the dtor after hash_del_rcu() and frees only
 * after an RCU grace period. The engine runs the dtor, then shadow_discard(ref).
 * @returns the ref, or 0 when <obj, id> does not exist.
 */
export function shadow_detach(obj: u32, id: u32): u32 {
  const i = tableFind(obj, id);
  if (i < 0) return 0;
  const ref = slotRef(<u32>i);
  tableRemoveAt(<u32>i);
  blockSetState(ref, BLOCK_PREPARED);
  return ref;
}

/**
 * First half of klp_shadow_free_all(id): lists every variable with this id in
 * REGION_SHADOW_REPORT, ordered by obj (the kernel's order is its hash walk, unspecified).
 * Nothing is freed yet. @returns the count, or -ENOMEM.
 */
export function shadow_free_all_collect(id: u32): i32 {
  return reportCollect(id);
}

/** obj of the i-th collected variable (0 when out of range). */
export function shadow_report_obj(i: u32): u32 {
  return i < reportCount() ? reportObj(i) : 0;
}

/** ref of the i-th collected variable (0 when out of range). */
export function shadow_report_ref(i: u32): u32 {
  return i < reportCount() ? reportRef(i) : 0;
}

/**
 * Second half without dtors: frees what the last collect listed (entries detached or changed
 * since are skipped) and forgets the list. With dtors the engine instead walks the list with
 * shadow_detach, dtor, shadow_discard per entry, as klp_shadow_free_all() does, then commits.
 * @returns how many were freed.
 */
export function shadow_free_all_commit(): i32 {
  const n = reportCount();
  const id = reportId();
  let freed = 0;
  for (let k: u32 = 0; k < n; k++) {
    const i = tableFind(reportObj(k), id);
    if (i < 0 || slotRef(<u32>i) != reportRef(k)) continue;
    tableRemoveAt(<u32>i);
    blockFree(reportRef(k));
    freed++;
  }
  reportClear();
  return freed;
}

/** Requested size of a prepared or linked block. @returns the size or -EINVAL. */
export function shadow_size(ref: u32): i32 {
  const st = blockState(ref);
  if (st != BLOCK_PREPARED && st != BLOCK_LINKED) return -EINVAL;
  return <i32>blockSize(ref);
}

/**
 * Absolute address of byte `off` of the data at `ref` when `len` bytes fit there, else 0.
 * Valid until the next call that may allocate.
 */
export function shadow_data_addr(ref: u32, off: u32, len: u32): usize {
  const size = shadow_size(ref);
  if (size < 0 || <u64>off + <u64>len > <u64>size) return 0;
  return regionBase(REGION_SHADOW_HEAP) + <usize>ref + <usize>off;
}

/** Absolute address of the data at `ref` (0 for a bad ref). */
export function shadow_data_offset(ref: u32): usize {
  return shadow_data_addr(ref, 0, 0);
}

export function shadow_count(): u32 {
  return tableCount();
}

export function shadow_capacity(): u32 {
  return tableCapacity();
}

/** Largest size accepted by the allocating calls. */
export function shadow_max_size(): u32 {
  return SHADOW_MAX_SIZE;
}

/** Table bytes plus arena bytes that are not payload (headers, padding, free blocks, heads). */
export function shadow_overhead_bytes(): f64 {
  return <f64>tableCapacity() * <f64>SLOT_BYTES + heapOverheadBytes();
}

/** Caps the live count (then -ENOSPC); 0 removes the cap. */
export function shadow_set_max_count(n: u32): void {
  scalarSet(S_MAX_COUNT, n);
}

/**
 * Checks the table's invariants (for tests): the count equals the occupied slots, every entry is
 * reachable from its home slot and points at a linked block. @returns 0 or -EUCLEAN.
 */
export function shadow_check(): i32 {
  const cap = tableCapacity();
  let n: u32 = 0;
  for (let i: u32 = 0; i < cap; i++) {
    const ref = slotRef(i);
    if (ref == 0) continue;
    n++;
    if (blockState(ref) != BLOCK_LINKED || tableFind(slotObj(i), slotId(i)) != <i32>i) {
      return -EUCLEAN;
    }
  }
  return n == tableCount() ? 0 : -EUCLEAN;
}
