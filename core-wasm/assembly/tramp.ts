// tramp.ts: x86-64 ftrace trampolines (arch_ftrace_update_trampoline / create_trampoline /
// arch_ftrace_trampoline_free): only their addresses are emulated, one page each from the start of
// module space, lowest free page first; their code (a copy of ftrace_caller) is not.

import { EBUSY, EINVAL, ENOSPC } from "./shared/errno";
import { REGION_TEXT_ARENA, regionBase, scalarGet, scalarSet } from "./region";
import { funcCount, funcLive, kallsymsReady } from "./kallsyms";
import { X86_CALL } from "./encode";
import {
  S_POKE_N,
  S_TRAMP_COUNT,
  TRAMP_BASE,
  TRAMP_SLOTS,
  TRAMP_STRIDE,
  isArm64,
  siteAddrOf,
  siteArenaOff,
  trampLive,
  trampMap,
} from "./layout";

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
