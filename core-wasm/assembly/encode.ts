// encode.ts: pure instruction encoders and decoders for the entry sites (no state).
//
// Addresses are full 64-bit kernel addresses (u64); the arithmetic is done in 64 bits so that a
// displacement that does not fit is detected instead of silently wrapping.

/** x86-64 opcodes and the 5-byte NOP that ftrace uses (x86_nops[5], `nopl 0x0(%rax,%rax,1)`). */
export const X86_CALL: u8 = 0xe8;
export const X86_INT3: u8 = 0xcc;
/** Bytes 0..3 of NOP5 (0f 1f 44 00) as a little-endian word; byte 4 is 00. */
export const X86_NOP5_LO: u32 = 0x00441f0f;
export const X86_NOP5_B4: u8 = 0x00;
/** endbr64, f3 0f 1e fa (CONFIG_X86_KERNEL_IBT), as a little-endian word. */
export const X86_ENDBR64: u32 = 0xfa1e0ff3;
export const X86_CALL_LEN: u32 = 5;

/** arm64 instruction words. */
export const A64_NOP: u32 = 0xd503201f;
export const A64_BTI_C: u32 = 0xd503245f;
/** mov x9, x30 (orr x9, xzr, x30): ftrace_init_nop's replacement of the first patchable NOP. */
export const A64_MOV_X9_LR: u32 = 0xaa1e03e9;
export const A64_BL: u32 = 0x94000000;
export const A64_BL_MASK: u32 = 0xfc000000;
/** br x16, the last instruction of a module PLT entry (get_plt_entry). */
export const A64_BR_X16: u32 = 0xd61f0200;
export const A64_RET: u32 = 0xd65f03c0;
/**
 * brk #0x4: BRK64_OPCODE_KPROBES, the BRK a kprobe puts over the probed instruction
 * (arch/arm64/kernel/probes/kprobes.c@031616c434db05ce766f76c62865f55698e0924f arch_arm_kprobe),
 * immediate KPROBES_BRK_IMM 0x004 (arch/arm64/include/asm/brk-imm.h@0604aa87b098740f2e517a584552591cbf2209d7);
 * BRK #imm16 is 0xd4200000 | imm16 << 5.
 */
export const A64_BRK_KPROBES: u32 = 0xd4200080;

/**
 * rel32 of `call target` at `site` (ftrace_call_replace / text_gen_insn): target - (site + 5).
 * Check with rel32Fits before using the low 32 bits.
 */
export function x86Rel32(site: u64, target: u64): i64 {
  return <i64>(target - (site + <u64>X86_CALL_LEN));
}

export function rel32Fits(rel: i64): bool {
  return rel >= -0x80000000 && rel <= 0x7fffffff;
}

/** Offset of a BL from `pc` to `target`, in bytes (may be out of range; see blReachable). */
// @ts-ignore: decorator
@inline function blOffset(pc: u64, target: u64): i64 {
  return <i64>(target - pc);
}

/** Whether `bl target` at `pc` encodes: aligned, within [-128 MiB, +128 MiB) (reachable_by_bl). */
export function blReachable(pc: u64, target: u64): bool {
  const off = blOffset(pc, target);
  return (off & 3) == 0 && off >= -(<i64>128 << 20) && off < <i64>128 << 20;
}

/** `bl target` at `pc` (aarch64_insn_gen_branch_imm, BRANCH_LINK). Caller checks blReachable. */
export function blEncode(pc: u64, target: u64): u32 {
  return A64_BL | (<u32>(blOffset(pc, target) >> 2) & 0x03ffffff);
}

/** Low 32 bits of the destination of the BL `insn` at `pc`. */
export function blTarget(pc: u32, insn: u32): u32 {
  const imm = (<i32>(insn << 6)) >> 6; // sign-extend imm26
  return pc + (<u32>imm << 2);
}

/** adrp x<rd>, dst at pc (aarch64_insn_gen_adr, ADR_TYPE_ADRP): the 4 KiB page delta, +-4 GiB. */
export function adrpEncode(pc: u64, dst: u64, rd: u32): u32 {
  const pages = <i64>((dst >> 12) - (pc >> 12));
  const imm = <u32>pages & 0x1fffff;
  return 0x90000000 | ((imm & 3) << 29) | ((imm >> 2) << 5) | rd;
}

export function adrpReachable(pc: u64, dst: u64): bool {
  const pages = <i64>((dst >> 12) - (pc >> 12));
  return pages >= -(1 << 20) && pages < 1 << 20;
}

/** add x<rd>, x<rn>, #imm12 (64-bit, no shift; aarch64_insn_gen_add_sub_imm). */
export function addImmEncode(rd: u32, rn: u32, imm12: u32): u32 {
  return 0x91000000 | ((imm12 & 0xfff) << 10) | (rn << 5) | rd;
}

/** Low 32 bits of where `adrp x16; add x16, x16, #lo12; br x16` at `pc` jumps; 0 if not that. */
export function pltDestination(pc: u32, adrp: u32, add: u32, br: u32): u32 {
  if ((adrp & 0x9f00001f) != 0x90000010 || (add & 0xffc003ff) != 0x91000210 || br != A64_BR_X16) {
    return 0;
  }
  const imm = ((adrp >> 3) & 0x1ffffc) | ((adrp >> 29) & 3);
  const pages = (<i32>(imm << 11)) >> 11; // sign-extend imm21
  return (pc & ~(<u32>0xfff)) + (<u32>pages << 12) + ((add >> 10) & 0xfff);
}
