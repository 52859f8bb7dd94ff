// layout.ts: the shared layout of the emulated text: text_init flags, the entry-code and ftrace
// data symbols, the scalars and region records of text.ts/site.ts/tramp.ts, and the queries that
// turn a function id into its site's address and bytes. See text.ts for the build models.

import {
  REGION_TEXT_ARENA,
  REGION_TEXT_POKE,
  REGION_TEXT_SITES,
  SCALAR_TEXT_BASE,
  regionBase,
  regionUsed,
  scalarGet,
  scalarSet,
} from "./region";
import {
  ARCH_ARM64,
  ARM64_ENTRY_PAGE,
  X86_ENTRY_PAGE,
  funcAddr,
  funcObj,
  kallsymsArch,
  kallsymsReady,
  kallsyms_addr_hi,
  objectBase,
  objectCount,
  objectLive,
  objectPltSlot,
} from "./kallsyms";
import { pltDestination } from "./encode";

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
// arm64 data: the function tracer's ops (trace_array.ops of the top instance is the static
// global_ops), the literal of a site only it traces.
export const SYM_GLOBAL_OPS: u32 = 7;
export const SYM_COUNT: u32 = 8;

// Layout of the entry page (kallsyms.ts keeps functions out of it). x86: ftrace_64.S order.
export const X86_FENTRY: u32 = X86_ENTRY_PAGE + 0xc40;
export const X86_FTRACE_CALLER: u32 = X86_ENTRY_PAGE + 0xc50;
export const X86_FTRACE_REGS_CALLER: u32 = X86_ENTRY_PAGE + 0xd50;
export const X86_FTRACE_STUB: u32 = X86_ENTRY_PAGE + 0xed0;
export const X86_KLP_HANDLER: u32 = X86_ENTRY_PAGE + 0xf00;
export const A64_FTRACE_CALLER: u32 = ARM64_ENTRY_PAGE;
export const A64_FTRACE_STUB: u32 = ARM64_ENTRY_PAGE + 0x100;
export const A64_KLP_HANDLER: u32 = ARM64_ENTRY_PAGE + 0x200;
// arm64 data symbols live past the 64 MiB text window (in .data).
export const A64_FTRACE_NOP_OPS: u32 = 0x84010000;
export const A64_FTRACE_LIST_OPS: u32 = 0x84010100;
export const A64_GLOBAL_OPS: u32 = 0x84010200;
/** High word of a kmalloc'ed ftrace_ops (the linear map) written into a CALL_OPS literal. */
export const A64_LINEAR_MAP_HI: u32 = 0xffff0000;

/**
 * x86 ftrace trampolines (arch_ftrace_update_trampoline -> create_trampoline -> alloc_tramp):
 * one page each from the start of module space, the lowest free page first.
 */
export const TRAMP_BASE: u32 = 0xa0000000;
export const TRAMP_SLOTS: u32 = 2048;
export const TRAMP_STRIDE: u32 = 0x1000;

// Scalars owned by this file and site.ts: SCALAR_TEXT_BASE + 8..63.
export const S_FLAGS = SCALAR_TEXT_BASE + 8;
export const S_POKE_N = SCALAR_TEXT_BASE + 9;
export const S_POKE_PHASE = SCALAR_TEXT_BASE + 10;
export const S_POKE_CURSOR = SCALAR_TEXT_BASE + 11;
export const S_TRAMP_COUNT = SCALAR_TEXT_BASE + 12;
export const S_BUG_FUNC = SCALAR_TEXT_BASE + 13;
export const S_BUG_LEN = SCALAR_TEXT_BASE + 14;
export const S_BUG_EXP0 = SCALAR_TEXT_BASE + 15;
export const S_BUG_EXP1 = SCALAR_TEXT_BASE + 16;
// Layout constants cached at text_init for the hot path (site_exec): rec->ip - addr, and the
// arena offset of rec->ip within a function's record.
export const S_SITE_OFF = SCALAR_TEXT_BASE + 17;
export const S_SITE_DELTA = SCALAR_TEXT_BASE + 18;
export const S_FIRST = SCALAR_TEXT_BASE + 8;
export const S_LAST = SCALAR_TEXT_BASE + 63;

// REGION_TEXT_SITES: 8 bytes per function id: arena offset of the function's first byte (its
// prefix on arm64 CALL_OPS), u16 poke slot + 1 (0: not queued), u8 flags, u8 spare.
export const SITE_BYTES: usize = 8;
export const SITE_F_INIT: u8 = 1; // ftrace_init_nop done for this site

// REGION_TEXT_POKE: the poke vector (TP_VEC_MAX entries of POKE_BYTES), then the trampoline bitmap.
export const POKE_MAX: u32 = 256;
export const POKE_BYTES: usize = 32;
export const TRAMP_MAP_OFF: usize = <usize>POKE_MAX * POKE_BYTES;
export const POKE_REGION_BYTES: usize = TRAMP_MAP_OFF + (<usize>TRAMP_SLOTS >> 3);
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
export function computeSiteOffset(arch: u32, f: u32): u32 {
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
export function entryLen(): u32 {
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
    if (sym == SYM_GLOBAL_OPS) return A64_GLOBAL_OPS;
    return 0;
  }
  if (sym == SYM_FENTRY) return X86_FENTRY;
  if (sym == SYM_FTRACE_CALLER) return X86_FTRACE_CALLER;
  if (sym == SYM_FTRACE_REGS_CALLER) return X86_FTRACE_REGS_CALLER;
  if (sym == SYM_FTRACE_STUB) return X86_FTRACE_STUB;
  if (sym == SYM_KLP_FTRACE_HANDLER) return X86_KLP_HANDLER;
  return 0;
}

/** High word of a CALL_OPS literal: vmlinux data for the ftrace ops, else a kmalloc'ed ops. */
export function opsHi(ops: u32): u32 {
  // Static ops live in vmlinux .data; klp's are kzalloc'ed.
  const data = ops == A64_FTRACE_NOP_OPS || ops == A64_FTRACE_LIST_OPS || ops == A64_GLOBAL_OPS;
  return data ? kallsyms_addr_hi() : A64_LINEAR_MAP_HI;
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
@inline export function trampMap(): usize {
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
