// textbytes.ts: reading and (for demonstrations of a malformed arena) writing text bytes, and the
// pure encoders behind the spec's worked examples.

import { EBUSY, EFAULT, EINVAL, ENOENT, ERANGE } from "./shared/errno";
import { REGION_TEXT_ARENA, regionBase } from "./region";
import {
  funcAddr,
  funcCount,
  funcLive,
  funcSize,
  kallsymsPrefix,
  kallsymsReady,
  objectBase,
  objectCount,
  objectLive,
  objectPltSlot,
} from "./kallsyms";
import { blEncode, blReachable, rel32Fits, x86Rel32 } from "./encode";
import {
  isArm64,
  pltResolve,
  siteLen,
  siteOffset,
  sitePtr,
} from "./layout";

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
    if (addr >= base && <u64>addr + <u64>len <= <u64>base + 12) {
      return <i32>(slot - 1 + (addr - base));
    }
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

/**
 * arm64 aarch64_insn_patch_text of one instruction (what a kprobe arms and disarms with): writes
 * the word `insn` at `addr`, 4-aligned inside a function's body (not its CALL_OPS literal). The
 * site's own instruction (rec->ip) belongs to ftrace and is refused while a poke batch holds it.
 * @returns 0, -EINVAL (x86, misaligned, or the literal), -EFAULT (not text), -EBUSY (queued site).
 */
export function text_patch_insn(addr: u32, insn: u32): i32 {
  if (!kallsymsReady() || !isArm64() || (addr & 3) != 0) return -EINVAL;
  const n = funcCount();
  for (let id: u32 = 0; id < n; id++) {
    if (!funcLive(id)) continue;
    const start = funcAddr(id);
    if (addr < start || <u64>addr + 4 > <u64>start + <u64>funcSize(id)) continue;
    if (addr == start + siteOffset() && load<u16>(sitePtr(id), 4) != 0) return -EBUSY;
    const off = load<u32>(sitePtr(id)) + kallsymsPrefix() + (addr - start);
    store<u32>(regionBase(REGION_TEXT_ARENA) + <usize>off, insn);
    return 0;
  }
  return -EFAULT;
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
