// text.ts: the emulated kernel text: objects (vmlinux, modules), their functions' real bytes in
// an arena, the ftrace entry symbols, x86 ftrace trampolines and arm64 module PLTs.
//
// Build model (x86-64): GCC `-pg -mfentry -mrecord-mcount`. Every function is built with
// `call __fentry__` as its first instruction (after endbr64 with IBT), and ftrace converts the
// recorded sites to NOP5 at boot (vmlinux) and at module load (ftrace_init_nop via
// ftrace_process_locs / ftrace_module_init): text_ftrace_init(). We model this rather than
// objtool's build-time `--mnop` because it makes the conversion (and its verification, which can
// fail) an observable step, and because it is what a GCC build without HAVE_OBJTOOL_NOP_MCOUNT does.
//
// Build model (arm64): `-fpatchable-function-entry=2` (two NOPs at the entry) or, with
// CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS, `=4,2` (two more NOPs before the entry forming an 8-byte
// aligned literal); `bti c` first with BTI. ftrace_init_nop sets the literal to &ftrace_nop_ops and
// turns the first entry NOP into `mov x9, x30`.
//
// Function body filler (deterministic, so that snapshots and tests can compare bytes):
//   x86-64: after the site, `push %rbp; mov %rsp,%rbp` (55 48 89 e5), 0x90 NOPs, `pop %rbp; ret`
//           (5d c3) in the last two bytes; a body shorter than 6 bytes is NOPs ending in `ret` (c3).
//   arm64:  after the patchable NOPs, `stp x29, x30, [sp, #-16]!; mov x29, sp`, NOPs,
//           `ldp x29, x30, [sp], #16; ret`; a body shorter than 4 words is NOPs ending in `ret`;
//           bytes past the last whole word are 0.
// Functions must be long enough for their entry plus a `ret` (-EINVAL otherwise).

import { EBUSY, EFAULT, EINVAL, ENOENT, ENOSPC, ERANGE } from "./shared/errno";
import {
  REGION_TEXT_ARENA,
  REGION_TEXT_POKE,
  REGION_TEXT_SITES,
  SCALAR_TEXT_BASE,
  regionBase,
  regionReserve,
  regionSetUsed,
  regionUsed,
  scalarGet,
  scalarSet,
} from "./region";
import {
  ARCH_ARM64,
  ARCH_X86_64,
  ARM64_ENTRY_PAGE,
  OBJ_VMLINUX,
  X86_ENTRY_PAGE,
  funcAddr,
  funcCount,
  funcLive,
  funcObj,
  funcSize,
  kallsymsAddFunc,
  kallsymsAddObject,
  kallsymsArch,
  kallsymsInit,
  kallsymsPrefix,
  kallsymsReady,
  kallsymsRemoveObject,
  kallsyms_addr_hi,
  objectBase,
  objectCount,
  objectLive,
  objectPltSlot,
  objectSetPltSlot,
} from "./kallsyms";
import {
  A64_BR_X16,
  A64_BTI_C,
  A64_MOV_X9_LR,
  A64_NOP,
  A64_RET,
  X86_CALL,
  X86_ENDBR64,
  X86_NOP5_B4,
  X86_NOP5_LO,
  addImmEncode,
  adrpEncode,
  blEncode,
  blReachable,
  pltDestination,
  rel32Fits,
  x86Rel32,
} from "./encode";

/** text_init flags. */
export const TEXT_X86_IBT: u32 = 1; // endbr64 before the fentry site (CONFIG_X86_KERNEL_IBT)
export const TEXT_ARM64_CALL_OPS: u32 = 2; // CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS
export const TEXT_ARM64_BTI: u32 = 4; // bti c before the patchable NOPs
export const TEXT_ARM64_MODULES_FAR: u32 = 8; // module text out of bl range: calls go via a PLT

