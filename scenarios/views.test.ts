// views.test.ts: the session's entry-site and compare operations on the default scenario: the
// entry site shows the NOP before the patch and the call to the trampoline (x86) or the bl (arm64)
// after, and compare returns exactly what engine/compare computes for the same scenario.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../cli/node-run.ts";
import { SESSION_ENV } from "../web/engine/sessionEnv.ts";
import { SessionHost } from "../engine/host/session.ts";

const DEFAULT = JSON.parse(
  readFileSync(new URL("./library/default.json", import.meta.url), "utf8"),
) as { arch: string; semantics: string };

async function opened(arch: string) {
  const host = new SessionHost(coreWasm(), SESSION_ENV);
  const r = await host.handle({ op: "open", scenario: { ...DEFAULT, arch } });
  if (!r.ok) throw new Error(r.error.message);
  return host;
}

describe("entry-site", () => {
  for (const [arch, insn] of [
    ["x86_64", /^call/],
    ["arm64", /^bl\b/],
  ] as const)
    it(`${arch}: no patched function before the load, then the site calls`, async () => {
      const host = await opened(arch);
      const before = await host.handle({ op: "entry-site" });
      expect(before.ok && before.value.site).toEqual({ patched: [], view: null });
      await host.handle({ op: "advance", toNs: 8000e6 });
      const after = await host.handle({ op: "entry-site" });
      if (!after.ok) throw new Error(after.error.message);
      const site = after.value.site!;
      expect(site.patched.length).toBeGreaterThan(0);
      expect(site.view?.ok).toBe(true);
      if (!site.view?.ok) return;
      expect(site.view.value.arch).toBe(arch);
      const at = site.view.value.insns.find((i) => i.site)!;
      expect(at.text).toMatch(insn);
    });

  it("refuses a function no loaded patch has", async () => {
    const host = await opened("x86_64");
    const r = await host.handle({ op: "entry-site", func: "no_such_fn" });
    expect(r.ok && r.value.site?.view?.ok).toBe(false);
  });
});

describe("compare", () => {
  it("the default scenario under proposed semantics: its callbacks are mainline's only", async () => {
    const host = await opened("x86_64");
    const r = await host.handle({ op: "compare", other: { semantics: "proposed" } });
    if (!r.ok) throw new Error(r.error.message);
    const c = r.value.compare!;
    if (!c.ok) throw new Error(c.error);
    expect(c.value.a.config.semantics).toBe("mainline");
    expect(c.value.b.config.semantics).toBe("proposed");
    expect(c.value.summary).toContain(
      "1 callback only-a livepatch_callbacks_demo/vmlinux/pre_patch",
    );
    expect(c.value.a.log.length).toBeGreaterThan(0);
  });
});
