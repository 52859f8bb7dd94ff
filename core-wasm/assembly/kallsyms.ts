// kallsyms.ts: the emulated kernel's symbol table: text objects (vmlinux and modules) and the
// functions in them, each with an address and a size, as kallsyms knows them.
//
// Addresses are kernel virtual addresses. The core passes them around as their low 32 bits
// ("address tokens"): on both arches all kernel and module text lies in one 4 GiB window whose
// high word is fixed (kallsyms_addr_hi), so the low word is unique and arithmetic on it is exact.
// Function ids are dense indexes into REGION_TEXT_FUNCS and are never reused, so a stale id from a
// removed module answers -ENOENT instead of naming another function.

import { EINVAL, ENOENT, ENOMEM, ENOSPC } from "./shared/errno";
import {
  REGION_TEXT_FUNCS,
  REGION_TEXT_OBJECTS,
  SCALAR_TEXT_BASE,
  regionBase,
  regionReserve,
  regionSetUsed,
  scalarGet,
  scalarSet,
} from "./region";

export const ARCH_X86_64: u32 = 0;
export const ARCH_ARM64: u32 = 1;

/** Largest function the emulation accepts: frames encode a return offset in 12 bits. */
export const FUNC_MAX_SIZE: u32 = 4096;
/** Function ids fit in 20 bits (frames pack id and offset into one u32). */
export const FUNC_MAX_COUNT: u32 = 1 << 20;
export const OBJ_MAX_COUNT: u32 = 4096;
/** Each module gets a 4 MiB window of text (>= 1024 functions of the largest size). */
const MODULE_WINDOW: u32 = 4 << 20;
/** vmlinux text gets 64 MiB. */
const VMLINUX_WINDOW: u32 = 64 << 20;

/**
 * Module space, in windows. x86-64: MODULES_VADDR..MODULES_END (0xffffffffa0000000..ff000000),
 * whose first 8 MiB hold the ftrace trampolines (tramp.ts), then 378 windows. arm64: 16 windows in the
 * 64 MiB below _text (in bl range of ftrace_caller), then 495 windows further down (2 GiB below
 * _text, calls into vmlinux need a PLT), used once the near ones are taken, as module_alloc falls
 * back from its direct region to the PLT region. Windows of unloaded modules are reused lowest
 * first, as the vmalloc allocator hands out the lowest free range.
 */
const X86_MODULES_START: u32 = 0xa0800000;
const X86_MODULE_WINDOWS: u32 = 378;
const ARM64_NEAR_START: u32 = 0x7c000000;
const ARM64_NEAR_WINDOWS: u32 = 16;
const ARM64_FAR_START: u32 = 0x00400000;
const ARM64_FAR_WINDOWS: u32 = 495;

/**
 * The page of vmlinux text holding the ftrace entry code (__fentry__, ftrace_caller, ...; see
 * layout.ts). Functions are laid out around it, so that the symbols sit at the addresses of the
 * spec's worked examples.
 */
export const X86_ENTRY_PAGE: u32 = 0x81e03000;
export const ARM64_ENTRY_PAGE: u32 = 0x80015000;

// Scalars owned by this file (SCALAR_TEXT_BASE + 0..7); layout.ts allots + 8..63.
const S_ARCH = SCALAR_TEXT_BASE + 0;
const S_FUNC_COUNT = SCALAR_TEXT_BASE + 1;
const S_OBJ_COUNT = SCALAR_TEXT_BASE + 2;
const S_FUNC_ALIGN = SCALAR_TEXT_BASE + 3;
const S_FUNC_PREFIX = SCALAR_TEXT_BASE + 4;
const S_NEXT_MODULE = SCALAR_TEXT_BASE + 5;
const S_INITIALISED = SCALAR_TEXT_BASE + 6;