/** Symbols text_symbol() knows (0 where the arch has no such symbol). */
export const SYM_FENTRY: u32 = 0; // x86 __fentry__
export const SYM_FTRACE_CALLER: u32 = 1;
export const SYM_FTRACE_REGS_CALLER: u32 = 2; // x86 only
export const SYM_FTRACE_STUB: u32 = 3;
export const SYM_KLP_FTRACE_HANDLER: u32 = 4;
export const SYM_FTRACE_NOP_OPS: u32 = 5; // arm64 data: the literal after ftrace init
export const SYM_FTRACE_LIST_OPS: u32 = 6; // arm64 data: the literal when several ops trace a site
export const SYM_COUNT: u32 = 7;

// Layout of the entry page (kallsyms.ts keeps functions out of it). x86: ftrace_64.S order.
const X86_FENTRY: u32 = X86_ENTRY_PAGE + 0xc40;
const X86_FTRACE_CALLER: u32 = X86_ENTRY_PAGE + 0xc50;
const X86_FTRACE_REGS_CALLER: u32 = X86_ENTRY_PAGE + 0xd50;
const X86_FTRACE_STUB: u32 = X86_ENTRY_PAGE + 0xed0;
const X86_KLP_HANDLER: u32 = X86_ENTRY_PAGE + 0xf00;
const A64_FTRACE_CALLER: u32 = ARM64_ENTRY_PAGE;
const A64_FTRACE_STUB: u32 = ARM64_ENTRY_PAGE + 0x100;
const A64_KLP_HANDLER: u32 = ARM64_ENTRY_PAGE + 0x200;
// arm64 data symbols live past the 64 MiB text window (in .data).
const A64_FTRACE_NOP_OPS: u32 = 0x84010000;
const A64_FTRACE_LIST_OPS: u32 = 0x84010100;
/** High word of a kmalloc'ed ftrace_ops (the linear map) written into a CALL_OPS literal. */
export const A64_LINEAR_MAP_HI: u32 = 0xffff0000;

/**
 * x86 ftrace trampolines (arch_ftrace_update_trampoline -> create_trampoline -> alloc_tramp):
 * one page each from the start of module space, the lowest free page first.
 */
export const TRAMP_BASE: u32 = 0xa0000000;
export const TRAMP_SLOTS: u32 = 2048;
const TRAMP_STRIDE: u32 = 0x1000;

// Scalars owned by this file and site.ts: SCALAR_TEXT_BASE + 8..63.
const S_FLAGS = SCALAR_TEXT_BASE + 8;
export const S_POKE_N = SCALAR_TEXT_BASE + 9;
export const S_POKE_PHASE = SCALAR_TEXT_BASE + 10;
export const S_POKE_CURSOR = SCALAR_TEXT_BASE + 11;
const S_TRAMP_COUNT = SCALAR_TEXT_BASE + 12;
export const S_BUG_FUNC = SCALAR_TEXT_BASE + 13;
export const S_BUG_LEN = SCALAR_TEXT_BASE + 14;
export const S_BUG_EXP0 = SCALAR_TEXT_BASE + 15;
export const S_BUG_EXP1 = SCALAR_TEXT_BASE + 16;
// Layout constants cached at text_init for the hot path (site_exec): rec->ip - addr, and the
// arena offset of rec->ip within a function's record.
const S_SITE_OFF = SCALAR_TEXT_BASE + 17;
const S_SITE_DELTA = SCALAR_TEXT_BASE + 18;
const S_FIRST = SCALAR_TEXT_BASE + 8;
const S_LAST = SCALAR_TEXT_BASE + 63;

// REGION_TEXT_SITES: 8 bytes per function id: arena offset of the function's first byte (its
// prefix on arm64 CALL_OPS), u16 poke slot + 1 (0: not queued), u8 flags, u8 spare.
export const SITE_BYTES: usize = 8;
export const SITE_F_INIT: u8 = 1; // ftrace_init_nop done for this site

