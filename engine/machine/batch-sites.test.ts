// batch-sites.test.ts: several entry sites changed by one ftrace_replace_code (the function tracer
// turned on and off with three functions in its filter). x86-64
// pokes every changing record in one text_poke_bp_batch: each of the six steps runs over all the
// sites before the next (so at the first site's step 1 the last site is int3 already); arm64 pokes
// record by record, literal then instruction (so at the first record's bl the last is a NOP
// still). The expected bytes are encoded here from the architectures' rules, not by the engine.
// A kprobe's ops on a site: modules/kprobe-sites.test.ts (it loads the selftests' modules).
import { describe, expect, it } from "vitest";
import { hexBytes, TextSymbol } from "../../core-wasm/bindings/text.ts";
import { PokeStages } from "../host/pokes.ts";
import {
  ARM64_NOP as A64_NOP,
  le32,
  X86_NOP5 as NOP5,
  x86Call as call,
} from "../testing/encode.ts";
import { boot } from "../testing/fixture.ts";
import { EINVAL, SiteKind } from "../../core-wasm/bindings/index.ts";
import { ftraceOf } from "./ftrace.ts";
import { applySites } from "./ftrace-sites.ts";
import type { Machine } from "./machine.ts";

const TRACING = "/sys/kernel/debug/tracing";
const FNS = ["cmdline_proc_show", "version_proc_show", "meminfo_proc_show"];
type Arch = "x86_64" | "arm64";

/** Per site event: "func step", and every FNS site's bytes (and arm64 literal) right then. */
interface Seen {
  stage: string;
  sites: string[];
  literals: number[];
}

function watch(m: Machine): Seen[] {
  const seen: Seen[] = [];
  const { text } = m.core;
  const ids = FNS.map((n) => m.fn(n));
  m.events.subscribe((e) => {
    if (e.kind !== "site") return;
    const sites = ids.map((id) => hexBytes(text.siteBytes(id) as Uint8Array));
    expect(sites[FNS.indexOf(e.func)]).toBe(e.bytes);
    seen.push({ stage: `${e.func} ${e.step}`, sites, literals: ids.map((id) => text.siteOps(id)) });
  });
  return seen;
}

async function tracerMachine(arch: Arch) {
  const m = await boot({ arch });
  ftraceOf(m);
  const seen = watch(m);
  const w = (file: string, data: string) =>
    expect(m.vfs.writeFile(`${TRACING}/${file}`, data)).toBe(0);
  w("set_ftrace_filter", `${FNS.join(" ")}\n`);
  return { m, seen, w };
}

describe("x86-64: one int3 batch over every site that changes", () => {
  it("tracer on: each step over all three sites; tracer off: the same, back to NOP5", async () => {
    const { m, seen, w } = await tracerMachine("x86_64");
    const { text } = m.core;
    const addrs = FNS.map((n) => text.siteAddr(m.fn(n)));
    w("current_tracer", "function\n");
    const tramp = ftraceOf(m).tracerOps()!.tramp;
    expect(tramp).not.toBe(0);
    const calls = addrs.map((a) => call(a, tramp));
    const int3 = (b: string) => `cc ${b.slice(3)}`;
    // The stage list: steps 1..6, each with an event per site in record order.
    const stages = [1, 2, 3, 4, 5, 6].flatMap((s) => FNS.map((f) => `${f} ${s}`));
    expect(seen.map((x) => x.stage)).toEqual(stages);
    // Every site of the batch at once: int3 over the NOP5s, then the tails, then the first bytes.
    const after = (i: number) => [int3(NOP5), int3(NOP5), int3(calls[i]!), int3(calls[i]!)];
    for (const [k, x] of seen.entries()) {
      const step = Math.floor(k / 3);
      expect(x.sites).toEqual([0, 1, 2].map((i) => (step < 4 ? after(i)[step]! : calls[i]!)));
    }
    // The first site's step 1 already sees the last site's int3: one batch, not three.
    expect(seen[0]!.sites[2]).toBe(int3(NOP5));
    seen.length = 0;
    w("current_tracer", "nop\n");
    expect(seen.map((x) => x.stage)).toEqual(stages);
    const off = (i: number) => [int3(calls[i]!), int3(calls[i]!), int3(NOP5), int3(NOP5)];
    for (const [k, x] of seen.entries()) {
      const step = Math.floor(k / 3);
      expect(x.sites).toEqual([0, 1, 2].map((i) => (step < 4 ? off(i)[step]! : NOP5)));
    }
    expect(seen[0]!.sites[2]).toBe(int3(calls[2]!));
  });
});