// Object record (32 bytes): base, cursor (next free address), end, state, then for text.ts the
// arena offset + 1 of the module's ftrace PLT (0: none), the module window index + 1, 8 spare.
const OBJ_BYTES: usize = 32;
export const OBJ_FREE: u32 = 0;
export const OBJ_LIVE: u32 = 1;
export const OBJ_GONE: u32 = 2;

// Function record (16 bytes): addr, size, object id, state.
const FUNC_BYTES: usize = 16;

/** vmlinux is always object 0. */
export const OBJ_VMLINUX: u32 = 0;

// @ts-ignore: decorator
@inline function objPtr(obj: u32): usize {
  return regionBase(REGION_TEXT_OBJECTS) + <usize>obj * OBJ_BYTES;
}

// @ts-ignore: decorator
@inline function funcPtr(id: u32): usize {
  return regionBase(REGION_TEXT_FUNCS) + <usize>id * FUNC_BYTES;
}

// @ts-ignore: decorator
@inline export function kallsymsArch(): u32 {
  return scalarGet(S_ARCH);
}

/** Bytes reserved before each function (arm64 CALL_OPS literal), as given to kallsymsInit. */
export function kallsymsPrefix(): u32 {
  return scalarGet(S_FUNC_PREFIX);
}

export function kallsymsReady(): bool {
  return scalarGet(S_INITIALISED) != 0;
}

/** High 32 bits shared by every text address of the arch. */
export function kallsyms_addr_hi(): u32 {
  return kallsymsArch() == ARCH_ARM64 ? 0xffff8000 : 0xffffffff;
}

/** Low word of _text (the start of vmlinux text). */
function vmlinuxBase(arch: u32): u32 {
  return arch == ARCH_ARM64 ? 0x80000000 : 0x81000000;
}

/** Address of module window `w` (see the module space comment above). */
function windowBase(arch: u32, w: u32): u32 {
  if (arch != ARCH_ARM64) return X86_MODULES_START + w * MODULE_WINDOW;
  if (w < ARM64_NEAR_WINDOWS) return ARM64_NEAR_START + w * MODULE_WINDOW;
  return ARM64_FAR_START + (w - ARM64_NEAR_WINDOWS) * MODULE_WINDOW;
}

function windowCount(arch: u32): u32 {
  return arch == ARCH_ARM64 ? ARM64_NEAR_WINDOWS + ARM64_FAR_WINDOWS : X86_MODULE_WINDOWS;
}

/** Whether a live object occupies window `w`. Linear in objects: module load only. */
function windowTaken(w: u32): bool {
  const n = scalarGet(S_OBJ_COUNT);
  for (let obj: u32 = 1; obj < n; obj++) {
    const p = objPtr(obj);
    if (load<u32>(p, 12) == OBJ_LIVE && load<u32>(p, 20) == w + 1) return true;
  }
  return false;
}

/**
 * Resets the symbol table for an arch: vmlinux exists and is empty.
 * `align` is the function alignment, `prefix` the bytes reserved before each function (arm64
 * CALL_OPS literal). @returns 0 or a negative errno.
 */
export function kallsymsInit(arch: u32, align: u32, prefix: u32, modulesFar: bool): i32 {
  if (arch > ARCH_ARM64 || align == 0 || (align & (align - 1)) != 0) return -EINVAL;
  let err = regionReserve(REGION_TEXT_OBJECTS, <usize>OBJ_BYTES * 16);
  if (err < 0) return err;
  err = regionReserve(REGION_TEXT_FUNCS, <usize>FUNC_BYTES * 256);
  if (err < 0) return err;
  scalarSet(S_ARCH, arch);
  scalarSet(S_FUNC_ALIGN, align);
  scalarSet(S_FUNC_PREFIX, prefix);
  scalarSet(S_FUNC_COUNT, 0);
  scalarSet(S_OBJ_COUNT, 1);
  // S_NEXT_MODULE: the first window a module may take (arm64 MODULES_FAR skips the near ones).
  scalarSet(S_NEXT_MODULE, arch == ARCH_ARM64 && modulesFar ? ARM64_NEAR_WINDOWS : 0);
  scalarSet(S_INITIALISED, 1);
  const base = vmlinuxBase(arch);
  writeObject(OBJ_VMLINUX, base, base + 0x1000, base + VMLINUX_WINDOW, OBJ_LIVE);
  regionSetUsed(REGION_TEXT_OBJECTS, OBJ_BYTES);
  regionSetUsed(REGION_TEXT_FUNCS, 0);
  return 0;
}

