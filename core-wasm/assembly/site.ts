// site.ts: live patching of ftrace entry sites as separate observable steps, and what a CPU
// executing a site does at any moment.
//
// The queue models ftrace_replace_code: every site is verified against the bytes ftrace expects
// (ftrace_verify_code / ftrace_modify_code: a mismatch is -EINVAL and ftrace_bug reports the site),
// then queued. site_poke_step() then runs the update one step at a time:
//   x86-64 (smp_text_poke_batch_finish, formerly text_poke_bp_batch), over the whole batch:
//     1 write int3 (cc) over every site's first byte, 2 sync cores, 3 write bytes 1..4 of every new
//     instruction, 4 sync, 5 write every new first byte, 6 sync; then the vector is unpublished.
//     Steps 3-4 run whenever the instruction is longer than the int3 (always, for the 5-byte
//     sites), and 5-6 whenever a new first byte is not cc (always here): the kernel skips on
//     length, not on whether the bytes differ.
//   arm64 (the generic ftrace_replace_code calling ftrace_make_call / ftrace_modify_call /
//     ftrace_make_nop per record, no stop_machine): per site in queue order, 1 store the CALL_OPS
//     literal (ftrace_rec_set_ops; always stored when CALL_OPS is built in, as the kernel does,
//     even if unchanged), 2 the single 32-bit instruction store (aarch64_insn_patch_text_nosync,
//     with its cache maintenance).
// site_exec() decodes the bytes as the CPU would; a site holding the int3 of a published batch
// runs the emulated new instruction as poke_int3_handler does.

import { EBUSY, EINVAL, ENOENT, ENOSPC, ERANGE } from "./shared/errno";
import { REGION_TEXT_ARENA, REGION_TEXT_POKE, regionBase, scalarGet, scalarSet } from "./region";
import { OBJ_VMLINUX, funcLive, funcObj, kallsymsReady } from "./kallsyms";
import {
  A64_BL,
  A64_BL_MASK,
  A64_BRK_KPROBES,
  A64_MOV_X9_LR,
  A64_NOP,
  X86_CALL,
  X86_INT3,
  X86_NOP5_B4,
  X86_NOP5_LO,
  blEncode,
  blReachable,
  blTarget,
  rel32Fits,
  x86Rel32,
} from "./encode";
import {
  PE_DONE,
  PE_FUNC,
  PE_KIND,
  PE_NEW0,
  PE_NEW4,
  PE_OLD,
  PE_OPS_HI,
  PE_OPS_LO,
  PE_TARGET,
  POKE_BYTES,
  POKE_MAX,
  SITE_F_INIT,
  SYM_FENTRY,
  SYM_FTRACE_CALLER,
  SYM_FTRACE_LIST_OPS,
  SYM_FTRACE_NOP_OPS,
  S_BUG_EXP0,
  S_BUG_EXP1,
  S_BUG_FUNC,
  S_BUG_LEN,
  S_POKE_CURSOR,
  S_POKE_N,
  S_POKE_PHASE,
  TEXT_ARM64_CALL_OPS,
  addr64,
  clearMismatch,
  funcPlt,
  isArm64,
  opsHi,
  pltResolve,
  recordMismatch,
  siteAddrOf,
  siteArenaOff,
  sitePtr,
  symbolAddr,
  textFlags,
  x86TargetValid,
} from "./layout";

/** site_queue kinds (FTRACE_UPDATE_*). */
export const SITE_MAKE_CALL: u32 = 1;
export const SITE_MODIFY_CALL: u32 = 2;
export const SITE_MAKE_NOP: u32 = 3;

/** site_state values. */
export const SITE_BUILD: i32 = 1; // build-time bytes: x86 call __fentry__; arm64 plain NOPs
export const SITE_NOP: i32 = 2; // after ftrace init, not traced
export const SITE_CALL: i32 = 3; // calls a trampoline / ftrace_caller / a PLT
export const SITE_POKING: i32 = 4; // mid-update: x86 int3 there; arm64 literal stored, insn not
export const SITE_BAD: i32 = 5; // bytes no ftrace state explains (a malformed arena)

/** site_exec's answer for a site whose bytes are no valid entry (a real CPU would oops). */
export const SITE_EXEC_BAD: u32 = 1;

