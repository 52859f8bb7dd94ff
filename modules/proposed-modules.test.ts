// proposed-modules.test.ts: the proposed tree's test modules beyond what its selftests check:
// each semantics offers its own tree's modules, the speaker's block_doors refuses a value it
// already has, speaker2 greets with its id, and a block_disable state refuses a disable.
import { describe, expect, it } from "vitest";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import { moduleTree } from "./index.ts";
import { PROPOSED_SOURCES } from "./sources.ts";
import { bootPlayground } from "./playground.ts";

const proposed = async () => bootPlayground({ core: await coreBytes(), semantics: "proposed" });
const lines = (m: { log: { lines(from?: number): string[] } }, from: number) =>
  m.log.lines(from).filter((l) => !l.includes("taint"));

describe("the module repository follows the semantics", () => {
  it("offers each tree's own test modules", () => {
    const main = moduleTree("mainline");
    const prop = moduleTree("proposed");
    expect(main.names.has("test_klp_speaker")).toBe(false);
    expect(prop.names.has("test_klp_speaker")).toBe(true);
    expect(prop.names.has("test_klp_callbacks_demo")).toBe(false);
    // Unchanged modules are the same source in both trees; test_klp_state is the series' own.
    for (const n of ["test_klp_mod_target", "test_klp_livepatch"]) {
      expect(main.sources.has(n) && prop.sources.has(n)).toBe(true);
    }
    expect(prop.sources.get("test_klp_livepatch")).toBe(main.sources.get("test_klp_livepatch"));
    expect(prop.sources.get("test_klp_state")).toBe(PROPOSED_SOURCES.get("test_klp_state"));
    expect(prop.sources.get("test_klp_state")).not.toBe(main.sources.get("test_klp_state"));
    expect(prop.sources.get("test_klp_state")).toMatch(/state_block_disable[\s\S]*no_state/);
  });

  it("insmod finds a proposed module only on a proposed machine", async () => {
    const { sh } = await bootPlayground({ core: await coreBytes() });
    expect(sh.run("insmod test_modules/test_klp_speaker.ko").stderr).toBe(
      "insmod: ERROR: could not load module test_modules/test_klp_speaker.ko: No such file or directory\n",
    );
  });
});

describe("test_klp_speaker", () => {
  it("block_doors refuses the value it has: EBUSY when blocking, EINVAL when not", async () => {
    const { sh, m } = await proposed();
    sh.run("insmod test_modules/test_klp_speaker.ko");
    const p = "/sys/module/test_klp_speaker/parameters/block_doors";
    const from = m.log.length;
    expect(sh.run(`echo 0 > ${p}`).stderr).toBe("bash: echo: write error: Invalid argument\n");
    expect(sh.run(`echo 1 > ${p}; echo 1 > ${p}`).stderr).toBe(
      "bash: echo: write error: Device or resource busy\n",
    );
    sh.run(`cat ${p}; rmmod test_klp_speaker`);
    expect(lines(m, from)).toEqual([
      "test_klp_speaker: block_doors_set: The doors are not being blocked.",
      "test_klp_speaker: block_doors_func: Going to block doors.",
      "test_klp_speaker: do_block_doors: Started blocking doors.",
      "test_klp_speaker: block_doors_set: The doors are already blocked.",
      "test_klp_speaker: The doors are blocked.",
      // Unloading stops the blocking worker silently.
      "test_klp_speaker: test_klp_speaker_exit",
    ]);
    expect(m.tasks.all().some((t) => t.comm.startsWith("kworker/0:1"))).toBe(false);
  });

  it("speaker2 carries its id in the greeting and the door message", async () => {
    const { sh, m } = await proposed();
    const from = m.log.length;
    sh.run("insmod test_modules/test_klp_speaker2.ko block_doors=1");
    sh.run("cat /sys/module/test_klp_speaker2/parameters/welcome");
    sh.run("echo 0 > /sys/module/test_klp_speaker2/parameters/block_doors");
    expect(lines(m, from)).toEqual([
      "test_klp_speaker2: block_doors_func: Going to block doors(2).",
      "test_klp_speaker2: do_block_doors: Started blocking doors.",
      "test_klp_speaker2: test_klp_speaker_init",
      "test_klp_speaker2: speaker_welcome(2): Hello, World!",
      "test_klp_speaker2: do_block_doors: Stopped blocking doors.",
      "test_klp_speaker2: speaker_welcome(2): Hello, World! <--- from blocked doors",
    ]);
  });
});

describe("test_klp_state (proposed)", () => {
  it("a block_disable state refuses the disable", async () => {
    const { sh, m } = await proposed();
    sh.run("insmod test_modules/test_klp_state2.ko state_block_disable=1");
    const from = m.log.length;
    const r = sh.run("echo 0 > /sys/kernel/livepatch/test_klp_state2/enabled");
    expect(r.stderr).toBe("bash: echo: write error: Invalid argument\n");
    expect(lines(m, from)).toEqual([
      "livepatch: The livepatch 'test_klp_state2' does not support disable",
    ]);
    expect(sh.run("cat /sys/kernel/livepatch/test_klp_state2/enabled").stdout).toBe("1\n");
  });
});

describe("samples/livepatch speaker (proposed tree)", () => {
  it("livepatch-speaker-fix improves livepatch-speaker-mod's greeting with an applause", async () => {
    const { sh, m } = await proposed();
    const from = m.log.length;
    const welcome = "cat /sys/module/livepatch_speaker_mod/parameters/welcome";
    sh.run(`insmod livepatch-speaker-mod.ko; insmod livepatch-speaker-fix.ko applause=1`);
    sh.run(welcome);
    sh.run("echo 0 > /sys/kernel/livepatch/livepatch_speaker_fix/enabled; sleep 1");
    sh.run(`${welcome}; rmmod livepatch_speaker_fix; rmmod livepatch_speaker_mod`);
    const own = lines(m, from).filter((l) => !l.startsWith("livepatch:"));
    expect(own).toEqual([
      "livepatch_speaker_mod: livepatch_speaker_mod_init",
      "livepatch_speaker_fix: applause_pre_patch_callback: state 10",
      "livepatch_speaker_fix: applause_post_patch_callback: state 10",
      "livepatch_speaker_fix: lp_speaker_welcome: [APPLAUSE] Ladies and gentleman, ...",
      "livepatch_speaker_fix: applause_pre_unpatch_callback: state 10",
      "livepatch_speaker_fix: applause_post_unpatch_callback: state 10 (nope)",
      "livepatch_speaker_fix: applause_shadow_dtor: freeing applause [] (nope)",
      "livepatch_speaker_mod: speaker_welcome: Hello, World!",
      "livepatch_speaker_mod: livepatch_speaker_mod_exit",
    ]);
  });
});