describe("the poke stages kept for a batch", () => {
  it("x86-64: the text kept at the first site's stage 1 shows the other sites' int3 too", async () => {
    const { m, w } = await tracerMachine("x86_64");
    const stages = new PokeStages(m);
    const seqs: number[] = [];
    m.events.subscribe((e) => {
      if (e.kind === "site") seqs.push(e.seq);
    });
    w("current_tracer", "function\n");
    const { text } = m.core;
    const at = (seq: number, name: string) => {
      const r = stages.read(seq, text.hexAddress(text.siteAddr(m.fn(name))), 5);
      if (!r.ok) throw new Error(r.error);
      return r.value.bytes;
    };
    // seqs[0]: cmdline_proc_show's step 1; seqs[6]: its step 3 (steps 1, 2 of three sites before).
    expect(FNS.map((n) => at(seqs[0]!, n))).toEqual(FNS.map(() => "cc 1f 44 00 00"));
    expect(FNS.map((n) => at(seqs[6]!, n).slice(0, 2))).toEqual(["cc", "cc", "cc"]);
    expect(at(seqs[6]!, FNS[2]!)).not.toBe("cc 1f 44 00 00");
    expect(FNS.map((n) => at(seqs.at(-1)!, n).slice(0, 2))).toEqual(["e8", "e8", "e8"]);
    // Text of no function of the batch was not kept.
    const other = text.hexAddress(text.siteAddr(m.fn("__x64_sys_getpid")));
    expect(stages.read(seqs[0]!, other, 5).ok).toBe(false);
  });
});

describe("arm64 CALL_OPS: record by record, literal then instruction", () => {
  it("tracer on: each record's literal and bl before the next record is touched", async () => {
    const { m, seen, w } = await tracerMachine("arm64");
    const { text } = m.core;
    const caller = text.symbol(TextSymbol.ftraceCaller);
    const bl = FNS.map((n) => {
      const pc = text.siteAddr(m.fn(n));
      return le32((0x94000000 | (((caller - pc) >> 2) & 0x03ffffff)) >>> 0);
    });
    const nopOps = text.symbol(TextSymbol.ftraceNopOps);
    const globalOps = text.symbol(TextSymbol.globalOps);
    w("current_tracer", "function\n");
    expect(seen.map((x) => x.stage)).toEqual(FNS.flatMap((f) => [`${f} 1`, `${f} 2`]));
    for (const [k, x] of seen.entries()) {
      const rec = Math.floor(k / 2);
      const insnDone = k % 2 === 1;
      // Records before this one are done; this one has its literal (and, at step 2, its bl);
      // the records after it are untouched.
      expect(x.literals).toEqual([0, 1, 2].map((i) => (i <= rec ? globalOps : nopOps)));
      expect(x.sites).toEqual(
        [0, 1, 2].map((i) => (i < rec || (i === rec && insnDone) ? bl[i]! : A64_NOP)),
      );
    }
    seen.length = 0;
    w("current_tracer", "nop\n");
    expect(seen.map((x) => x.stage)).toEqual(FNS.flatMap((f) => [`${f} 1`, `${f} 2`]));
    expect(seen[1]!.sites).toEqual([A64_NOP, bl[1], bl[2]]);
    expect(seen[1]!.literals).toEqual([nopOps, globalOps, globalOps]);
    expect(seen.at(-1)!.sites).toEqual([A64_NOP, A64_NOP, A64_NOP]);
  });
});

describe("a record that fails verification (ftrace_bug's case)", () => {
  for (const arch of ["x86_64", "arm64"] as const)
    it(`${arch}: ${arch === "x86_64" ? "no site of the batch is poked" : "the records before it stay poked"}`, async () => {
      const m = await boot({ arch });
      const seen = watch(m);
      const { text } = m.core;
      const [a, b] = [m.fn(FNS[0]!), m.fn(FNS[1]!)];
      const caller = text.symbol(TextSymbol.ftraceCaller);
      // b is a NOP: a MAKE_NOP expects a call there and fails verification.
      const rc = applySites(m, [
        { fn: a, kind: SiteKind.makeCall, target: caller, aux: 0 },
        { fn: b, kind: SiteKind.makeNop, target: 0, aux: 0 },
      ]);
      expect(rc).toBe(-EINVAL);
      expect(text.pokeCount()).toBe(0);
      const site = hexBytes(text.siteBytes(a) as Uint8Array);
      if (arch === "x86_64") {
        expect(seen).toEqual([]);
        expect(site).toBe(NOP5);
      } else {
        expect(seen.map((x) => x.stage)).toEqual([`${FNS[0]} 1`, `${FNS[0]} 2`]);
        expect(site).not.toBe(A64_NOP);
      }
      expect(hexBytes(text.siteBytes(b) as Uint8Array)).toBe(arch === "x86_64" ? NOP5 : A64_NOP);
    });
});