// @ts-ignore: decorator
@inline function pokeEntry(i: u32): usize {
  return regionBase(REGION_TEXT_POKE) + <usize>i * POKE_BYTES;
}

/** Poke slot + 1 of a site (0: not queued). */
// @ts-ignore: decorator
@inline function siteSlot(id: u32): u32 {
  return load<u16>(sitePtr(id), 4);
}

// @ts-ignore: decorator
@inline function arena(): usize {
  return regionBase(REGION_TEXT_ARENA);
}

// ---- verification and queueing ----------------------------------------------------------------

/** x86: verifies the old bytes for `kind` (aux: the current call target, 0 = the one there). */
function queueX86(id: u32, kind: u32, target: u32, aux: u32, e: usize): i32 {
  const p = arena() + siteArenaOff(id);
  const site = siteAddrOf(id);
  if (kind != SITE_MAKE_NOP && !x86TargetValid(target)) return -EINVAL;
  if (kind == SITE_MAKE_CALL) {
    if (load<u32>(p) != X86_NOP5_LO || load<u8>(p + 4) != X86_NOP5_B4) {
      recordMismatch(id, 5, X86_NOP5_LO, X86_NOP5_B4);
      return -EINVAL;
    }
  } else {
    let cur = aux;
    if (cur == 0 && load<u8>(p) == X86_CALL) cur = site + 5 + <u32>load<i32>(p + 1);
    if (cur == 0 || !x86TargetValid(cur)) {
      recordMismatch(id, 1, X86_CALL, 0);
      return -EINVAL;
    }
    const rel = <u32>x86Rel32(addr64(site), addr64(cur));
    if (load<u8>(p) != X86_CALL || load<u32>(p + 1) != rel) {
      recordMismatch(id, 5, <u32>X86_CALL | (rel << 8), rel >> 24);
      return -EINVAL;
    }
  }
  if (kind == SITE_MAKE_NOP) {
    store<u32>(e + PE_TARGET, 0);
    store<u32>(e + PE_NEW0, X86_NOP5_LO);
    store<u8>(e + PE_NEW4, X86_NOP5_B4);
    return 0;
  }
  const rel = x86Rel32(addr64(site), addr64(target));
  if (!rel32Fits(rel)) return -ERANGE;
  store<u32>(e + PE_TARGET, target);
  store<u32>(e + PE_NEW0, <u32>X86_CALL | (<u32>rel << 8));
  store<u8>(e + PE_NEW4, <u8>(<u32>rel >> 24));
  return 0;
}

/**
 * arm64 ftrace_find_callable_addr for `target` (ftrace_caller): the address a `bl` at the site
 * can reach, direct or through the module's ftrace PLT. @returns it, or 0 when out of range.
 */
function callableArm64(id: u32, target: u32): u32 {
  const pc = addr64(siteAddrOf(id));
  if (blReachable(pc, addr64(target))) return target;
  if (funcObj(id) == OBJ_VMLINUX) return 0;
  const plt = funcPlt(id);
  return plt != 0 && blReachable(pc, addr64(plt)) ? plt : 0;
}

function queueArm64(id: u32, kind: u32, target: u32, aux: u32, e: usize): i32 {
  const callOps = (textFlags() & TEXT_ARM64_CALL_OPS) != 0;
  // Without CALL_OPS arm64 has no ftrace_modify_call: every call goes to ftrace_caller.
  if (kind == SITE_MODIFY_CALL && !callOps) return -EINVAL;
  const caller = symbolAddr(SYM_FTRACE_CALLER);
  const plt = funcPlt(id);
  if (kind != SITE_MAKE_NOP && target != 0 && target != caller && (plt == 0 || target != plt)) {
    return -EINVAL;
  }
  const via = callableArm64(id, caller);
  if (via == 0) return -ERANGE;
  const pc = siteAddrOf(id);
  const bl = blEncode(addr64(pc), addr64(via));
  const ip = arena() + siteArenaOff(id);
  const expected = kind == SITE_MAKE_CALL ? A64_NOP : bl;
  if (load<u32>(ip) != expected) {
    recordMismatch(id, 4, expected, 0);
    return -EINVAL;
  }
  // ftrace_rec_update_ops: the klp ops when it is the only one, else ftrace_list_ops;
  // ftrace_make_nop stores &ftrace_nop_ops.
  let ops = kind == SITE_MAKE_NOP ? symbolAddr(SYM_FTRACE_NOP_OPS) : aux;
  if (ops == 0) ops = symbolAddr(SYM_FTRACE_LIST_OPS);
  store<u32>(e + PE_TARGET, kind == SITE_MAKE_NOP ? 0 : via);
  store<u32>(e + PE_NEW0, kind == SITE_MAKE_NOP ? A64_NOP : bl);
  store<u32>(e + PE_OPS_LO, ops);
  store<u32>(e + PE_OPS_HI, opsHi(ops));
  return 0;
}

