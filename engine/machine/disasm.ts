// disasm.ts: a disassembler for exactly the instructions a function entry holds in the emulated
// kernel text (docs/kernel-semantics.md §6), so the entry-site view can show what the CPU sees:
//   x86-64  endbr64 (f3 0f 1e fa), call rel32 (e8; __fentry__ before ftrace init, the ops
//           trampoline when one ops covers the site, ftrace_caller when several), jmp rel32 (e9), the 5-byte NOP (0f 1f 44 00 00), and an
//           int3 (cc) over the first byte while text_poke_bp rewrites the other four
//   arm64   nop (d503201f), bti c (d503245f), mov x9, x30 (aa1e03e9), bl imm26, and the 64-bit
//           CALL_OPS literal in the two words before the function (the one ops, or
//           ftrace_list_ops when several, or ftrace_nop_ops), and brk #imm16 (a kprobe's
//           `brk #0x4` over the function's first instruction)
// Anything else is shown as raw data. Addresses are the core's 32-bit tokens (the low half of the
// kernel address; the high half is the same for all text), so relative branches wrap mod 2^32.
import type { Arch } from "../../core-wasm/bindings/text.ts";

export type InsnKind =
  "endbr64" | "bti" | "nop" | "call" | "jmp" | "int3" | "mov" | "bl" | "brk" | "literal" | "data";

export interface Insn {
  /** Offset from the start of the decoded bytes. */
  offset: number;
  /** Address token (low 32 bits of the kernel address). */
  addr: number;
  /** The instruction's bytes in memory order, as "e8 9b ca dc 1e". */
  bytes: string;
  kind: InsnKind;
  /** AT&T syntax on x86-64 (as objdump), the Arm syntax on arm64. */
  text: string;
  /** Branch target or literal value token (call, jmp, bl, literal). */
  target?: number;
  /** Its symbol, when the symbolizer knows it. */
  targetName?: string;
}

/** Names an address token: "ftrace_caller", "cmdline_proc_show+0x4", or null. */
export type Symbolizer = (token: number) => string | null;

const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

const NOP5 = [0x0f, 0x1f, 0x44, 0x00, 0x00];
const ENDBR64 = [0xf3, 0x0f, 0x1e, 0xfa];

function startsWith(b: Uint8Array, at: number, seq: readonly number[]): boolean {
  return seq.every((x, i) => b[at + i] === x);
}

function rel32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset + at, 4).getInt32(0, true);
}

function branch(kind: "call" | "jmp" | "bl", target: number, sym: Symbolizer): Partial<Insn> {
  const name = sym(target);
  const where = name ? `<${name}>` : `0x${target.toString(16)}`;
  return { kind, target, ...(name ? { targetName: name } : {}), text: `${kind} ${where}` };
}

/** Decodes x86-64 entry bytes starting at address token `addr`. */
export function disasmX86(b: Uint8Array, addr: number, sym: Symbolizer): Insn[] {
  const out: Insn[] = [];
  let i = 0;
  const push = (len: number, rest: Partial<Insn> & { kind: InsnKind; text: string }) => {
    out.push({ offset: i, addr: (addr + i) >>> 0, bytes: hex(b.subarray(i, i + len)), ...rest });
    i += len;
  };
  while (i < b.length) {
    const left = b.length - i;
    if (left >= 4 && startsWith(b, i, ENDBR64)) push(4, { kind: "endbr64", text: "endbr64" });
    else if (left >= 5 && startsWith(b, i, NOP5))
      push(5, { kind: "nop", text: "nopl 0x0(%rax,%rax,1)" });
    else if (left >= 5 && (b[i] === 0xe8 || b[i] === 0xe9)) {
      const target = (addr + i + 5 + rel32(b, i + 1)) >>> 0;
      const kind = b[i] === 0xe8 ? "call" : "jmp";
      push(5, branch(kind, target, sym) as Insn);
    } else if (b[i] === 0xcc && left >= 5) {
      // text_poke_bp: the first byte is a breakpoint while bytes 1..4 are (being) rewritten; a
      // CPU that gets here traps and the int3 handler emulates the new instruction.
      const tail = hex(b.subarray(i + 1, i + 5));
      push(5, { kind: "int3", text: `int3 (poke in progress; bytes 1-4: ${tail})` });
    } else if (b[i] === 0xcc) push(1, { kind: "int3", text: "int3" });
    else push(1, { kind: "data", text: `.byte 0x${b[i]!.toString(16).padStart(2, "0")}` });
  }
  return out;
}

