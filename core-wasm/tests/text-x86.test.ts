import { describe, expect, it } from "vitest";
import {
  type Core,
  EBUSY,
  EINVAL,
  ENOENT,
  ENOSPC,
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

/** Lays out vmlinux so that function `f` starts at 0xffffffff81234560, as in the spec's example. */
function x86AtSpecSite(core: Core): number {
  for (let i = 0; i < 563; i++) core.text.addFunction(VMLINUX, 4096);
  core.text.addFunction(VMLINUX, 0x560);
  const f = core.text.addFunction(VMLINUX, 0x30);
  expect(core.text.hexAddress(core.text.funcAddr(f))).toBe("ffffffff81234560");
  return f;
}

async function bootedX86(flags = 0): Promise<{ core: Core; f: number; tramp: number }> {
  const core = await loadCore();
  expect(core.text.init("x86_64", flags)).toBe(0);
  const f = flags ? core.text.addFunction(VMLINUX, 0x30) : x86AtSpecSite(core);
  expect(core.text.ftraceInit(VMLINUX)).toBe(core.text.funcCount());
  core.text.trampAlloc();
  const tramp = core.text.trampAlloc();
  return { core, f, tramp };
}

/** Runs one step and reports (step, bytes, exec). */
function step(core: Core, f: number): [number, string, number] {
  const s = core.text.pokeStep();
  return [s, hex(core.text.siteBytes(f)), core.text.exec(f)];
}

describe("x86-64 encodings", () => {
  it("encodes the spec's worked examples", async () => {
    const core = await loadCore();
    expect(hex(core.text.encodeX86Call(0x81234560, 0x81e03c40))).toBe("e8 db f6 bc 00");
    expect(hex(core.text.encodeX86Call(0x81234560, 0xa0001000))).toBe("e8 9b ca dc 1e");
    // Backwards calls give negative rel32; more than 2 GiB away does not encode.
    expect(hex(core.text.encodeX86Call(0xa0001000, 0x81234560))).toBe("e8 5b 35 23 e1");
    expect(core.text.encodeX86Call(0x00000000, 0x90000000)).toBe(-34);
  });

  it("places __fentry__ and the callers in the entry page and lays functions around it", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    expect(core.text.hexAddress(core.text.symbol(TextSymbol.fentry))).toBe("ffffffff81e03c40");
    expect(core.text.symbol(TextSymbol.ftraceCaller)).toBe(0x81e03c50);
    expect(core.text.symbol(TextSymbol.ftraceRegsCaller)).toBe(0x81e03d50);
    expect(core.text.symbol(TextSymbol.ftraceNopOps)).toBe(0);
    for (let i = 0; i < 0xe02; i++) core.text.addFunction(VMLINUX, 4096);
    const f = core.text.addFunction(VMLINUX, 4096);
    expect(core.text.funcAddr(f)).toBe(0x81e04000);
    expect(core.text.bytes(0x81e03c40, 1)).toBe(-14);
  });

  it("builds call __fentry__ and converts it to NOP5 at ftrace init", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    const f = x86AtSpecSite(core);
    expect(hex(core.text.siteBytes(f))).toBe("e8 db f6 bc 00");
    expect(core.text.siteState(f)).toBe(SiteState.build);
    expect(core.text.exec(f)).toBe(0x81e03c40);
    expect(hex(core.text.bytes(0x81234560, 0x30))).toBe(
      `e8 db f6 bc 00 55 48 89 e5 ${"90 ".repeat(37)}5d c3`,
    );
    expect(core.text.ftraceInit(VMLINUX)).toBe(565);
    expect(hex(core.text.siteBytes(f))).toBe("0f 1f 44 00 00");
    expect(core.text.siteState(f)).toBe(SiteState.nop);
    expect(core.text.exec(f)).toBe(0);
    expect(core.text.ftraceInit(VMLINUX)).toBe(0);
    expect(core.text.siteAddr(f)).toBe(0x81234560);
  });

  it("puts endbr64 before the site with IBT", async () => {
    const { core, f } = await bootedX86(TextFlags.x86Ibt);
    expect(hex(core.text.entryBytes(f))).toBe("f3 0f 1e fa 0f 1f 44 00 00");
    expect(core.text.siteAddr(f)).toBe(core.text.funcAddr(f) + 4);
    expect(core.text.init("x86_64", TextFlags.arm64CallOps)).toBe(-EINVAL);
  });
});