/**
 * Queues one site update (ftrace_replace_code's verify-then-queue of one record).
 * `kind`: SITE_MAKE_CALL (nop -> call target), SITE_MODIFY_CALL (call -> call target),
 * SITE_MAKE_NOP (call -> nop). `target`: x86 a live trampoline, ftrace_caller or
 * ftrace_regs_caller (ignored for MAKE_NOP); arm64 ftrace_caller or 0 (the module PLT is chosen
 * here when out of bl range). `aux`: arm64 the ops token for the CALL_OPS literal (0:
 * ftrace_list_ops; ignored for MAKE_NOP, which stores &ftrace_nop_ops); x86 the call target the
 * site holds now, as ftrace_get_addr_curr gives it for MODIFY_CALL/MAKE_NOP (0: the one there).
 * @returns 0, -EINVAL (bad kind or target, site not ftrace-initialised, or old bytes not as
 * expected: then site_bug_* describe it), -ENOENT (unknown or removed function), -EBUSY (site
 * already queued, or a batch is being applied), -ENOSPC (256 sites queued), -ERANGE (target out
 * of reach).
 */
export function site_queue(id: u32, kind: u32, target: u32, aux: u32): i32 {
  if (!kallsymsReady()) return -EINVAL;
  clearMismatch();
  if (kind < SITE_MAKE_CALL || kind > SITE_MAKE_NOP) return -EINVAL;
  if (!funcLive(id)) return -ENOENT;
  if (scalarGet(S_POKE_PHASE) != 0 || siteSlot(id) != 0) return -EBUSY;
  const n = scalarGet(S_POKE_N);
  if (n >= POKE_MAX) return -ENOSPC;
  if ((load<u8>(sitePtr(id), 6) & SITE_F_INIT) == 0) return -EINVAL;
  const e = pokeEntry(n);
  memory.fill(e, 0, POKE_BYTES);
  const err = isArm64() ? queueArm64(id, kind, target, aux, e) : queueX86(id, kind, target, aux, e);
  if (err < 0) {
    memory.fill(e, 0, POKE_BYTES);
    return err;
  }
  store<u32>(e + PE_FUNC, id);
  store<u8>(e + PE_KIND, <u8>kind);
  store<u16>(sitePtr(id), <u16>(n + 1), 4);
  scalarSet(S_POKE_N, n + 1);
  return 0;
}

// ---- stepping ----------------------------------------------------------------------------------

/** Unpublishes the vector: the batch is over. */
function pokeClear(): void {
  const n = scalarGet(S_POKE_N);
  for (let i: u32 = 0; i < n; i++) store<u16>(sitePtr(load<u32>(pokeEntry(i) + PE_FUNC)), 0, 4);
  memory.fill(pokeEntry(0), 0, <usize>n * POKE_BYTES);
  scalarSet(S_POKE_N, 0);
  scalarSet(S_POKE_PHASE, 0);
  scalarSet(S_POKE_CURSOR, 0);
}

function stepX86(phase: u32, n: u32): u32 {
  const a = arena();
  for (let i: u32 = 0; i < n && (phase & 1) == 0; i++) {
    const e = pokeEntry(i);
    const p = a + siteArenaOff(load<u32>(e + PE_FUNC));
    if (phase == 0) {
      store<u8>(e + PE_OLD, load<u8>(p));
      store<u8>(p, X86_INT3);
    } else if (phase == 2) {
      store<u32>(p + 1, load<u32>(e + PE_NEW0) >> 8);
      store<u8>(p + 4, load<u8>(e + PE_NEW4));
    } else {
      store<u8>(p, <u8>load<u32>(e + PE_NEW0));
    }
  }
  // Odd phases (the syncs) change no byte; the last one ends the batch.
  if (phase == 5) pokeClear();
  else scalarSet(S_POKE_PHASE, phase + 1);
  return phase + 1;
}

