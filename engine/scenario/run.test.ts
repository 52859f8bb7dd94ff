// run.test.ts: every library scenario runs to its expected log (the selftest scenarios' logs are
// the goldens'), runs reproduce each other exactly, and the teaching cases show what they claim.
import { describe, expect, it } from "vitest";
import { runInNode } from "../../cli/node-run.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import { libraryFiles } from "../../cli/library-files.ts";
import { lineDiff } from "./check.ts";

const files = libraryFiles();

function scenario(file: string): Scenario {
  const f = files.find((x) => x.file === file);
  const s = f && loadScenario(f.text);
  if (!s?.ok) throw new Error(`${file}: not loadable`);
  return s.value;
}

async function run(s: Scenario, over = {}) {
  const r = await runInNode(s, over);
  if (!r.ok) throw new Error(r.error.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return r.value;
}

/** Seconds since boot of the first dmesg line containing `text`. */
function stamp(dmesg: readonly string[], text: string): number {
  const line = dmesg.find((l) => l.includes(text));
  if (!line) throw new Error(`no line with ${text}`);
  return Number(/^\[\s*([\d.]+)\]/.exec(line)![1]);
}

describe("library scenarios print their expected logs", () => {
  for (const f of files) {
    it(f.file, async () => {
      const s = scenario(f.file);
      expect(s.expect).toBeDefined();
      const r = await run(s);
      expect(lineDiff(s.expect!.log, r.compared).join("\n")).toBe("");
      expect(r.exited).toBe(false);
    });
  }
});

describe("runs", () => {
  it("reproduce: same scenario, same log, events and hash", async () => {
    const s = scenario("library/stall-interruptible-signal.json");
    const a = await run(s);
    const b = await run(s);
    expect(b.hash).toBe(a.hash);
    expect(b.events).toEqual(a.events);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("runs each step at its virtual time", async () => {
    const r = await run(scenario("library/default.json"));
    expect(r.steps.map((st) => st.startNs)).toEqual([0, 1e9, 10e9, 12e9, 12e9]);
    expect(r.steps.every((st) => st.status === 0)).toBe(true);
  });

  it("the fake signal ends the interruptible stall about 15 s after the transition starts", async () => {
    const r = await run(scenario("library/stall-interruptible-signal.json"));
    const start = stamp(r.dmesg, "starting patching transition");
    const signal = stamp(r.dmesg, "signaling remaining tasks");
    expect(signal - start).toBeGreaterThanOrEqual(14.5);
    expect(signal - start).toBeLessThan(16.5);
    expect(stamp(r.dmesg, "patching complete")).toBeLessThan(signal + 2);
  });

  it("an uninterruptible sleeper outlasts the signal: only force completes; force pins as it should", async () => {
    const plain = await run(scenario("library/stall-uninterruptible-force.json"));
    const signal = stamp(plain.dmesg, "signaling remaining tasks");
    expect(stamp(plain.dmesg, "patching complete")).toBeGreaterThanOrEqual(20);
    expect(stamp(plain.dmesg, "forcing remaining tasks")).toBeGreaterThan(signal);
    expect(plain.log).toContain("rmmod klp_sleeper_fix: removed"); // a forced patching pins nothing
    for (const file of ["force-disable-pins-module", "force-replace-pins-old"]) {
      const r = await run(scenario(`library/${file}.json`));
      expect(r.log, file).toContain("rmmod: ERROR: Module klp_sleeper_fix is in use");
    }
  });

  it("x86_64 and arm64 print the same log and differ in entry-site bytes", async () => {
    const x = await run(scenario("library/same-patch-x86_64.json"));
    const a = await run(scenario("library/same-patch-arm64.json"));
    expect(a.log).toEqual(x.log);
    const sites = (r: typeof x) => r.events.filter((e) => e.kind === "site").map((e) => e.bytes);
    expect(sites(x).length).toBeGreaterThan(0);
    expect(sites(a)).not.toEqual(sites(x));
  });

  it("--arch and --semantics override the scenario's own", async () => {
    const r = await run(scenario("library/same-patch-x86_64.json"), { arch: "arm64" });
    const a = await run(scenario("library/same-patch-arm64.json"));
    expect(r.hash).toBe(a.hash);
  });

  it("ends a run the engine cannot go on with as a problem, not an exception", async () => {
    const s = scenario("library/stack-disable-top-first.json");
    const bad = {
      ...s,
      machine: {
        ...s.machine,
        tasks: [{ comm: "t", every_ms: 10, does: { call: "seq_read_iter" } }],
      },
    };
    const r = await runInNode(bad);
    expect(!r.ok && r.error[0]!.message).toMatch(/^the run stopped in the engine: /);
  });

  it("reports an embedded module that does not compile at its source's path", async () => {
    const s = scenario("library/stack-disable-top-first.json");
    const bad = {
      ...s,
      modules: [s.modules[0]!, { ...s.modules[1]!, source: "export default {" }],
    };
    const r = await runInNode(bad as Scenario);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error[0]!.path).toBe("modules[1].source");
  });
});