// REGION_TEXT_POKE: the poke vector (TP_VEC_MAX entries of POKE_BYTES), then the trampoline bitmap.
export const POKE_MAX: u32 = 256;
export const POKE_BYTES: usize = 32;
const TRAMP_MAP_OFF: usize = <usize>POKE_MAX * POKE_BYTES;
const POKE_REGION_BYTES: usize = TRAMP_MAP_OFF + (<usize>TRAMP_SLOTS >> 3);
// Poke entry fields (byte offsets).
export const PE_FUNC: usize = 0; // u32 function id
export const PE_KIND: usize = 4; // u8 kind
export const PE_OLD: usize = 5; // u8 x86: first byte before the int3 (tp->old)
export const PE_DONE: usize = 6; // u8 arm64: 1 literal written, 2 instruction written
export const PE_TARGET: usize = 8; // u32 the new call target (0: NOP)
export const PE_NEW0: usize = 12; // u32 new bytes 0..3 (x86) or the new instruction (arm64)
export const PE_NEW4: usize = 16; // u8 x86 new byte 4
export const PE_OPS_LO: usize = 20; // u32 arm64 literal, low word
export const PE_OPS_HI: usize = 24; // u32 arm64 literal, high word

// ---- layout queries --------------------------------------------------------------------

export function textFlags(): u32 {
  return scalarGet(S_FLAGS);
}

// @ts-ignore: decorator
@inline export function isArm64(): bool {
  return kallsymsArch() == ARCH_ARM64;
}

/** Bytes from a function's address to its ftrace site (rec->ip), for `arch` and `flags`. */
function computeSiteOffset(arch: u32, f: u32): u32 {
  if (arch == ARCH_ARM64) return (f & TEXT_ARM64_BTI ? 4 : 0) + 4;
  return f & TEXT_X86_IBT ? 4 : 0;
}

/** Bytes from a function's address to its ftrace site (rec->ip). */
// @ts-ignore: decorator
@inline export function siteOffset(): u32 {
  return scalarGet(S_SITE_OFF);
}

/** Length of the patched instruction at rec->ip. */
export function siteLen(): u32 {
  return isArm64() ? 4 : 5;
}

/** Bytes from a function's address to the end of its entry (site included). */
function entryLen(): u32 {
  return siteOffset() + siteLen();
}

// @ts-ignore: decorator
@inline export function sitePtr(id: u32): usize {
  return regionBase(REGION_TEXT_SITES) + <usize>id * SITE_BYTES;
}

/** Arena offset of the byte at rec->ip of function `id` (which must be live). */
// @ts-ignore: decorator
@inline export function siteArenaOff(id: u32): usize {
  return <usize>load<u32>(sitePtr(id)) + <usize>scalarGet(S_SITE_DELTA);
}

// @ts-ignore: decorator
@inline export function siteAddrOf(id: u32): u32 {
  return funcAddr(id) + siteOffset();
}

/** Full 64-bit address of a token. */
// @ts-ignore: decorator
@inline export function addr64(token: u32): u64 {
  return (<u64>kallsyms_addr_hi() << 32) | <u64>token;
}

export function symbolAddr(sym: u32): u32 {
  if (!kallsymsReady()) return 0;
  if (isArm64()) {
    if (sym == SYM_FTRACE_CALLER) return A64_FTRACE_CALLER;
    if (sym == SYM_FTRACE_STUB) return A64_FTRACE_STUB;
    if (sym == SYM_KLP_FTRACE_HANDLER) return A64_KLP_HANDLER;
    if (sym == SYM_FTRACE_NOP_OPS) return A64_FTRACE_NOP_OPS;
    if (sym == SYM_FTRACE_LIST_OPS) return A64_FTRACE_LIST_OPS;
    return 0;
  }
  if (sym == SYM_FENTRY) return X86_FENTRY;
  if (sym == SYM_FTRACE_CALLER) return X86_FTRACE_CALLER;
  if (sym == SYM_FTRACE_REGS_CALLER) return X86_FTRACE_REGS_CALLER;
  if (sym == SYM_FTRACE_STUB) return X86_FTRACE_STUB;
  if (sym == SYM_KLP_FTRACE_HANDLER) return X86_KLP_HANDLER;
  return 0;
}

/** High word of a CALL_OPS literal value: vmlinux data for the ftrace ops, else a kmalloc'ed ops. */
export function opsHi(ops: u32): u32 {
  return ops == A64_FTRACE_NOP_OPS || ops == A64_FTRACE_LIST_OPS ? kallsyms_addr_hi() : A64_LINEAR_MAP_HI;
}