function writeObject(obj: u32, base: u32, cursor: u32, end: u32, state: u32): void {
  const p = objPtr(obj);
  memory.fill(p, 0, OBJ_BYTES);
  store<u32>(p, base);
  store<u32>(p, cursor, 4);
  store<u32>(p, end, 8);
  store<u32>(p, state, 12);
}

/**
 * Creates the text object of a module being loaded, in the lowest free module window, with
 * `reserve` bytes at its start (arm64: the module's ftrace PLT). @returns its id, or -errno
 * (-ENOSPC when no object id or module window is left).
 */
export function kallsymsAddObject(reserve: u32): i32 {
  if (!kallsymsReady()) return -EINVAL;
  const obj = scalarGet(S_OBJ_COUNT);
  if (obj >= OBJ_MAX_COUNT) return -ENOSPC;
  const arch = kallsymsArch();
  let w = scalarGet(S_NEXT_MODULE);
  const count = windowCount(arch);
  while (w < count && windowTaken(w)) w++;
  if (w >= count) return -ENOSPC;
  const err = regionReserve(REGION_TEXT_OBJECTS, <usize>(obj + 1) * OBJ_BYTES);
  if (err < 0) return err;
  const base = windowBase(arch, w);
  writeObject(obj, base, base + reserve, base + MODULE_WINDOW, OBJ_LIVE);
  store<u32>(objPtr(obj), w + 1, 20);
  scalarSet(S_OBJ_COUNT, obj + 1);
  regionSetUsed(REGION_TEXT_OBJECTS, <usize>(obj + 1) * OBJ_BYTES);
  return <i32>obj;
}

/** text.ts's word in an object record: arena offset + 1 of the module's ftrace PLT (0: none). */
export function objectPltSlot(obj: u32): u32 {
  return load<u32>(objPtr(obj), 16);
}

export function objectSetPltSlot(obj: u32, v: u32): void {
  store<u32>(objPtr(obj), v, 16);
}

export function objectCount(): u32 {
  return scalarGet(S_OBJ_COUNT);
}

/** Marks an object (module unload) and all its functions gone. @returns 0 or -errno. */
export function kallsymsRemoveObject(obj: u32): i32 {
  if (obj == OBJ_VMLINUX || !objectLive(obj)) return -EINVAL;
  store<u32>(objPtr(obj), OBJ_GONE, 12);
  const n = scalarGet(S_FUNC_COUNT);
  for (let id: u32 = 0; id < n; id++) {
    const p = funcPtr(id);
    if (load<u32>(p, 8) == obj) store<u32>(p, OBJ_GONE, 12);
  }
  return 0;
}

export function objectLive(obj: u32): bool {
  return obj < scalarGet(S_OBJ_COUNT) && load<u32>(objPtr(obj), 12) == OBJ_LIVE;
}

export function objectBase(obj: u32): u32 {
  return load<u32>(objPtr(obj));
}

export function objectCursor(obj: u32): u32 {
  return load<u32>(objPtr(obj), 4);
}

/**
 * Adds a function of `size` bytes at the object's next aligned address (after `prefix` bytes).
 * @returns the function id, or -EINVAL (bad object or size), -ENOSPC (window or id space full),
 * -ENOMEM.
 */
