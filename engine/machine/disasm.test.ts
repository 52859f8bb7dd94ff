// disasm.test.ts: the spec's example encodings (docs/kernel-semantics.md §6) decode to what they
// are: x86-64 endbr64, NOP5 and call rel32; arm64 bti c, mov x9, x30, bl imm26, the literal and
// brk #imm16 (a kprobe's brk #0x4).
import { describe, expect, it } from "vitest";
import { disasmArm64, disasmX86 } from "./disasm.ts";

const bytes = (s: string) => Uint8Array.from(s.split(" "), (x) => parseInt(x, 16));
const names = new Map([
  [0x81e03c40, "__fentry__"],
  [0x80015000, "ftrace_caller"],
]);
const sym = (t: number) => names.get(t) ?? null;

describe("x86-64", () => {
  it("call __fentry__ after endbr64, as the compiler emits it", () => {
    // Site 0xffffffff81234560, __fentry__ at 0xffffffff81e03c40 → e8 db f6 bc 00.
    const insns = disasmX86(bytes("f3 0f 1e fa e8 db f6 bc 00"), 0x81234560 - 4, sym);
    expect(insns.map((i) => [i.offset, i.text])).toEqual([
      [0, "endbr64"],
      [4, "call <__fentry__>"],
    ]);
    expect(insns[1]!.target).toBe(0x81e03c40);
  });

  it("NOP5, a backwards jmp and a breakpoint mid-poke", () => {
    const insns = disasmX86(bytes("0f 1f 44 00 00 e9 f6 ff ff ff cc 9b ca dc 1e"), 0x1000, sym);
    expect(insns.map((i) => i.text)).toEqual([
      "nopl 0x0(%rax,%rax,1)",
      "jmp 0x1000",
      "int3 (poke in progress; bytes 1-4: 9b ca dc 1e)",
    ]);
  });
});

describe("arm64", () => {
  it("bl with a negative offset: pc 0xffff800080123454 → ftrace_caller is 97fbc6eb", () => {
    const insns = disasmArm64(bytes("5f 24 03 d5 e9 03 1e aa eb c6 fb 97"), 0x8012344c, sym);
    expect(insns.map((i) => i.text)).toEqual(["bti c", "mov x9, x30", "bl <ftrace_caller>"]);
    expect(insns[2]!.addr).toBe(0x80123454);
  });

  it("the CALL_OPS literal is one 64-bit value, low word first", () => {
    const insns = disasmArm64(bytes("00 00 01 84 00 80 ff ff 1f 20 03 d5"), 0x2000, sym, 2);
    expect(insns.map((i) => [i.kind, i.text])).toEqual([
      ["literal", ".quad 0xffff800084010000"],
      ["nop", "nop"],
    ]);
  });

  it("brk #imm16 as objdump prints it: a kprobe's brk #0x4 (d4200080), and others by immediate", () => {
    // 0xd4200000 | imm16 << 5: #0x4 is KPROBES_BRK_IMM, #0x800 the BUG()/WARN() trap.
    const insns = disasmArm64(bytes("80 00 20 d4 00 00 21 d4 1f 20 03 d5"), 0x3000, sym);
    expect(insns.map((i) => [i.kind, i.text])).toEqual([
      ["brk", "brk #0x4"],
      ["brk", "brk #0x800"],
      ["nop", "nop"],
    ]);
  });
});
