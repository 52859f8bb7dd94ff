import { describe, expect, it } from "vitest";
import {
  type Core,
  EBUSY,
  EFAULT,
  EINVAL,
  SITE_EXEC_BAD,
  SiteKind,
  SiteState,
  TextFlags,
  TextSymbol,
  hexBytes,
  VMLINUX,
} from "../bindings/index.ts";
import { loadCore } from "./loadCore.ts";

function hex(b: Uint8Array | number): string {
  if (typeof b === "number") throw new Error(`errno ${b}`);
  return hexBytes(b);
}

/** An instruction word as its little-endian bytes. */
function le(word: number): string {
  return hex(new Uint8Array(new Uint32Array([word >>> 0]).buffer));
}

const NOP = le(0xd503201f);
const MOV_X9_LR = le(0xaa1e03e9);
const BTI_C = le(0xd503245f);

/** Independent adrp encoder for the PLT check: adrp x16, page of dst, at pc (low words, same hi). */
function adrpX16(pc: number, dst: number): number {
  const pages = (Math.floor(dst / 4096) - Math.floor(pc / 4096)) & 0x1fffff;
  return (0x90000000 | ((pages & 3) << 29) | ((pages >>> 2) << 5) | 16) >>> 0;
}

/** vmlinux laid out so that function `f`'s rec->ip is 0xffff800080123454, as in the spec. */
function arm64AtSpecSite(core: Core): number {
  for (let i = 0; i < 20 + 269; i++) core.text.addFunction(VMLINUX, 4096);
  core.text.addFunction(VMLINUX, 0x450);
  const f = core.text.addFunction(VMLINUX, 64);
  expect(core.text.hexAddress(core.text.siteAddr(f))).toBe("ffff800080123454");
  return f;
}

async function booted(flags: number): Promise<{ core: Core; f: number; caller: number }> {
  const core = await loadCore();
  expect(core.text.init("arm64", flags)).toBe(0);
  const f = core.text.addFunction(VMLINUX, 64);
  expect(core.text.ftraceInit(VMLINUX)).toBe(1);
  return { core, f, caller: core.text.symbol(TextSymbol.ftraceCaller) };
}

describe("arm64 encodings", () => {
  it("encodes the spec's worked example and refuses out-of-range branches", async () => {
    const core = await loadCore();
    expect(core.text.encodeArm64Bl(0x80123454, 0x80015000)).toBe(0x97fbc6eb);
    expect(core.text.encodeArm64Bl(0x80015000, 0x80123454)).toBe(0x94043915);
    expect(core.text.encodeArm64Bl(0x80000000, 0x88000000)).toBe(-34);
    expect(core.text.encodeArm64Bl(0x80000000, 0x87fffffc)).toBe(0x95ffffff);
    expect(core.text.encodeArm64Bl(0x80000000, 0x78000000)).toBe(0x96000000);
    expect(core.text.encodeArm64Bl(0x80000000, 0x80000002)).toBe(-34);
  });

  it("places ftrace_caller at the spec's address and patches bl ftrace_caller there", async () => {
    const core = await loadCore();
    core.text.init("arm64");
    expect(core.text.hexAddress(core.text.symbol(TextSymbol.ftraceCaller))).toBe(
      "ffff800080015000",
    );
    expect(core.text.symbol(TextSymbol.fentry)).toBe(0);
    const f = arm64AtSpecSite(core);
    expect(hex(core.text.entryBytes(f))).toBe(`${NOP} ${NOP}`);
    expect(core.text.siteState(f)).toBe(SiteState.build);
    core.text.ftraceInit(VMLINUX);
    expect(hex(core.text.entryBytes(f))).toBe(`${MOV_X9_LR} ${NOP}`);
    expect(core.text.queue(f, SiteKind.makeCall, 0x80015000)).toBe(0);
    expect(core.text.pokeStep()).toBe(2);
    expect(hex(core.text.siteBytes(f))).toBe("eb c6 fb 97");
    expect(core.text.exec(f)).toBe(0x80015000);
    expect(core.text.pokeStep()).toBe(0);
    // No per-site literal, no ftrace_modify_call without CALL_OPS.
    expect(core.text.queue(f, SiteKind.modifyCall, 0x80015000)).toBe(-EINVAL);
    expect(core.text.siteOps(f)).toBe(0);
  });

  it("lays out the body after the patchable NOPs (and bti c with BTI)", async () => {
    const core = await loadCore();
    core.text.init("arm64", TextFlags.arm64Bti);
    const f = core.text.addFunction(VMLINUX, 32);
    const words = [0xd503245f, 0xd503201f, 0xd503201f, 0xa9bf7bfd, 0x910003fd, 0xd503201f];
    expect(hex(core.text.bytes(core.text.funcAddr(f), 32))).toBe(
      [...words, 0xa8c17bfd, 0xd65f03c0].map(le).join(" "),
    );
    expect(core.text.siteAddr(f)).toBe(core.text.funcAddr(f) + 8);
    core.text.ftraceInit(VMLINUX);
    expect(hex(core.text.entryBytes(f))).toBe(`${BTI_C} ${MOV_X9_LR} ${NOP}`);
    expect(core.text.addFunction(VMLINUX, 12)).toBe(-EINVAL);
    expect(core.text.addFunction(VMLINUX, 16)).toBeGreaterThan(0);
  });
});