function stepArm64(n: u32): u32 {
  const c = scalarGet(S_POKE_CURSOR);
  const e = pokeEntry(c);
  const id = load<u32>(e + PE_FUNC);
  scalarSet(S_POKE_PHASE, 1);
  if ((textFlags() & TEXT_ARM64_CALL_OPS) != 0 && load<u8>(e + PE_DONE) == 0) {
    const lit = arena() + <usize>load<u32>(sitePtr(id));
    store<u32>(lit, load<u32>(e + PE_OPS_LO));
    store<u32>(lit + 4, load<u32>(e + PE_OPS_HI));
    store<u8>(e + PE_DONE, 1);
    return 1;
  }
  store<u32>(arena() + siteArenaOff(id), load<u32>(e + PE_NEW0));
  store<u8>(e + PE_DONE, 2);
  if (c + 1 >= n) pokeClear();
  else scalarSet(S_POKE_CURSOR, c + 1);
  return 2;
}

/**
 * Performs the next step of the queued batch. @returns the step performed (x86 1..6, arm64 1
 * literal / 2 instruction), or 0 when nothing is queued.
 */
export function site_poke_step(): u32 {
  if (!kallsymsReady()) return 0;
  const n = scalarGet(S_POKE_N);
  if (n == 0) return 0;
  return isArm64() ? stepArm64(n) : stepX86(scalarGet(S_POKE_PHASE), n);
}

/** Runs every remaining step (text_poke_finish). @returns the number of steps run. */
export function site_poke_finish(): u32 {
  let k: u32 = 0;
  while (site_poke_step() != 0) k++;
  return k;
}

/**
 * Drops a batch none of whose steps has run (x86 ftrace_replace_code verifies every record before
 * it queues any: a mismatch found while queueing must leave no site poked). @returns the number
 * of sites dropped, or -EBUSY once a step has run (a started batch can only be finished).
 */
export function site_poke_abort(): i32 {
  if (!kallsymsReady()) return 0;
  if (scalarGet(S_POKE_PHASE) != 0) return -EBUSY;
  const n = scalarGet(S_POKE_N);
  pokeClear();
  return <i32>n;
}

/** Number of sites in the pending batch. */
export function site_poke_count(): u32 {
  return kallsymsReady() ? scalarGet(S_POKE_N) : 0;
}

/** Steps of the pending batch done so far (x86: the last step; arm64: 0 before, else 1). */
export function site_poke_phase(): u32 {
  return kallsymsReady() ? scalarGet(S_POKE_PHASE) : 0;
}

// ---- execution and queries ---------------------------------------------------------------------

function execX86(id: u32): u32 {
  const p = arena() + siteArenaOff(id);
  const b = load<u8>(p);
  if (b == X86_CALL) return siteAddrOf(id) + 5 + <u32>load<i32>(p + 1);
  if (load<u32>(p) == X86_NOP5_LO && load<u8>(p + 4) == X86_NOP5_B4) return 0;
  if (b == X86_INT3) {
    // poke_int3_handler: a site of the published vector runs the emulated new instruction
    // (CALL: push site+5, jump to the target; NOP5 is emulated as JMP32 +0).
    const slot = siteSlot(id);
    if (slot != 0 && scalarGet(S_POKE_PHASE) != 0) {
      return load<u32>(pokeEntry(slot - 1) + PE_TARGET);
    }
  }
  return SITE_EXEC_BAD;
}

function execArm64(id: u32): u32 {
  const insn = load<u32>(arena() + siteArenaOff(id));
  if (insn == A64_NOP) return 0;
  if ((insn & A64_BL_MASK) == A64_BL) return blTarget(siteAddrOf(id), insn);
  return SITE_EXEC_BAD;
}

/**
 * What a CPU executing function `id`'s site does right now: the address token the call goes to
 * (trampoline, ftrace_caller, ftrace_regs_caller, a module PLT; __fentry__ before ftrace init on
 * x86), 0 when it falls through (NOP5 / NOP), or SITE_EXEC_BAD (1) for an unknown function or
 * bytes no CPU would run as an entry. O(1): one decode of the site's bytes.
 */