// ---- arena -------------------------------------------------------------------------------

/** Takes `n` bytes at the end of the arena. @returns the offset, or -ENOMEM. */
function arenaAlloc(n: u32): i64 {
  const used = regionUsed(REGION_TEXT_ARENA);
  const err = regionReserve(REGION_TEXT_ARENA, used + <usize>n);
  if (err < 0) return err;
  regionSetUsed(REGION_TEXT_ARENA, used + <usize>n);
  return <i64>used;
}

/** Writes a function's build-time bytes (see the filler comment at the top). */
function writeFunctionX86(p: usize, addr: u32, size: u32): void {
  let i: u32 = 0;
  if (textFlags() & TEXT_X86_IBT) {
    store<u32>(p, X86_ENDBR64);
    i = 4;
  }
  store<u8>(p + i, X86_CALL);
  store<i32>(p + i + 1, <i32>x86Rel32(addr64(addr + i), addr64(X86_FENTRY)));
  i += 5;
  memory.fill(p + i, 0x90, size - i);
  if (size - i >= 6) {
    store<u32>(p + i, 0xe5894855); // push %rbp; mov %rsp,%rbp
    store<u16>(p + size - 2, 0xc35d); // pop %rbp; ret
  } else {
    store<u8>(p + size - 1, 0xc3);
  }
}

function writeFunctionArm64(p: usize, size: u32): void {
  const prefix = kallsymsPrefix();
  let i: u32 = 0;
  for (; i < prefix; i += 4) store<u32>(p + i, A64_NOP); // the CALL_OPS literal slot
  const f = p + prefix;
  i = 0;
  if (textFlags() & TEXT_ARM64_BTI) {
    store<u32>(f, A64_BTI_C);
    i = 4;
  }
  const words = size & ~(<u32>3);
  for (; i < words; i += 4) store<u32>(f + i, A64_NOP);
  for (let j = words; j < size; j++) store<u8>(f + j, 0);
  const body = entryLen();
  if (words - body >= 16) {
    store<u32>(f + body, 0xa9bf7bfd); // stp x29, x30, [sp, #-16]!
    store<u32>(f + body + 4, 0x910003fd); // mov x29, sp
    store<u32>(f + words - 8, 0xa8c17bfd); // ldp x29, x30, [sp], #16
  }
  store<u32>(f + words - 4, A64_RET);
}

/** Writes a module's ftrace PLT (module_init_ftrace_plt: get_plt_entry(FTRACE_ADDR)). */
function writePlt(p: usize, pc: u32): void {
  const dst = addr64(A64_FTRACE_CALLER);
  store<u32>(p, adrpEncode(addr64(pc), dst, 16));
  store<u32>(p + 4, addImmEncode(16, 16, <u32>dst & 0xfff));
  store<u32>(p + 8, A64_BR_X16);
  store<u32>(p + 12, 0);
}

/** Address of the ftrace PLT of the object holding function `id`, or 0 when it has none. */
export function funcPlt(id: u32): u32 {
  const obj = funcObj(id);
  return objectPltSlot(obj) != 0 ? objectBase(obj) : 0;
}

/** Where a PLT at `addr` (an object's base) jumps, decoded from its bytes; 0 when not a PLT. */
export function pltResolve(addr: u32): u32 {
  const n = objectCount();
  for (let obj: u32 = 1; obj < n; obj++) {
    if (!objectLive(obj) || objectBase(obj) != addr) continue;
    const slot = objectPltSlot(obj);
    if (slot == 0) return 0;
    const p = regionBase(REGION_TEXT_ARENA) + <usize>(slot - 1);
    return pltDestination(addr, load<u32>(p), load<u32>(p, 4), load<u32>(p, 8));
  }
  return 0;
}

// ---- trampolines ------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function trampMap(): usize {
  return regionBase(REGION_TEXT_POKE) + TRAMP_MAP_OFF;
}