export function kallsymsAddFunc(obj: u32, size: u32): i32 {
  if (!kallsymsReady() || !objectLive(obj)) return -EINVAL;
  if (size == 0 || size > FUNC_MAX_SIZE) return -EINVAL;
  const id = scalarGet(S_FUNC_COUNT);
  if (id >= FUNC_MAX_COUNT) return -ENOSPC;
  const align = scalarGet(S_FUNC_ALIGN);
  const p = objPtr(obj);
  const cursor = load<u32>(p, 4);
  const prefix = scalarGet(S_FUNC_PREFIX);
  let addr = alignUp(cursor + prefix, align);
  if (obj == OBJ_VMLINUX) {
    // Lay vmlinux functions around the page holding the ftrace entry code.
    const page = kallsymsArch() == ARCH_ARM64 ? ARM64_ENTRY_PAGE : X86_ENTRY_PAGE;
    if (<u64>addr + <u64>size > <u64>page && addr - prefix < page + 0x1000) {
      addr = alignUp(page + 0x1000 + prefix, align);
    }
  }
  if (<u64>addr + <u64>size > <u64>load<u32>(p, 8)) return -ENOSPC;
  const err = regionReserve(REGION_TEXT_FUNCS, <usize>(id + 1) * FUNC_BYTES);
  if (err < 0) return err == -ENOMEM ? -ENOMEM : err;
  const f = funcPtr(id);
  store<u32>(f, addr);
  store<u32>(f, size, 4);
  store<u32>(f, obj, 8);
  store<u32>(f, OBJ_LIVE, 12);
  store<u32>(p, addr + size, 4);
  scalarSet(S_FUNC_COUNT, id + 1);
  regionSetUsed(REGION_TEXT_FUNCS, <usize>(id + 1) * FUNC_BYTES);
  return <i32>id;
}

// @ts-ignore: decorator
@inline function alignUp(x: u32, align: u32): u32 {
  return (x + align - 1) & ~(align - 1);
}

export function funcCount(): u32 {
  return scalarGet(S_FUNC_COUNT);
}

/** Whether `id` names a function whose object is still loaded. */
// @ts-ignore: decorator
@inline export function funcLive(id: u32): bool {
  return id < scalarGet(S_FUNC_COUNT) && load<u32>(funcPtr(id), 12) == OBJ_LIVE;
}

// @ts-ignore: decorator
@inline export function funcAddr(id: u32): u32 {
  return load<u32>(funcPtr(id));
}

// @ts-ignore: decorator
@inline export function funcSize(id: u32): u32 {
  return load<u32>(funcPtr(id), 4);
}

// @ts-ignore: decorator
@inline export function funcObj(id: u32): u32 {
  return load<u32>(funcPtr(id), 8);
}

// ---- exports ------------------------------------------------------------------------------

export function kallsyms_func_count(): u32 {
  return funcCount();
}

/** Address token of a function, or 0 for an unknown or removed id. */
export function kallsyms_func_addr(id: u32): u32 {
  return funcLive(id) ? funcAddr(id) : 0;
}

/** Size of a function, or -ENOENT. */
export function kallsyms_func_size(id: u32): i32 {
  return funcLive(id) ? <i32>funcSize(id) : -ENOENT;
}

/** Object id of a function, or -ENOENT. */
export function kallsyms_func_obj(id: u32): i32 {
  return funcLive(id) ? <i32>funcObj(id) : -ENOENT;
}

/**
 * The function containing `addr` (start <= addr < start + size), as kallsyms_lookup() finds it.
 * @returns the id, or -ENOENT. Linear in the number of functions: not for hot paths.
 */
export function kallsyms_lookup(addr: u32): i32 {
  const n = funcCount();
  for (let id: u32 = 0; id < n; id++) {
    if (!funcLive(id)) continue;
    const start = funcAddr(id);
    if (addr >= start && addr - start < funcSize(id)) return <i32>id;
  }
  return -ENOENT;
}