describe("arm64 CALL_OPS", () => {
  const flags = TextFlags.arm64CallOps;

  it("sets the literal to &ftrace_nop_ops at ftrace init", async () => {
    const { core, f } = await booted(flags);
    const nopOps = core.text.symbol(TextSymbol.ftraceNopOps);
    expect(core.text.hexAddress(nopOps)).toBe("ffff800084010000");
    expect(core.text.funcAddr(f) % 8).toBe(0);
    expect(hex(core.text.entryBytes(f))).toBe(`00 00 01 84 00 80 ff ff ${MOV_X9_LR} ${NOP}`);
    expect(core.text.siteOps(f)).toBe(nopOps);
  });

  it("stores the literal before the bl, and &ftrace_nop_ops before the NOP", async () => {
    const { core, f, caller } = await booted(flags);
    const lit = () => hex(core.text.entryBytes(f)).slice(0, 23);
    expect(core.text.queue(f, SiteKind.makeCall, caller, 0x12345678)).toBe(0);
    expect(core.text.pokeStep()).toBe(1);
    expect(lit()).toBe("78 56 34 12 00 00 ff ff");
    expect(core.text.siteOps(f)).toBe(0x12345678);
    expect(core.text.siteState(f)).toBe(SiteState.poking);
    expect(core.text.exec(f)).toBe(0);
    expect(core.text.queue(f, SiteKind.makeNop, 0)).toBe(-EBUSY);
    expect(core.text.pokeStep()).toBe(2);
    expect(hex(core.text.siteBytes(f))).toBe(
      le(core.text.encodeArm64Bl(core.text.siteAddr(f), caller)),
    );
    expect(core.text.exec(f)).toBe(caller);
    expect(core.text.siteState(f)).toBe(SiteState.call);
    expect(core.text.pokeStep()).toBe(0);
    // ftrace_make_nop: the literal goes back to &ftrace_nop_ops first, then the bl becomes a NOP.
    expect(core.text.queue(f, SiteKind.makeNop, 0)).toBe(0);
    expect(core.text.pokeStep()).toBe(1);
    expect(lit()).toBe("00 00 01 84 00 80 ff ff");
    expect(core.text.exec(f)).toBe(caller);
    expect(core.text.pokeStep()).toBe(2);
    expect(core.text.exec(f)).toBe(0);
    expect(core.text.siteState(f)).toBe(SiteState.nop);
  });

  it("keeps the literal 8-byte aligned before bti c (ALIGN_DOWN(rec->ip - 12, 8))", async () => {
    const { core, f, caller } = await booted(flags | TextFlags.arm64Bti);
    const addr = core.text.funcAddr(f);
    expect(core.text.siteAddr(f)).toBe(addr + 8);
    expect(hex(core.text.entryBytes(f))).toBe(
      `00 00 01 84 00 80 ff ff ${BTI_C} ${MOV_X9_LR} ${NOP}`,
    );
    expect(hex(core.text.bytes(addr - 8, 8))).toBe("00 00 01 84 00 80 ff ff");
    core.text.queue(f, SiteKind.makeCall, caller, 0xabcdef00);
    core.text.pokeFinish();
    expect(hex(core.text.bytes(((core.text.siteAddr(f) - 12) & ~7) >>> 0, 8))).toBe(
      "00 ef cd ab 00 00 ff ff",
    );
  });

  it("modifies the call by storing ftrace_list_ops and the same bl", async () => {
    const { core, f, caller } = await booted(flags);
    core.text.queue(f, SiteKind.makeCall, caller, 0x12345678);
    core.text.pokeFinish();
    const bl = hex(core.text.siteBytes(f));
    expect(core.text.queue(f, SiteKind.modifyCall, caller)).toBe(0);
    expect(core.text.pokeFinish()).toBe(2);
    expect(core.text.siteOps(f)).toBe(core.text.symbol(TextSymbol.ftraceListOps));
    expect(hex(core.text.siteBytes(f))).toBe(bl);
  });

  it("runs sites of a batch one after another, literal then instruction", async () => {
    const core = await loadCore();
    core.text.init("arm64", flags);
    const ids = [0, 1, 2].map(() => core.text.addFunction(VMLINUX, 32));
    core.text.ftraceInit(VMLINUX);
    for (const id of ids) core.text.queue(id, SiteKind.makeCall, 0, 0x1000 + id);
    const seq: string[] = [];
    for (let s = core.text.pokeStep(); s !== 0; s = core.text.pokeStep()) {
      seq.push(
        `${s}:${ids.map((id) => `${core.text.siteOps(id).toString(16)}/${core.text.exec(id) ? "bl" : "nop"}`).join(",")}`,
      );
    }
    expect(seq).toEqual([
      "1:1000/nop,84010000/nop,84010000/nop",
      "2:1000/bl,84010000/nop,84010000/nop",
      "1:1000/bl,1001/nop,84010000/nop",
      "2:1000/bl,1001/bl,84010000/nop",
      "1:1000/bl,1001/bl,1002/nop",
      "2:1000/bl,1001/bl,1002/bl",
    ]);
  });
});

