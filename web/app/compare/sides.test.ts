// sides.test.ts: the default scenario against itself under proposed semantics, put side by side:
// the steps with divergences are flagged (1 and 2: mainline's callbacks), the others are not, and
// the callback lines are flagged as printed only in mainline.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../../cli/node-run.ts";
import { SessionHost } from "../../../engine/host/session.ts";
import { SESSION_ENV } from "../../engine/sessionEnv.ts";
import { alignSides } from "./sides.ts";

describe("alignSides", () => {
  it("the default scenario, mainline against proposed", async () => {
    const host = new SessionHost(coreWasm(), SESSION_ENV);
    const json: unknown = JSON.parse(
      readFileSync(new URL("../../../scenarios/library/default.json", import.meta.url), "utf8"),
    );
    expect((await host.handle({ op: "open", scenario: json })).ok).toBe(true);
    const r = await host.handle({ op: "compare", other: { semantics: "proposed" } });
    if (!r.ok || !r.value.compare?.ok) throw new Error("compare failed");
    const steps = alignSides(r.value.compare.value);
    expect(steps.filter((s) => s.diverges).map((s) => s.step)).toEqual([1, 2]);
    const one = steps.find((s) => s.step === 1)!;
    expect(one.a.filter((l) => l.only).map((l) => l.line.text)).toContain(
      "livepatch_callbacks_demo: pre_patch_callback: vmlinux",
    );
    expect(one.b.some((l) => l.line.text.includes("pre_patch_callback"))).toBe(false);
  });
});
