// exports.test.ts: the session's export op. The log file is the headless run's dmesg (the whole
// run, also after a jump back replays it), the trace is Perfetto's structure over the same events,
// and a bad request is a value.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm, runInNode } from "../../cli/node-run.ts";
import { builtinEnv } from "../../modules/scenario-options.ts";
import { loadScenario } from "../../scenarios/load.ts";
import { checkTrace } from "../trace/check.ts";
import type { ChromeTrace } from "../trace/format.ts";
import { SessionHost } from "./session.ts";

const TEXT = readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8");

async function exported(host: SessionHost, what: "log" | "trace"): Promise<string> {
  const r = await host.handle({ op: "export", what });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.exported!;
}

describe("session export", () => {
  it("gives the whole run's dmesg and a valid Perfetto trace, also after a jump back", async () => {
    const s = loadScenario(TEXT);
    if (!s.ok) throw new Error("default scenario invalid");
    const run = await runInNode(s.value);
    if (!run.ok) throw new Error("headless run failed");
    const host = new SessionHost(coreWasm(), builtinEnv());
    expect((await host.handle({ op: "open", scenario: JSON.parse(TEXT) })).ok).toBe(true);
    expect(await exported(host, "log")).toBe(""); // nothing printed before boot's first event ran
    await host.handle({ op: "advance", toNs: 3600e9 });
    const log = await exported(host, "log");
    expect(log.split("\n").slice(0, -1)).toEqual(run.value.dmesg);
    expect(log.endsWith("\n")).toBe(true);
    const trace = JSON.parse(await exported(host, "trace")) as ChromeTrace;
    expect(checkTrace(trace)).toEqual([]);
    expect(trace.traceEvents.length).toBeGreaterThan(run.value.dmesg.length);
    expect(trace.otherData).toMatchObject({ scenario: s.value.title, semantics: "mainline" });
    // A jump back replays from boot: the export is the run up to there, from its start.
    await host.handle({ op: "seek", toNs: 5e9 });
    const back = (await exported(host, "log")).split("\n").slice(0, -1);
    expect(back.length).toBeGreaterThan(0);
    expect(back.length).toBeLessThan(run.value.dmesg.length);
    expect(back).toEqual(run.value.dmesg.slice(0, back.length));
  });

  it("answers a bad or early request with a value", async () => {
    const host = new SessionHost(coreWasm(), builtinEnv());
    expect(await host.handle({ op: "export", what: "log" })).toMatchObject({
      ok: false,
      error: { kind: "no-session" },
    });
    await host.handle({ op: "open", scenario: JSON.parse(TEXT) });
    const bad = await host.handle({ op: "export", what: "pdf" as "log" });
    expect(bad).toMatchObject({ ok: false, error: { kind: "bad-request" } });
  });
});