describe("x86-64 int3 patching protocol", () => {
  it("NOP5 -> call trampoline, step by step, the int3 handler emulating the call", async () => {
    const { core, f, tramp } = await bootedX86();
    expect(tramp).toBe(0xa0001000);
    expect(core.text.queue(f, SiteKind.makeCall, tramp)).toBe(0);
    expect(core.text.siteQueued(f)).toBe(1);
    expect(core.text.exec(f)).toBe(0);
    expect(step(core, f)).toEqual([1, "cc 1f 44 00 00", tramp]);
    expect(core.text.siteState(f)).toBe(SiteState.poking);
    expect(step(core, f)).toEqual([2, "cc 1f 44 00 00", tramp]);
    expect(step(core, f)).toEqual([3, "cc 9b ca dc 1e", tramp]);
    expect(step(core, f)).toEqual([4, "cc 9b ca dc 1e", tramp]);
    expect(step(core, f)).toEqual([5, "e8 9b ca dc 1e", tramp]);
    expect(step(core, f)).toEqual([6, "e8 9b ca dc 1e", tramp]);
    expect(core.text.pokeStep()).toBe(0);
    expect(core.text.siteState(f)).toBe(SiteState.call);
    expect(core.text.siteQueued(f)).toBe(0);
  });

  it("call -> NOP5 and back, emulating the NOP as a jump to site+5", async () => {
    const { core, f, tramp } = await bootedX86();
    core.text.queue(f, SiteKind.makeCall, tramp);
    expect(core.text.pokeFinish()).toBe(6);
    expect(core.text.queue(f, SiteKind.makeNop, 0, tramp)).toBe(0);
    expect(core.text.exec(f)).toBe(tramp);
    expect(step(core, f)).toEqual([1, "cc 9b ca dc 1e", 0]);
    expect(step(core, f)).toEqual([2, "cc 9b ca dc 1e", 0]);
    expect(step(core, f)).toEqual([3, "cc 1f 44 00 00", 0]);
    expect(step(core, f)).toEqual([4, "cc 1f 44 00 00", 0]);
    expect(step(core, f)).toEqual([5, "0f 1f 44 00 00", 0]);
    expect(step(core, f)).toEqual([6, "0f 1f 44 00 00", 0]);
    expect(core.text.siteState(f)).toBe(SiteState.nop);
  });

  it("modify-call keeps e8 and retargets through the same steps", async () => {
    const { core, f, tramp } = await bootedX86();
    const caller = core.text.symbol(TextSymbol.ftraceCaller);
    core.text.queue(f, SiteKind.makeCall, tramp);
    core.text.pokeFinish();
    expect(core.text.queue(f, SiteKind.modifyCall, caller, tramp)).toBe(0);
    const newCall = hex(core.text.encodeX86Call(0x81234560, caller));
    const newTail = newCall.slice(3);
    expect(step(core, f)).toEqual([1, "cc 9b ca dc 1e", caller]);
    expect(step(core, f)).toEqual([2, "cc 9b ca dc 1e", caller]);
    expect(step(core, f)).toEqual([3, `cc ${newTail}`, caller]);
    expect(step(core, f)).toEqual([4, `cc ${newTail}`, caller]);
    expect(step(core, f)).toEqual([5, newCall, caller]);
    expect(step(core, f)).toEqual([6, newCall, caller]);
    expect(newCall).toBe("e8 eb f6 bc 00");
  });

  it("patches a batch of up to 256 sites together and refuses the 257th", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    const ids = Array.from({ length: 300 }, () => core.text.addFunction(VMLINUX, 64));
    core.text.ftraceInit(VMLINUX);
    const tramp = core.text.trampAlloc();
    for (const id of ids.slice(0, 256))
      expect(core.text.queue(id, SiteKind.makeCall, tramp)).toBe(0);
    expect(core.text.queue(ids[256]!, SiteKind.makeCall, tramp)).toBe(-ENOSPC);
    expect(core.text.pokeStep()).toBe(1);
    expect(ids.slice(0, 256).every((id) => hex(core.text.siteBytes(id)).startsWith("cc 1f"))).toBe(
      true,
    );
    expect(core.text.queue(ids[256]!, SiteKind.makeCall, tramp)).toBe(-EBUSY);
    expect(core.text.pokeFinish()).toBe(5);
    expect(ids.slice(0, 256).every((id) => core.text.exec(id) === tramp)).toBe(true);
    expect(core.text.exec(ids[256]!)).toBe(0);
    expect(core.text.queue(ids[256]!, SiteKind.makeCall, tramp)).toBe(0);
  });

  it("calls module text's trampoline with exact rel32 and frees trampolines only when unused", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    const mod = core.text.addObject();
    const g = core.text.addFunction(mod, 100);
    expect(core.text.hexAddress(core.text.funcAddr(g))).toBe("ffffffffa0800000");
    expect(core.text.ftraceInit(mod)).toBe(1);
    const t = core.text.trampAlloc();
    expect(t).toBe(0xa0000000);
    core.text.queue(g, SiteKind.makeCall, t);
    core.text.pokeFinish();
    expect(hex(core.text.siteBytes(g))).toBe(hex(core.text.encodeX86Call(0xa0800000, t)));
    expect(hex(core.text.siteBytes(g))).toBe("e8 fb ff 7f ff");
    expect(core.text.trampFree(t)).toBe(-EBUSY);
    core.text.queue(g, SiteKind.makeNop, 0, t);
    expect(core.text.trampFree(t)).toBe(-EBUSY);
    core.text.pokeFinish();
    expect(core.text.trampFree(t)).toBe(0);
    expect(core.text.trampFree(t)).toBe(-EINVAL);
    expect(core.text.trampAlloc()).toBe(0xa0000000);
  });
});

