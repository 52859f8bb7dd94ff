// cli.test.ts: runs the CLI exactly as the README shows (`npx klp-play shell` with a script on
// standard input, and with --log FILE), and checks its argument parsing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkTrace } from "../engine/trace/check.ts";
import type { ChromeTrace } from "../engine/trace/format.ts";
import { parseArgs } from "./args.ts";
import { chunks } from "./main.ts";

const ROOT = new URL("..", import.meta.url);
const SCRIPT = [
  "load_lp test_klp_livepatch",
  "cat /proc/cmdline",
  "disable_lp test_klp_livepatch",
  "unload_lp test_klp_livepatch",
  "rmmod test_klp_livepatch",
  "",
].join("\n");

function klpPlay(args: string[], input: string) {
  return spawnSync("npx", ["klp-play", "shell", ...args], { cwd: ROOT, input, encoding: "utf8" });
}

describe("npx klp-play shell", () => {
  it("prints command output and the kernel log interleaved on the console", () => {
    const r = klpPlay([], SCRIPT);
    expect(r.status).toBe(1);
    const out = r.stdout.split("\n");
    const patched = out.indexOf("test_klp_livepatch: this has been live patched");
    expect(patched).toBeGreaterThan(
      out.indexOf("livepatch: 'test_klp_livepatch': patching complete"),
    );
    expect(patched).toBeLessThan(
      out.indexOf("% echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled"),
    );
    expect(r.stderr).toContain("rmmod: ERROR: Module test_klp_livepatch is not currently loaded\n");
  }, 60_000);

  it("writes the kernel log without timestamps to --log FILE", () => {
    const log = join(mkdtempSync(join(tmpdir(), "klp-play-")), "kernel.log");
    const r = klpPlay(["--arch", "arm64", "--log", log], SCRIPT);
    expect(r.stdout).toBe("test_klp_livepatch: this has been live patched\n");
    const lines = readFileSync(log, "utf8").split("\n");
    expect(lines[0]).toBe("% insmod test_modules/test_klp_livepatch.ko");
    expect(lines).toContain("livepatch: 'test_klp_livepatch': unpatching complete");
  }, 60_000);

  it("runs the EXIT trap when the script runs off its end, as bash does, with its status", () => {
    const r = klpPlay(["--log", "/dev/null"], "trap 'echo bye $?' EXIT\necho hi\nfalse\n");
    expect(r.stdout).toBe("hi\nbye 1\n");
    expect(r.status).toBe(1);
  }, 60_000);
});

describe("npx klp-play shell --trace", () => {
  it("writes a Chrome Trace Event file for Perfetto", () => {
    const trace = join(mkdtempSync(join(tmpdir(), "klp-play-")), "out.json");
    const r = klpPlay(["--trace", trace, "--log", "/dev/null"], SCRIPT);
    expect(r.stdout).toBe("test_klp_livepatch: this has been live patched\n");
    const t = JSON.parse(readFileSync(trace, "utf8")) as ChromeTrace;
    expect(checkTrace(t)).toEqual([]);
    expect(t.otherData).toMatchObject({ semantics: "mainline", arch: "x86_64" });
    // Slices of no virtual time are X events of duration 0, the others B/E pairs.
    const slices = t.traceEvents.filter((e) => e.ph === "B" || e.ph === "X").map((e) => e.name);
    expect(slices).toContain("patching test_klp_livepatch");
    expect(slices).toContain("unpatching test_klp_livepatch");
    expect(parseArgs(["shell", "--trace"])).toContain("--trace needs a FILE");
  }, 60_000);
});

describe("klp-play arguments", () => {
  it("parses options and the script", () => {
    expect(parseArgs(["shell", "--semantics=proposed", "--log", "f", "s.sh"])).toEqual({
      semantics: "proposed",
      arch: "x86_64",
      log: "f",
      trace: null,
      script: "s.sh",
    });
    expect(parseArgs(["shell", "--arch", "mips"])).toContain("bad --arch");
    expect(parseArgs(["run"])).toContain("usage:");
    expect(parseArgs(["shell", "a", "b"])).toContain("one script only");
  });

  it("splits a script into complete commands", () => {
    expect([...chunks("echo a\nif true; then\n echo b\nfi\necho c")]).toEqual([
      "echo a\n",
      "if true; then\n echo b\nfi\n",
      "echo c\n",
    ]);
  });

  it("joins a line ending in a backslash with the next", () => {
    expect([...chunks("echo a\\\nb\necho c\\\\\necho d")]).toEqual([
      "echo a\\\nb\n",
      "echo c\\\\\n",
      "echo d\n",
    ]);
  });

  it("keeps a here-document's body with its command", () => {
    expect([...chunks("cat <<EOF\nbody\nEOF\necho c")]).toEqual([
      "cat <<EOF\nbody\nEOF\n",
      "echo c\n",
    ]);
  });
});