/** Whether `addr` is a live x86 ftrace trampoline. */
export function trampLive(addr: u32): bool {
  if (addr < TRAMP_BASE || (addr - TRAMP_BASE) % TRAMP_STRIDE != 0) return false;
  const slot = (addr - TRAMP_BASE) / TRAMP_STRIDE;
  if (slot >= TRAMP_SLOTS || regionUsed(REGION_TEXT_POKE) < POKE_REGION_BYTES) return false;
  return ((<u32>load<u8>(trampMap() + (slot >> 3)) >> (slot & 7)) & 1) != 0;
}

/** Whether `target` is something an x86 site may call: a trampoline or the shared callers. */
export function x86TargetValid(target: u32): bool {
  return target == X86_FTRACE_CALLER || target == X86_FTRACE_REGS_CALLER || trampLive(target);
}

// ---- exports: setup -----------------------------------------------------------------------

/**
 * Starts an empty machine's text for `arch` (0 x86_64, 1 arm64) with `flags` (TEXT_*; flags of the
 * other arch are refused). Forgets all text, sites, trampolines and any pending poke batch.
 * @returns 0 or a negative errno.
 */
export function text_init(arch: u32, flags: u32): i32 {
  let err: i32;
  if (arch == ARCH_X86_64) {
    if ((flags & ~TEXT_X86_IBT) != 0) return -EINVAL;
    err = kallsymsInit(arch, 16, 0, false);
  } else if (arch == ARCH_ARM64) {
    if ((flags & ~(TEXT_ARM64_CALL_OPS | TEXT_ARM64_BTI | TEXT_ARM64_MODULES_FAR)) != 0) return -EINVAL;
    const callOps = (flags & TEXT_ARM64_CALL_OPS) != 0;
    err = kallsymsInit(arch, 8, callOps ? 8 : 0, (flags & TEXT_ARM64_MODULES_FAR) != 0);
  } else {
    return -EINVAL;
  }
  if (err < 0) return err;
  err = regionReserve(REGION_TEXT_POKE, POKE_REGION_BYTES);
  if (err < 0) return err;
  memory.fill(regionBase(REGION_TEXT_POKE), 0, POKE_REGION_BYTES);
  regionSetUsed(REGION_TEXT_POKE, POKE_REGION_BYTES);
  regionSetUsed(REGION_TEXT_ARENA, 0);
  regionSetUsed(REGION_TEXT_SITES, 0);
  for (let s = S_FIRST; s <= S_LAST; s++) scalarSet(s, 0);
  scalarSet(S_FLAGS, flags);
  const off = computeSiteOffset(arch, flags);
  scalarSet(S_SITE_OFF, off);
  scalarSet(S_SITE_DELTA, kallsymsPrefix() + off);
  return 0;
}

/** Flags given to text_init. */
export function text_flags(): u32 {
  return textFlags();
}

/**
 * Creates the text object of a module at load (arm64: with its ftrace PLT to ftrace_caller, as
 * module_init_ftrace_plt writes it). @returns the object id, or -errno.
 */
export function text_add_object(): i32 {
  if (!kallsymsReady()) return -EINVAL;
  if (!isArm64()) return kallsymsAddObject(0);
  const used = regionUsed(REGION_TEXT_ARENA);
  let err = regionReserve(REGION_TEXT_ARENA, used + 16);
  if (err < 0) return err;
  const obj = kallsymsAddObject(16);
  if (obj < 0) return obj;
  const off = <u32>arenaAlloc(16);
  writePlt(regionBase(REGION_TEXT_ARENA) + off, objectBase(obj));
  objectSetPltSlot(obj, off + 1);
  return obj;
}

/**
 * Adds a traceable function of `size` bytes to object `obj`, with its build-time entry bytes.
 * @returns its id, or -errno (-EINVAL: bad object, or a size outside entry+ret..4096).
 */