describe("x86-64 bad input", () => {
  it("refuses unknown functions, bad kinds and targets, double queues, unconverted sites", async () => {
    const { core, f, tramp } = await bootedX86();
    expect(core.text.queue(99999, SiteKind.makeCall, tramp)).toBe(-ENOENT);
    expect(core.text.queue(f, 0 as 1, tramp)).toBe(-EINVAL);
    expect(core.text.queue(f, 4 as 1, tramp)).toBe(-EINVAL);
    expect(core.text.queue(f, SiteKind.makeCall, 0xa0002000)).toBe(-EINVAL);
    expect(core.text.queue(f, SiteKind.makeCall, core.text.funcAddr(f))).toBe(-EINVAL);
    expect(core.text.queue(f, SiteKind.makeCall, tramp)).toBe(0);
    expect(core.text.queue(f, SiteKind.makeCall, tramp)).toBe(-EBUSY);
    expect(core.text.pokeCount()).toBe(1);
    const late = core.text.addFunction(VMLINUX, 32);
    expect(core.text.queue(late, SiteKind.makeCall, tramp)).toBe(-EINVAL);
    expect(core.text.exec(99999)).toBe(SITE_EXEC_BAD);
    expect(core.text.siteState(99999)).toBe(-ENOENT);
    expect(core.text.pokeFinish()).toBe(6);
    expect(core.text.exec(f)).toBe(tramp);
  });

  it("verifies the old bytes as ftrace_verify_code does and reports the mismatch", async () => {
    const { core, f, tramp } = await bootedX86();
    const caller = core.text.symbol(TextSymbol.ftraceCaller);
    expect(core.text.queue(f, SiteKind.makeNop, 0, tramp)).toBe(-EINVAL);
    let bug = core.text.lastMismatch();
    expect(bug && [bug.funcId, hex(bug.expected), hex(bug.actual)]).toEqual([
      f,
      "e8 9b ca dc 1e",
      "0f 1f 44 00 00",
    ]);
    core.text.queue(f, SiteKind.makeCall, tramp);
    core.text.pokeFinish();
    expect(core.text.queue(f, SiteKind.makeCall, caller)).toBe(-EINVAL);
    bug = core.text.lastMismatch();
    expect(bug && hex(bug.expected)).toBe("0f 1f 44 00 00");
    expect(core.text.queue(f, SiteKind.modifyCall, tramp, caller)).toBe(-EINVAL);
    expect(core.text.pokeCount()).toBe(0);
    expect(core.text.queue(f, SiteKind.modifyCall, caller, tramp)).toBe(0);
    expect(core.text.lastMismatch()).toBeNull();
  });

  it("survives a malformed arena: stray bytes are reported, never executed as an entry", async () => {
    const { core, f, tramp } = await bootedX86();
    const site = core.text.siteAddr(f);
    expect(core.text.writeByte(site + 2, 0x00)).toBe(0);
    expect(core.text.siteState(f)).toBe(SiteState.bad);
    expect(core.text.exec(f)).toBe(SITE_EXEC_BAD);
    expect(core.text.queue(f, SiteKind.makeCall, tramp)).toBe(-EINVAL);
    expect(core.text.writeByte(site, 0xcc)).toBe(0);
    expect(core.text.exec(f)).toBe(SITE_EXEC_BAD);
    expect(core.text.writeByte(0x81000000, 1)).toBe(-14);
    expect(core.text.writeByte(site, 256)).toBe(-EINVAL);
    // A stray byte in a module's build-time call makes its ftrace init fail as ftrace_bug does.
    const mod = core.text.addObject();
    const a = core.text.addFunction(mod, 32);
    const b = core.text.addFunction(mod, 32);
    core.text.writeByte(core.text.siteAddr(b), 0x90);
    expect(core.text.ftraceInit(mod)).toBe(-EINVAL);
    expect(core.text.lastMismatch()?.funcId).toBe(b);
    expect(core.text.siteState(a)).toBe(SiteState.nop);
    expect(core.text.siteState(b)).toBe(SiteState.bad);
  });

  it("keeps a module loaded while a pending batch holds its site", async () => {
    const core = await loadCore();
    core.text.init("x86_64");
    const mod = core.text.addObject();
    const g = core.text.addFunction(mod, 64);
    core.text.ftraceInit(mod);
    core.text.queue(g, SiteKind.makeCall, core.text.trampAlloc());
    expect(core.text.removeObject(mod)).toBe(-EBUSY);
    core.text.pokeFinish();
    expect(core.text.removeObject(mod)).toBe(0);
    expect(core.text.queue(g, SiteKind.makeNop, 0)).toBe(-ENOENT);
    expect(core.text.exec(g)).toBe(SITE_EXEC_BAD);
    // The window is reused by the next module.
    const mod2 = core.text.addObject();
    expect(core.text.funcAddr(core.text.addFunction(mod2, 16))).toBe(0xa0800000);
  });
});

