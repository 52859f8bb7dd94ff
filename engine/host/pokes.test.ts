// pokes.test.ts: the entry site at every text-poke stage of the default scenario (patched at 1 s,
// unpatched at 10 s), on both architectures: the view kept at each stage agrees with a raw read of
// the text arena kept at the same stage (bytes, and their disassembly done here), and the stages
// are the kernel's: x86-64 int3 over the first byte, the other four bytes, the first byte; arm64
// the CALL_OPS literal, then the instruction word.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../cli/node-run.ts";
import { SESSION_ENV } from "../../web/engine/sessionEnv.ts";
import type { EngineEvent } from "../events.ts";
import { disasm } from "../machine/disasm.ts";
import { SessionHost } from "./session.ts";

async function stages(arch: "x86_64" | "arm64") {
  const host = new SessionHost(coreWasm(), SESSION_ENV);
  const json = JSON.parse(
    readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
  ) as object;
  expect((await host.handle({ op: "open", scenario: { ...json, arch } })).ok).toBe(true);
  const sites: (EngineEvent & { kind: "site" })[] = [];
  for (let i = 0; i < 400; i++) {
    const r = await host.handle({ op: "step" });
    if (!r.ok) throw new Error(r.error.message);
    for (const e of r.value.delta.events) if (e.kind === "site") sites.push(e);
    if (r.value.delta.done && r.value.delta.events.length === 0) break;
  }
  const out = [];
  for (const e of sites) {
    const s = await host.handle({ op: "entry-site", atEvent: e.seq });
    if (!s.ok || !s.value.site?.view?.ok) throw new Error(`no view at ${e.seq}`);
    const v = s.value.site.view.value;
    const len = v.bytes.split(" ").length;
    const t = await host.handle({ op: "text", addr: v.entryAddr, len, atEvent: e.seq });
    if (!t.ok || !t.value.text?.ok) throw new Error(`no text at ${e.seq}`);
    out.push({ e, v, raw: t.value.text.value });
  }
  return out;
}

// Per stage: the site's state and instruction kind at rec->ip, and the site's bytes. x86-64 emits
// each stage's write and its sync (every byte state twice); the core names a site whose bytes are
// mid-update "poking".
const STAGES = {
  x86_64: [
    ...["cc 1f 44 00 00", "cc 1f 44 00 00", "cc fb ff 7f ff", "cc fb ff 7f ff"].map((b) => [
      "poking int3",
      b,
    ]),
    ["call call", "e8 fb ff 7f ff"],
    ["call call", "e8 fb ff 7f ff"],
    ...["cc fb ff 7f ff", "cc fb ff 7f ff", "cc 1f 44 00 00", "cc 1f 44 00 00"].map((b) => [
      "poking int3",
      b,
    ]),
    ["nop nop", "0f 1f 44 00 00"],
    ["nop nop", "0f 1f 44 00 00"],
  ],
  // Patching: the literal store (the nop still in place, the site mid-update), then the bl;
  // unpatching: the literal first again (the bl still in place), then the nop.
  arm64: [
    ["poking nop", "1f 20 03 d5"],
    ["call bl", "f9 53 00 95"],
    ["poking bl", "f9 53 00 95"],
    ["nop nop", "1f 20 03 d5"],
  ],
};

const words = (hex: string) => new Uint8Array(hex.split(" ").map((b) => parseInt(b, 16)));

describe("the entry site at every text-poke stage", () => {
  for (const arch of ["x86_64", "arm64"] as const)
    it(arch, async () => {
      const all = await stages(arch);
      for (const { e, v, raw } of all) {
        expect(raw.bytes).toBe(v.bytes);
        // The site event's bytes are the patched instruction as that stage left it.
        expect(v.siteBytes).toBe(e.bytes);
        const start = parseInt(v.entryAddr.slice(8), 16);
        const prefixWords = arch === "arm64" ? (v.bytes.split(" ").length - 8) / 4 : 0;
        const mine = disasm(arch, words(raw.bytes), start, () => null, prefixWords);
        expect(mine.map((i) => [i.addr, i.bytes, i.kind])).toEqual(
          v.insns.map((i) => [i.addr, i.bytes, i.kind]),
        );
      }
      const seen = all.map(({ e, v }) => [
        `${v.state} ${v.insns.find((i) => i.site)!.kind}`,
        e.bytes,
      ]);
      expect(seen).toEqual(STAGES[arch]);
    });
});