const A64_NOP = 0xd503201f;
const A64_BTI_C = 0xd503245f;
const A64_MOV_X9_X30 = 0xaa1e03e9;
/**
 * BRK #imm16 is 0xd4200000 | imm16 << 5 (objdump: "brk #0x4"). A kprobe writes
 * BRK64_OPCODE_KPROBES, KPROBES_BRK_IMM 0x004 (arch/arm64/include/asm/brk-imm.h@0604aa87b098740f2e517a584552591cbf2209d7;
 * arch/arm64/kernel/probes/kprobes.c@031616c434db05ce766f76c62865f55698e0924f arch_arm_kprobe).
 */
const A64_BRK = 0xd4200000;
const A64_BRK_MASK = 0xffe0001f;
export const A64_BRK_KPROBES = (A64_BRK | (0x004 << 5)) >>> 0;

/** Decodes arm64 entry words starting at `addr`; `literalWords` leading words are CALL_OPS data. */
export function disasmArm64(
  b: Uint8Array,
  addr: number,
  sym: Symbolizer,
  literalWords = 0,
): Insn[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Insn[] = [];
  const at = (off: number, len: number) => ({
    offset: off,
    addr: (addr + off) >>> 0,
    bytes: hex(b.subarray(off, off + len)),
  });
  let off = 0;
  if (literalWords === 2 && b.length >= 8) {
    // The ops pointer ftrace_caller loads: little-endian, low word first.
    const lo = dv.getUint32(0, true);
    const hi = dv.getUint32(4, true);
    const name = sym(lo);
    const full = `0x${hi.toString(16).padStart(8, "0")}${lo.toString(16).padStart(8, "0")}`;
    out.push({
      ...at(0, 8),
      kind: "literal",
      text: `.quad ${full}${name ? ` // ${name}` : ""}`,
      target: lo,
      ...(name ? { targetName: name } : {}),
    });
    off = 8;
  }
  for (; off + 4 <= b.length; off += 4) {
    const w = dv.getUint32(off, true);
    const base = at(off, 4);
    if (w === A64_NOP) out.push({ ...base, kind: "nop", text: "nop" });
    else if (w === A64_BTI_C) out.push({ ...base, kind: "bti", text: "bti c" });
    else if (w === A64_MOV_X9_X30) out.push({ ...base, kind: "mov", text: "mov x9, x30" });
    else if ((w & A64_BRK_MASK) >>> 0 === A64_BRK) {
      const imm = (w >>> 5) & 0xffff;
      out.push({ ...base, kind: "brk", text: `brk #0x${imm.toString(16)}` });
    } else if (w >>> 26 === 0x25) {
      const imm = (w << 6) >> 6; // sign-extend imm26
      const target = (base.addr + imm * 4) >>> 0;
      out.push({ ...base, ...(branch("bl", target, sym) as Insn), ...base });
    } else out.push({ ...base, kind: "data", text: `.inst 0x${w.toString(16).padStart(8, "0")}` });
  }
  return out;
}

/** Decodes entry bytes for `arch`. */
export function disasm(
  arch: Arch,
  b: Uint8Array,
  addr: number,
  sym: Symbolizer,
  literalWords = 0,
): Insn[] {
  return arch === "x86_64" ? disasmX86(b, addr, sym) : disasmArm64(b, addr, sym, literalWords);
}