export function text_add_function(obj: u32, size: u32): i32 {
  if (!kallsymsReady()) return -EINVAL;
  const arm = isArm64();
  const min = entryLen() + (arm ? 4 : 1);
  if (size < min || (arm && (size & ~(<u32>3)) < min)) return -EINVAL;
  const prefix = kallsymsPrefix();
  const used = regionUsed(REGION_TEXT_ARENA);
  let err = regionReserve(REGION_TEXT_ARENA, used + <usize>(prefix + size));
  if (err < 0) return err;
  err = regionReserve(REGION_TEXT_SITES, <usize>(funcCount() + 1) * SITE_BYTES);
  if (err < 0) return err;
  const id = kallsymsAddFunc(obj, size);
  if (id < 0) return id;
  const off = <u32>arenaAlloc(prefix + size);
  const p = regionBase(REGION_TEXT_ARENA) + off;
  if (arm) writeFunctionArm64(p, size);
  else writeFunctionX86(p, funcAddr(id), size);
  const s = sitePtr(<u32>id);
  store<u32>(s, off);
  store<u32>(s, 0, 4);
  regionSetUsed(REGION_TEXT_SITES, <usize>(id + 1) * SITE_BYTES);
  return id;
}

/** Whether the pending poke batch holds a site of object `obj`. */
function pokeHoldsObject(obj: u32): bool {
  const n = scalarGet(S_POKE_N);
  const v = regionBase(REGION_TEXT_POKE);
  for (let i: u32 = 0; i < n; i++) {
    if (funcObj(load<u32>(v + <usize>i * POKE_BYTES + PE_FUNC)) == obj) return true;
  }
  return false;
}

/**
 * Removes a module's text (module unload). @returns 0, -EINVAL (vmlinux, unknown or gone), or
 * -EBUSY while a pending poke batch holds one of its sites (ftrace_lock is held across an update).
 */
export function text_remove_object(obj: u32): i32 {
  if (!kallsymsReady()) return -EINVAL;
  if (obj != OBJ_VMLINUX && objectLive(obj) && pokeHoldsObject(obj)) return -EBUSY;
  return kallsymsRemoveObject(obj);
}

/** Records ftrace_bug's view of a failed verification: the site and the bytes it expected. */
export function recordMismatch(id: u32, len: u32, exp0: u32, exp1: u32): void {
  scalarSet(S_BUG_FUNC, id + 1);
  scalarSet(S_BUG_LEN, len);
  scalarSet(S_BUG_EXP0, exp0);
  scalarSet(S_BUG_EXP1, exp1);
}

export function clearMismatch(): void {
  scalarSet(S_BUG_FUNC, 0);
  scalarSet(S_BUG_LEN, 0);
  scalarSet(S_BUG_EXP0, 0);
  scalarSet(S_BUG_EXP1, 0);
}

/** x86 ftrace_init_nop for one site: verify `call __fentry__`, write NOP5. */
function initSiteX86(id: u32): i32 {
  const p = regionBase(REGION_TEXT_ARENA) + siteArenaOff(id);
  const rel = <u32>x86Rel32(addr64(siteAddrOf(id)), addr64(X86_FENTRY));
  const exp0 = <u32>X86_CALL | (rel << 8);
  const exp1 = rel >> 24;
  if (load<u32>(p) != exp0 || <u32>load<u8>(p + 4) != exp1) {
    recordMismatch(id, 5, exp0, exp1);
    return -EINVAL;
  }
  store<u32>(p, X86_NOP5_LO);
  store<u8>(p + 4, X86_NOP5_B4);
  return 0;
}

/** arm64 ftrace_init_nop: literal := &ftrace_nop_ops (CALL_OPS), then verify NOP, write mov x9, x30. */
function initSiteArm64(id: u32): i32 {
  const ip = regionBase(REGION_TEXT_ARENA) + siteArenaOff(id);
  if (textFlags() & TEXT_ARM64_CALL_OPS) {
    const lit = regionBase(REGION_TEXT_ARENA) + <usize>load<u32>(sitePtr(id));
    store<u32>(lit, A64_FTRACE_NOP_OPS);
    store<u32>(lit + 4, kallsyms_addr_hi());
  }
  if (load<u32>(ip - 4) != A64_NOP) {
    recordMismatch(id, 4, A64_NOP, 0);
    return -EINVAL;
  }
  store<u32>(ip - 4, A64_MOV_X9_LR);
  return 0;
}