export function site_exec(id: u32): u32 {
  if (!funcLive(id)) return SITE_EXEC_BAD;
  return isArm64() ? execArm64(id) : execX86(id);
}

/** As site_exec, but a module PLT is followed to where it jumps (decoded from its bytes). */
export function site_exec_final(id: u32): u32 {
  const t = site_exec(id);
  if (t <= SITE_EXEC_BAD || !isArm64()) return t;
  const plt = funcPlt(id);
  if (plt == 0 || t != plt) return t;
  const d = pltResolve(plt);
  return d != 0 ? d : SITE_EXEC_BAD;
}

/** arm64 CALL_OPS: low word of the literal ftrace_caller would load for this site; 0 otherwise. */
export function site_ops(id: u32): u32 {
  if (!funcLive(id) || !isArm64() || (textFlags() & TEXT_ARM64_CALL_OPS) == 0) return 0;
  return load<u32>(arena() + <usize>load<u32>(sitePtr(id)));
}

/** rec->ip of function `id` (x86: the call/NOP5; arm64: the NOP that becomes BL), or 0. */
export function site_addr(id: u32): u32 {
  return funcLive(id) ? siteAddrOf(id) : 0;
}

/** Whether the site is in the pending batch: 1 or 0, or -ENOENT. */
export function site_queued(id: u32): i32 {
  if (!funcLive(id)) return -ENOENT;
  return siteSlot(id) != 0 ? 1 : 0;
}

function stateX86(id: u32): i32 {
  const p = arena() + siteArenaOff(id);
  const b = load<u8>(p);
  if (b == X86_CALL) {
    const t = siteAddrOf(id) + 5 + <u32>load<i32>(p + 1);
    if (t == symbolAddr(SYM_FENTRY)) return SITE_BUILD;
    return x86TargetValid(t) ? SITE_CALL : SITE_BAD;
  }
  if (load<u32>(p) == X86_NOP5_LO && load<u8>(p + 4) == X86_NOP5_B4) return SITE_NOP;
  if (b == X86_INT3 && siteSlot(id) != 0 && scalarGet(S_POKE_PHASE) != 0) return SITE_POKING;
  return SITE_BAD;
}

function stateArm64(id: u32): i32 {
  const ip = arena() + siteArenaOff(id);
  const slot = siteSlot(id);
  if (slot != 0 && load<u8>(pokeEntry(slot - 1) + PE_DONE) == 1) return SITE_POKING;
  const first = load<u32>(ip - 4);
  const insn = load<u32>(ip);
  if (first == A64_NOP && insn == A64_NOP) return SITE_BUILD;
  // ftrace writes rec->ip - 4 once (ftrace_init_nop) and never reads it again; after that a
  // kprobe's BRK may stand there (it keeps the mov to step out of line), which leaves the site as
  // ftrace sees it.
  if (first != A64_MOV_X9_LR && first != A64_BRK_KPROBES) return SITE_BAD;
  if (insn == A64_NOP) return SITE_NOP;
  if ((insn & A64_BL_MASK) == A64_BL) return SITE_CALL;
  return SITE_BAD;
}

/** The site's state (SITE_*), decoded from its bytes, or -ENOENT. */
export function site_state(id: u32): i32 {
  if (!funcLive(id)) return -ENOENT;
  return isArm64() ? stateArm64(id) : stateX86(id);
}

/** After a verification failure (-EINVAL from site_queue / text_ftrace_init): function id + 1. */
export function site_bug_func(): u32 {
  return kallsymsReady() ? scalarGet(S_BUG_FUNC) : 0;
}

/** Length of the expected bytes recorded with the failure (ftrace_expected). */
export function site_bug_len(): u32 {
  return kallsymsReady() ? scalarGet(S_BUG_LEN) : 0;
}

/** Word `i` (0 or 1) of the expected bytes, little endian. */
export function site_bug_expected(i: u32): u32 {
  if (!kallsymsReady() || i > 1) return 0;
  return scalarGet(i == 0 ? S_BUG_EXP0 : S_BUG_EXP1);
}
