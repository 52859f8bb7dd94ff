// text.ts: the emulated kernel text: objects (vmlinux, modules), their functions' real bytes in
// an arena (with arm64 module PLTs), and ftrace's boot / module-load conversion of their sites.
// Layout and symbols: layout.ts; trampolines: tramp.ts; byte access: textbytes.ts; patching:
// site.ts.
//
// Build model (x86-64): GCC `-pg -mfentry -mrecord-mcount`. Every function is built with
// `call __fentry__` as its first instruction (after endbr64 with IBT), and ftrace converts the
// recorded sites to NOP5 at boot (vmlinux) and at module load (ftrace_init_nop via
// ftrace_process_locs / ftrace_module_init): text_ftrace_init(). We model this rather than
// objtool's build-time `--mnop` because it makes the conversion (and its verification, which can
// fail) an observable step, and because it is what a GCC build without HAVE_OBJTOOL_NOP_MCOUNT
// does.
//
// Build model (arm64): `-fpatchable-function-entry=2` (two NOPs at the entry) or, with
// CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS, `=4,2` (two more NOPs before the entry forming an 8-byte
// aligned literal); `bti c` first with BTI. ftrace_init_nop sets the literal to &ftrace_nop_ops and
// turns the first entry NOP into `mov x9, x30`.
//
// Function body filler (deterministic, so that snapshots and tests can compare bytes):
//   x86-64: after the site, `push %rbp; mov %rsp,%rbp` (55 48 89 e5), 0x90 NOPs, `pop %rbp; ret`
//           (5d c3) in the last two bytes; a body shorter than 6 bytes is NOPs ending in `ret`
//           (c3).
//   arm64:  after the patchable NOPs, `stp x29, x30, [sp, #-16]!; mov x29, sp`, NOPs,
//           `ldp x29, x30, [sp], #16; ret`; a body shorter than 4 words is NOPs ending in `ret`;
//           bytes past the last whole word are 0.
// Functions must be long enough for their entry plus a `ret` (-EINVAL otherwise).

import { EBUSY, EINVAL } from "./shared/errno";
import {
  REGION_TEXT_ARENA,
  REGION_TEXT_POKE,
  REGION_TEXT_SITES,
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
  OBJ_VMLINUX,
  funcAddr,
  funcCount,
  funcLive,
  funcObj,
  kallsymsAddFunc,
  kallsymsAddObject,
  kallsymsInit,
  kallsymsPrefix,
  kallsymsReady,
  kallsymsRemoveObject,
  kallsyms_addr_hi,
  objectBase,
  objectLive,
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
  x86Rel32,
} from "./encode";
import {
  A64_FTRACE_CALLER,
  A64_FTRACE_NOP_OPS,
  PE_FUNC,
  POKE_BYTES,
  POKE_REGION_BYTES,
  SITE_BYTES,
  SITE_F_INIT,
  S_FIRST,
  S_FLAGS,
  S_LAST,
  S_POKE_N,
  S_SITE_DELTA,
  S_SITE_OFF,
  TEXT_ARM64_BTI,
  TEXT_ARM64_CALL_OPS,
  TEXT_ARM64_MODULES_FAR,
  TEXT_X86_IBT,
  X86_FENTRY,
  addr64,
  clearMismatch,
  computeSiteOffset,
  entryLen,
  isArm64,
  recordMismatch,
  siteAddrOf,
  siteArenaOff,
  sitePtr,
  symbolAddr,
  textFlags,
} from "./layout";

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
    const known = TEXT_ARM64_CALL_OPS | TEXT_ARM64_BTI | TEXT_ARM64_MODULES_FAR;
    if ((flags & ~known) != 0) return -EINVAL;
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

/** arm64 ftrace_init_nop: literal := &ftrace_nop_ops (CALL_OPS); verify NOP, write mov x9, x30. */
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