/**
 * ftrace's conversion of an object's recorded sites (ftrace_process_locs -> ftrace_init_nop, at
 * boot for vmlinux, at module load for a module): every site not yet converted is verified and
 * converted, in address order; the first mismatch stops it (ftrace_bug) with -EINVAL and the site
 * recorded (site_bug_*), leaving the sites before it converted as the kernel does.
 * @returns the number of sites converted, or -errno.
 */
export function text_ftrace_init(obj: u32): i32 {
  if (!kallsymsReady() || !objectLive(obj)) return -EINVAL;
  clearMismatch();
  const n = funcCount();
  const arm = isArm64();
  let done = 0;
  for (let id: u32 = 0; id < n; id++) {
    if (!funcLive(id) || funcObj(id) != obj) continue;
    const s = sitePtr(id);
    if (load<u8>(s, 6) & SITE_F_INIT) continue;
    const err = arm ? initSiteArm64(id) : initSiteX86(id);
    if (err < 0) return err;
    store<u8>(s, load<u8>(s, 6) | SITE_F_INIT, 6);
    done++;
  }
  return done;
}

/** Address token of a symbol (SYM_*), or 0 when the arch has none or text is not initialised. */
export function text_symbol(sym: u32): u32 {
  return symbolAddr(sym);
}

// ---- exports: trampolines ----------------------------------------------------------------

/**
 * Allocates an x86 ftrace trampoline (arch_ftrace_update_trampoline's create_trampoline, from
 * module space). @returns its address token as i32 (tokens are >= 0xa0000000, so read it as
 * unsigned), or -EINVAL (arm64 has none, or no text), -ENOSPC (all slots taken).
 */
export function text_tramp_alloc(): i32 {
  if (!kallsymsReady() || isArm64()) return -EINVAL;
  const map = trampMap();
  for (let slot: u32 = 0; slot < TRAMP_SLOTS; slot++) {
    const b = <u32>load<u8>(map + (slot >> 3));
    const bit = (<u32>1) << (slot & 7);
    if (b & bit) continue;
    store<u8>(map + (slot >> 3), <u8>(b | bit));
    scalarSet(S_TRAMP_COUNT, scalarGet(S_TRAMP_COUNT) + 1);
    return <i32>(TRAMP_BASE + slot * TRAMP_STRIDE);
  }
  return -ENOSPC;
}

/** Whether any live site calls `target` (decoded from its bytes). Linear: trampoline free only. */
function targetInUse(target: u32): bool {
  const n = funcCount();
  const arena = regionBase(REGION_TEXT_ARENA);
  for (let id: u32 = 0; id < n; id++) {
    if (!funcLive(id)) continue;
    const p = arena + siteArenaOff(id);
    if (load<u8>(p) != X86_CALL) continue;
    if (siteAddrOf(id) + 5 + <u32>load<i32>(p + 1) == target) return true;
  }
  return false;
}

/**
 * Frees a trampoline (arch_ftrace_trampoline_free, which ftrace_shutdown reaches only after the
 * sites' update is complete). @returns 0, -EINVAL (not a live trampoline), or -EBUSY while a
 * site still calls it or a poke batch is pending.
 */
export function text_tramp_free(addr: u32): i32 {
  if (!kallsymsReady() || isArm64() || !trampLive(addr)) return -EINVAL;
  if (scalarGet(S_POKE_N) != 0 || targetInUse(addr)) return -EBUSY;
  const slot = (addr - TRAMP_BASE) / TRAMP_STRIDE;
  const p = trampMap() + (slot >> 3);
  store<u8>(p, <u8>(<u32>load<u8>(p) & ~((<u32>1) << (slot & 7))));
  scalarSet(S_TRAMP_COUNT, scalarGet(S_TRAMP_COUNT) - 1);
  return 0;
}

export function text_tramp_count(): u32 {
  return scalarGet(S_TRAMP_COUNT);
}