describe("arm64 module PLTs", () => {
  it("branches far module sites to the module's ftrace PLT, which jumps to ftrace_caller", async () => {
    const core = await loadCore();
    core.text.init("arm64", TextFlags.arm64CallOps | TextFlags.arm64ModulesFar);
    const mod = core.text.addObject();
    const g = core.text.addFunction(mod, 64);
    const plt = 0x00400000;
    expect(core.text.hexAddress(core.text.funcAddr(g))).toBe("ffff800000400018");
    expect(hex(core.text.bytes(plt, 12))).toBe(
      [adrpX16(plt, 0x80015000), 0x91000210, 0xd61f0200].map(le).join(" "),
    );
    expect(adrpX16(plt, 0x80015000)).toBe(0xb03fe0b0);
    expect(core.text.pltResolve(plt)).toBe(0x80015000);
    expect(core.text.ftraceInit(mod)).toBe(1);
    expect(core.text.queue(g, SiteKind.makeCall, 0x80015000, 0x777)).toBe(0);
    core.text.pokeFinish();
    expect(core.text.exec(g)).toBe(plt);
    expect(core.text.execFinal(g)).toBe(0x80015000);
    expect(hex(core.text.siteBytes(g))).toBe(
      le(core.text.encodeArm64Bl(core.text.siteAddr(g), plt)),
    );
    expect(core.text.queue(g, SiteKind.makeNop, 0)).toBe(0);
    core.text.pokeFinish();
    expect(core.text.exec(g)).toBe(0);
  });

  it("keeps near modules in direct range and falls back to far windows when they are full", async () => {
    const core = await loadCore();
    core.text.init("arm64");
    const mods = Array.from({ length: 17 }, () => core.text.addObject());
    const fns = mods.map((m) => core.text.addFunction(m, 16));
    for (const m of mods) core.text.ftraceInit(m);
    expect(core.text.funcAddr(fns[0]!).toString(16)).toBe("7c000010");
    expect(core.text.funcAddr(fns[16]!).toString(16)).toBe("400010");
    for (const f of fns) expect(core.text.queue(f, SiteKind.makeCall, 0)).toBe(0);
    core.text.pokeFinish();
    expect(core.text.exec(fns[15]!)).toBe(0x80015000);
    expect(core.text.exec(fns[16]!)).toBe(0x00400000);
    expect(fns.every((f) => core.text.execFinal(f) === 0x80015000)).toBe(true);
  });
});

