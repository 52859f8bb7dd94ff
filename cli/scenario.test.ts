// scenario.test.ts: `npx klp-play run|encode|decode` exactly as the README shows them, and their
// argument parsing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTrace } from "../engine/trace/check.ts";
import type { ChromeTrace } from "../engine/trace/format.ts";
import { parseScenarioArgs } from "./scenario-args.ts";

const ROOT = new URL("..", import.meta.url);
const DEFAULT = "scenarios/library/default.json";

function klpPlay(args: string[], input = "") {
  return spawnSync("npx", ["klp-play", ...args], { cwd: ROOT, input, encoding: "utf8" });
}

describe("npx klp-play run / encode / decode", () => {
  it("run prints the kernel log; --check passes on the library's expected log", () => {
    const r = klpPlay(["run", DEFAULT]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^\[\s+\d+\.\d{6}\] livepatch: 'livepatch_callbacks_demo': patching complete$/m,
    );
    const c = klpPlay(["run", DEFAULT, "--check"]);
    expect([c.status, c.stdout]).toEqual([0, "ok: 23 lines as expected (kernel log)\n"]);
    // --trace writes the run for Perfetto, structurally sound.
    const file = join(mkdtempSync(join(tmpdir(), "klp-play-")), "trace.json");
    expect(klpPlay(["run", DEFAULT, "--trace", file]).status).toBe(0);
    const trace = JSON.parse(readFileSync(file, "utf8")) as ChromeTrace;
    expect(checkTrace(trace)).toEqual([]);
    expect(
      trace.traceEvents.some(
        (e) => e.name === "livepatch: 'livepatch_callbacks_demo': patching complete",
      ),
    ).toBe(true);
  }, 90_000);

  it("--check exits non-zero with a readable diff; bad input is one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "klp-play-"));
    const s = JSON.parse(readFileSync(new URL(DEFAULT, ROOT), "utf8"));
    s.expect.log[4] = "livepatch: enabling patch 'something else'";
    writeFileSync(join(dir, "changed.json"), JSON.stringify(s));
    const c = klpPlay(["run", join(dir, "changed.json"), "--check"]);
    expect(c.status).toBe(1);
    expect(c.stdout).toContain("- livepatch: enabling patch 'something else'\n");
    expect(c.stdout).toContain("+ livepatch: enabling patch 'livepatch_callbacks_demo'\n");
    s.modules[0].sha256 = "0".repeat(64);
    s.script = [];
    writeFileSync(join(dir, "bad.json"), JSON.stringify(s));
    const b = klpPlay(["run", join(dir, "bad.json")]);
    expect(b.status).toBe(1);
    expect(b.stderr).toBe(`klp-play: ${join(dir, "bad.json")}: script: the script has no steps\n`);
  }, 60_000);

  it("encode prints a link; decode prints the scenario; run takes the link", () => {
    const e = klpPlay(["encode", DEFAULT, "--at", "5000"]);
    expect(e.status).toBe(0);
    const link = e.stdout.trim();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:5173\/#s1\.[\w-]+\.t5000$/);
    const d = klpPlay(["decode", link]);
    expect(JSON.parse(d.stdout)).toEqual(JSON.parse(readFileSync(new URL(DEFAULT, ROOT), "utf8")));
    const r = klpPlay(["run", link, "--check"]);
    expect(r.status).toBe(0);
    const bad = klpPlay(["decode", link.slice(0, 60)]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.split("\n")).toHaveLength(2); // one line and its newline
    expect(bad.stderr).toMatch(/^klp-play: link: /);
  }, 60_000);
});

describe("klp-play scenario arguments", () => {
  it("parses run, encode and decode", () => {
    expect(parseScenarioArgs(["run", "f.json", "--arch=arm64", "--check"])).toEqual({
      cmd: "run",
      input: "f.json",
      semantics: null,
      arch: "arm64",
      json: false,
      check: true,
      trace: null,
    });
    expect(parseScenarioArgs(["encode", "f.json", "--event", "7"])).toMatchObject({
      atMs: null,
      event: 7,
    });
    expect(parseScenarioArgs(["run"])).toContain("needs a scenario FILE or URL");
    expect(parseScenarioArgs(["run", "a", "--semantics", "next"])).toBe(
      "klp-play: bad --semantics: next\n",
    );
    expect(parseScenarioArgs(["decode", "a", "--json"])).toContain("unknown option --json");
  });
});