// ---- exports: bytes --------------------------------------------------------------------------

/** Absolute address of the arena's first byte; valid until the next call that may allocate. */
export function text_arena_base(): usize {
  return regionBase(REGION_TEXT_ARENA);
}

/**
 * Arena offset of the `len` bytes at `addr`, which must lie inside one function (its CALL_OPS
 * literal included) or one module PLT. Linear in the number of functions: not for hot paths.
 * @returns the offset, or -EFAULT (not backed by text: a hole, a removed module, a symbol of the
 * entry page), -EINVAL (len 0 or over 8192).
 */
export function text_arena_offset(addr: u32, len: u32): i32 {
  if (!kallsymsReady() || len == 0 || len > 8192) return -EINVAL;
  const prefix = kallsymsPrefix();
  const n = funcCount();
  for (let id: u32 = 0; id < n; id++) {
    if (!funcLive(id)) continue;
    const start = funcAddr(id) - prefix;
    if (addr >= start && <u64>addr + <u64>len <= <u64>funcAddr(id) + <u64>funcSize(id)) {
      return <i32>(load<u32>(sitePtr(id)) + (addr - start));
    }
  }
  const k = objectCount();
  for (let obj: u32 = 1; obj < k; obj++) {
    const slot = objectPltSlot(obj);
    if (slot == 0 || !objectLive(obj)) continue;
    const base = objectBase(obj);
    if (addr >= base && <u64>addr + <u64>len <= <u64>base + 12) return <i32>(slot - 1 + (addr - base));
  }
  return -EFAULT;
}

/** Arena offset of function `id`'s first byte (its CALL_OPS literal on arm64), or -ENOENT. */
export function text_func_arena_offset(id: u32): i32 {
  if (!funcLive(id)) return -ENOENT;
  return <i32>load<u32>(sitePtr(id));
}

/** Bytes before each function's address (arm64 CALL_OPS literal: 8). */
export function text_prefix_len(): u32 {
  return kallsymsPrefix();
}

/** Bytes from a function's address to rec->ip (x86 IBT: 4; arm64: 4, with BTI 8). */
export function text_site_offset(): u32 {
  return siteOffset();
}

/** Length of the patched instruction (x86: 5, arm64: 4). */
export function text_site_len(): u32 {
  return siteLen();
}

/**
 * Overwrites one byte of text, as a stray write would; for showing (and testing) what a malformed
 * arena does. @returns 0 or -EFAULT (not text), -EINVAL (value over 255).
 */
export function text_write_byte(addr: u32, value: u32): i32 {
  if (value > 255) return -EINVAL;
  const off = text_arena_offset(addr, 1);
  if (off < 0) return off;
  store<u8>(regionBase(REGION_TEXT_ARENA) + <usize>off, <u8>value);
  return 0;
}

/** Where the PLT at `addr` jumps (decoded from its bytes), or 0 when `addr` is not a module PLT. */
export function text_plt_resolve(addr: u32): u32 {
  if (!kallsymsReady() || !isArm64()) return 0;
  return pltResolve(addr);
}

// ---- exports: pure encoders (for the worked examples, independent of the layout) --------------

/**
 * rel32 of `call target` at the x86-64 address 0xffffffff_<site>, as an unsigned 32-bit value, or
 * -ERANGE when it does not fit.
 */
export function text_encode_x86_call(site: u32, target: u32): f64 {
  const hi: u64 = <u64>0xffffffff << 32;
  const rel = x86Rel32(hi | <u64>site, hi | <u64>target);
  if (!rel32Fits(rel)) return -ERANGE;
  return <f64>(<u32>rel);
}

/** `bl target` at the arm64 address 0xffff8000_<pc>, as an unsigned 32-bit word, or -ERANGE. */
export function text_encode_arm64_bl(pc: u32, target: u32): f64 {
  const hi: u64 = <u64>0xffff8000 << 32;
  if (!blReachable(hi | <u64>pc, hi | <u64>target)) return -ERANGE;
  return <f64>blEncode(hi | <u64>pc, hi | <u64>target);
}