describe("arm64 bad input", () => {
  it("refuses other targets, wrong old instructions and trampolines, and decodes garbage as bad", async () => {
    const { core, f, caller } = await booted(TextFlags.arm64CallOps);
    expect(core.text.trampAlloc()).toBe(-EINVAL);
    expect(core.text.queue(f, SiteKind.makeCall, caller + 4)).toBe(-EINVAL);
    expect(core.text.queue(f, SiteKind.makeNop, 0)).toBe(-EINVAL);
    const bug = core.text.lastMismatch();
    expect(bug && [hex(bug.expected), hex(bug.actual)]).toEqual([
      le(core.text.encodeArm64Bl(core.text.siteAddr(f), caller)),
      NOP,
    ]);
    expect(core.text.pokeCount()).toBe(0);
    core.text.writeByte(core.text.siteAddr(f) + 3, 0x00);
    expect(core.text.siteState(f)).toBe(SiteState.bad);
    expect(core.text.exec(f)).toBe(SITE_EXEC_BAD);
    expect(core.text.queue(f, SiteKind.makeCall, caller)).toBe(-EINVAL);
    expect(core.text.pltResolve(0x80015000)).toBe(0);
    expect(core.text.bytes(0x80015000, 4)).toBe(-EFAULT);
  });
});

describe("arm64 kprobe BRK (text_patch_insn)", () => {
  // BRK #imm16 = 0xd4200000 | imm16 << 5; a kprobe's immediate is 4 (brk-imm.h KPROBES_BRK_IMM).
  const BRK = 0xd4200000 | (4 << 5);

  it("writes over func+0, leaves the site's state to rec->ip, and restores the saved word", async () => {
    const { core, f, caller } = await booted(TextFlags.arm64CallOps);
    const at = core.text.funcAddr(f);
    expect(hex(core.text.bytes(at, 4))).toBe(MOV_X9_LR);
    expect(core.text.patchInsn(at, BRK)).toBe(0);
    expect(hex(core.text.bytes(at, 4))).toBe(le(BRK));
    expect(core.text.siteState(f)).toBe(SiteState.nop);
    // ftrace moves rec->ip under the BRK; func+0 is not touched.
    expect(core.text.queue(f, SiteKind.makeCall, caller)).toBe(0);
    core.text.pokeFinish();
    expect(core.text.siteState(f)).toBe(SiteState.call);
    expect(core.text.exec(f)).toBe(caller);
    expect(hex(core.text.bytes(at, 4))).toBe(le(BRK));
    expect(core.text.patchInsn(at, 0xaa1e03e9)).toBe(0);
    expect(hex(core.text.bytes(at, 4))).toBe(MOV_X9_LR);
    expect(core.text.siteState(f)).toBe(SiteState.call);
  });

  it("refuses misaligned addresses, the literal, non-text, a queued site and x86", async () => {
    const { core, f, caller } = await booted(TextFlags.arm64CallOps);
    const at = core.text.funcAddr(f);
    expect(core.text.patchInsn(at + 2, BRK)).toBe(-EINVAL);
    expect(core.text.patchInsn(at - 8, BRK)).toBe(-EFAULT);
    expect(core.text.patchInsn(0x10, BRK)).toBe(-EFAULT);
    expect(core.text.queue(f, SiteKind.makeCall, caller)).toBe(0);
    expect(core.text.patchInsn(core.text.siteAddr(f), BRK)).toBe(-EBUSY);
    core.text.pokeFinish();
    const x86 = await loadCore();
    expect(x86.text.init("x86_64")).toBe(0);
    const g = x86.text.addFunction(VMLINUX, 64);
    expect(x86.text.patchInsn(x86.text.funcAddr(g), BRK)).toBe(-EINVAL);
  });
});