describe("text state", () => {
  /** Every answer the text gives about these functions. */
  function answers(core: Core, ids: number[]): string {
    const t = core.text;
    return JSON.stringify([
      t.pokeCount(),
      t.pokePhase(),
      t.trampCount(),
      ...ids.map((id) => [hex(t.entryBytes(id)), t.exec(id), t.siteState(id), t.siteQueued(id)]),
    ]);
  }

  it("answers every bad call with an errno and changes nothing", async () => {
    const { core, f, tramp } = await bootedX86(TextFlags.x86Ibt);
    const g = core.text.addFunction(VMLINUX, 64);
    core.text.ftraceInit(VMLINUX);
    core.text.queue(g, SiteKind.makeCall, tramp);
    core.text.pokeStep();
    const before = answers(core, [f, g]);
    const bad = [
      core.text.queue(f, SiteKind.makeCall, tramp),
      core.text.queue(-1, SiteKind.makeCall, tramp),
      core.text.queue(2 ** 31, SiteKind.makeNop, 0),
      core.text.queue(f, 77 as 1, tramp),
      core.text.trampFree(tramp),
      core.text.trampFree(0xa0000000),
      core.text.trampFree(0xa0000800),
      core.text.trampFree(0xffffffff),
      core.text.ftraceInit(4095),
      core.text.ftraceInit(-1),
      core.text.removeObject(VMLINUX),
      core.text.addFunction(VMLINUX, 9),
      core.text.addFunction(12345, 64),
      core.text.writeByte(0xa0001000, 0),
      core.text.bytes(core.text.funcAddr(f), 0),
      core.text.bytes(core.text.funcAddr(f), 100000),
      core.text.bytes(core.text.funcAddr(f) + 44, 8),
    ];
    expect(bad.map((r) => (typeof r === "number" && r < 0 ? 0 : r))).toEqual(bad.map(() => 0));
    expect(answers(core, [f, g])).toBe(before);
    expect(core.text.pokeFinish()).toBe(5);
    expect(core.text.exec(g)).toBe(tramp);
  });

  it("answers safely before init and after a reset", async () => {
    const core = await loadCore();
    const calls = () => [
      core.text.addObject(),
      core.text.addFunction(VMLINUX, 64),
      core.text.ftraceInit(VMLINUX),
      core.text.trampAlloc(),
      core.text.queue(0, SiteKind.makeCall, 0xa0000000),
      core.text.bytes(0x81001000, 4),
      core.text.writeByte(0x81001000, 0),
    ];
    expect(calls().every((r) => r === -EINVAL)).toBe(true);
    expect([core.text.pokeStep(), core.text.exec(0), core.text.siteState(0)]).toEqual([
      0,
      SITE_EXEC_BAD,
      -ENOENT,
    ]);
    core.text.init("x86_64");
    core.text.addFunction(VMLINUX, 64);
    core.reset();
    expect(calls().every((r) => r === -EINVAL)).toBe(true);
    expect(core.text.symbol(TextSymbol.fentry)).toBe(0);
    expect(core.aborted).toBe(false);
  });

  it("restores text mid-protocol from a snapshot", async () => {
    const { core, f, tramp } = await bootedX86();
    core.text.queue(f, SiteKind.makeCall, tramp);
    core.text.pokeStep();
    core.text.pokeStep();
    core.text.pokeStep();
    const snap = core.snapshot();
    core.text.pokeFinish();
    core.text.queue(f, SiteKind.makeNop, 0, tramp);
    core.text.pokeFinish();
    expect(core.restore(snap)).toBe(0);
    expect(hex(core.text.siteBytes(f))).toBe("cc 9b ca dc 1e");
    expect([core.text.exec(f), core.text.siteState(f), core.text.pokePhase()]).toEqual([
      tramp,
      SiteState.poking,
      3,
    ]);
    expect(core.text.pokeFinish()).toBe(3);
    expect(hex(core.text.siteBytes(f))).toBe("e8 9b ca dc 1e");
  });
});
