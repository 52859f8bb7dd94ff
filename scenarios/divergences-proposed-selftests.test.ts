// divergences-proposed-selftests.test.ts: the divergences (engine/compare) of the proposed
// series' selftest scenarios (scenarios/selftests-proposed/) under mainline against proposed
// semantics and under x86_64 against arm64, named one by one (divergences.test.ts pins the rest
// of the library).
import { describe, expect, it } from "vitest";
import { libraryFiles } from "../cli/library-files.ts";
import { runInNode } from "../cli/node-run.ts";
import {
  compareScenario,
  type Configuration,
  type ScenarioRunner,
} from "../engine/compare/index.ts";
import { summarise } from "../engine/compare/summary.ts";
import { loadScenario } from "./load.ts";
import type { Scenario } from "./schema.ts";

const MAINLINE: Configuration = { semantics: "mainline" };
const PROPOSED: Configuration = { semantics: "proposed" };
const X86: Configuration = { arch: "x86_64" };
const ARM64: Configuration = { arch: "arm64" };

const files = libraryFiles().filter((f) => f.file.startsWith("selftests-proposed/"));

function scenario(text: string, file: string): Scenario {
  const s = loadScenario(text);
  if (!s.ok) throw new Error(`${file}: not loadable`);
  return s.value;
}

async function compare(s: Scenario, a: Configuration, b: Configuration) {
  const r = await compareScenario(s, a, b, runInNode as ScenarioRunner);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/**
 * Mainline against proposed (all others: none). The scenarios' modules are the series', run on
 * both machines; mainline's klp_state has no per-state callbacks, no is_shadow and no
 * block_disable, so every state callback and every state's shadow variable is proposed's only.
 * The -ENODEV case's pre_patch callback refuses the load only under proposed: under mainline the
 * patch loads, load_failing_mod fails and the script ends there. The test-livepatch, test-order and
 * test-sysfs cases use no states: none.
 */
const SEMANTICS: Record<string, string[]> = {
  "selftests-proposed/test-state-callbacks--livepatch-state-callbacks.json": [
    "4 callback only-b test_klp_speaker_livepatch/state 10/pre_patch",
    "4 callback only-b test_klp_speaker_livepatch/state 10/post_patch",
    "4 shadow only-b <0x0, a>",
    "6 callback only-b test_klp_speaker_livepatch/state 10/pre_unpatch",
    "6 callback only-b test_klp_speaker_livepatch/state 10/post_unpatch",
  ],
  "selftests-proposed/test-state-callbacks--failing-pre-patch-callback-with-enodev.json": [
    "4 refusal only-a step 4",
    "4 module differs test_klp_speaker_livepatch",
    "4 transition differs test_klp_speaker_livepatch",
    "4 callback only-b test_klp_speaker_livepatch/state 10/pre_patch",
    "4 site only-a speaker_welcome",
    "4 site only-a block_doors_func",
    "4 task-switch only-a ×8",
    "5 task only-b 13 cat",
    "6 module only-b test_klp_speaker",
    "6 task only-b 14 cat",
    "6 task only-b 15 rmmod",
  ],
  "selftests-proposed/test-state-callbacks--blocked-transition.json": [
    "4 callback only-b test_klp_speaker_livepatch/state 10/pre_patch",
    "4 shadow only-b <0x0, a>",
    "7 callback only-b test_klp_speaker_livepatch/state 10/post_unpatch",
  ],
  "selftests-proposed/test-state-callbacks--un-blocked-transition.json": [
    "4 callback only-b test_klp_speaker_livepatch/state 10/pre_patch",
    "4 shadow only-b <0x0, a>",
    "8 callback only-b test_klp_speaker_livepatch/state 10/post_patch",
    "10 callback only-b test_klp_speaker_livepatch/state 10/pre_unpatch",
    "10 callback only-b test_klp_speaker_livepatch/state 10/post_unpatch",
  ],
  "selftests-proposed/test-state-callbacks--blocked-disable-transition.json": [
    "2 callback only-b test_klp_speaker_livepatch/state 10/pre_patch",
    "2 callback only-b test_klp_speaker_livepatch/state 10/post_patch",
    "2 shadow only-b <0x0, a>",
    "5 callback only-b test_klp_speaker_livepatch/state 10/pre_unpatch",
    "9 callback only-b test_klp_speaker_livepatch/state 10/post_unpatch",
  ],
  "selftests-proposed/test-state-callbacks--multiple-livepatches-in-parallel.json": [
    "4 callback only-b test_klp_speaker_livepatch/state 10/pre_patch",
    "4 callback only-b test_klp_speaker_livepatch/state 10/post_patch",
    "4 shadow only-b <0x0, a>",
    "6 callback only-b test_klp_speaker_livepatch2/state 11/pre_patch",
    "6 callback only-b test_klp_speaker_livepatch2/state 11/post_patch",
    "6 shadow only-b <0x0, b>",
    "8 callback only-b test_klp_speaker_livepatch2/state 11/pre_unpatch",
    "8 callback only-b test_klp_speaker_livepatch2/state 11/post_unpatch",
    "11 callback only-b test_klp_speaker_livepatch/state 10/pre_unpatch",
    "11 callback only-b test_klp_speaker_livepatch/state 10/post_unpatch",
  ],
  "selftests-proposed/test-state-callbacks--atomic-replace.json": [
    "4 callback only-b test_klp_speaker_livepatch/state 10/pre_patch",
    "4 callback only-b test_klp_speaker_livepatch/state 10/post_patch",
    "4 shadow only-b <0x0, a>",
    "6 callback only-b test_klp_speaker_livepatch2/state 11/pre_patch",
    "6 callback only-b test_klp_speaker_livepatch2/state 11/post_patch",
    "6 shadow only-b <0x0, b>",
    "9 callback only-b test_klp_speaker_livepatch2/state 10/pre_unpatch",
    "9 callback only-b test_klp_speaker_livepatch2/state 11/pre_unpatch",
    "9 callback only-b test_klp_speaker_livepatch2/state 10/post_unpatch",
    "9 callback only-b test_klp_speaker_livepatch2/state 11/post_unpatch",
  ],
  "selftests-proposed/test-state--system-state-modification.json": [
    "2 callback only-b test_klp_state/state 1/pre_patch",
    "2 callback only-b test_klp_state/state 1/post_patch",
    "2 shadow only-b <0x3f0040, 1>",
    "3 callback only-b test_klp_state/state 1/pre_unpatch",
    "3 callback only-b test_klp_state/state 1/post_unpatch",
  ],
  "selftests-proposed/test-state--taking-over-system-state-modification.json": [
    "2 callback only-b test_klp_state/state 1/pre_patch",
    "2 callback only-b test_klp_state/state 1/post_patch",
    "2 shadow only-b <0x3f0040, 1>",
    "5 callback only-b test_klp_state2/state 1/pre_unpatch",
    "5 callback only-b test_klp_state2/state 1/post_unpatch",
  ],
  "selftests-proposed/test-state--compatible-cumulative-livepatches.json": [
    "2 callback only-b test_klp_state2/state 1/pre_patch",
    "2 callback only-b test_klp_state2/state 1/post_patch",
    "2 shadow only-b <0x3f0040, 1>",
    "6 callback only-b test_klp_state2/state 1/pre_unpatch",
    "6 callback only-b test_klp_state2/state 1/post_unpatch",
  ],
  "selftests-proposed/test-state--incompatible-cumulative-livepatches.json": [
    "2 callback only-b test_klp_state2/state 1/pre_patch",
    "2 callback only-b test_klp_state2/state 1/post_patch",
    "2 shadow only-b <0x3f0040, 1>",
    "6 callback only-b test_klp_state/state 1/pre_unpatch",
    "6 callback only-b test_klp_state/state 1/post_unpatch",
  ],
};

/** x86_64 against arm64: entry-site bytes only, per step and function (all others: none). */
const ARCHES: Record<string, string[]> = {
  "selftests-proposed/test-livepatch--basic-function-patching.json": [
    "2 site differs cmdline_proc_show",
    "4 site differs cmdline_proc_show",
  ],
  "selftests-proposed/test-livepatch--multiple-livepatches.json": [
    "2 site differs cmdline_proc_show",
    "5 site differs meminfo_proc_show",
    "8 site differs meminfo_proc_show",
    "12 site differs cmdline_proc_show",
  ],
  "selftests-proposed/test-livepatch--atomic-replace-livepatch.json": [
    "2 site differs cmdline_proc_show",
    "5 site only-b __arm64_sys_getpid",
    "5 site only-a __x64_sys_getpid",
    "8 site differs meminfo_proc_show",
    "8 site differs cmdline_proc_show",
    "8 site only-b __arm64_sys_getpid",
    "8 site only-a __x64_sys_getpid",
    "17 site differs meminfo_proc_show",
  ],
  "selftests-proposed/test-order--module-enable-disable-livepatch.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "7 site differs speaker_welcome",
    "7 site differs block_doors_func",
  ],
  "selftests-proposed/test-order--module-coming-hook.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "7 site differs speaker_welcome",
    "7 site differs block_doors_func",
  ],
  "selftests-proposed/test-order--module-going-hook.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "7 site differs speaker_welcome",
    "7 site differs block_doors_func",
  ],
  "selftests-proposed/test-order--module-coming-and-going-hooks.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "7 site differs speaker_welcome",
    "7 site differs block_doors_func",
  ],
  "selftests-proposed/test-order--multiple-target-modules.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "8 site differs speaker_welcome",
    "8 site differs block_doors_func",
    "12 site differs speaker_welcome",
    "12 site differs block_doors_func",
    "15 site differs speaker_welcome",
    "15 site differs block_doors_func",
  ],
  "selftests-proposed/test-state-callbacks--livepatch-state-callbacks.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "6 site differs speaker_welcome",
    "6 site differs block_doors_func",
  ],
  "selftests-proposed/test-state-callbacks--blocked-transition.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "7 site differs speaker_welcome",
    "7 site differs block_doors_func",
  ],
  "selftests-proposed/test-state-callbacks--un-blocked-transition.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "10 site differs speaker_welcome",
    "10 site differs block_doors_func",
  ],
  "selftests-proposed/test-state-callbacks--blocked-disable-transition.json": [
    "3 site differs speaker_welcome",
    "3 site differs block_doors_func",
    "9 site differs speaker_welcome",
    "9 site differs block_doors_func",
  ],
  "selftests-proposed/test-state-callbacks--multiple-livepatches-in-parallel.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "11 site differs speaker_welcome",
    "11 site differs block_doors_func",
  ],
  "selftests-proposed/test-state-callbacks--atomic-replace.json": [
    "4 site differs speaker_welcome",
    "4 site differs block_doors_func",
    "9 site differs speaker_welcome",
    "9 site differs block_doors_func",
  ],
  "selftests-proposed/test-sysfs--sysfs-test.json": [
    "2 site differs cmdline_proc_show",
    "12 site differs cmdline_proc_show",
  ],
  "selftests-proposed/test-sysfs--sysfs-test-object-patched.json": [
    "6 site differs speaker_welcome",
    "6 site differs block_doors_func",
    "8 site differs speaker_welcome",
    "8 site differs block_doors_func",
  ],
  "selftests-proposed/test-sysfs--sysfs-test-replace-enabled.json": [
    "3 site differs meminfo_proc_show",
    "6 site differs meminfo_proc_show",
  ],
  "selftests-proposed/test-sysfs--sysfs-test-replace-disabled.json": [
    "2 site differs meminfo_proc_show",
    "5 site differs meminfo_proc_show",
  ],
};

describe("proposed selftests: the tables name only scenarios that exist", () => {
  it("every pinned file is a selftests-proposed scenario", () => {
    const names = new Set(files.map((f) => f.file));
    expect(files.length).toBeGreaterThan(0);
    for (const k of [...Object.keys(SEMANTICS), ...Object.keys(ARCHES)])
      expect(names, k).toContain(k);
  });
});

describe("proposed selftests: mainline against proposed", () => {
  for (const f of files) {
    it(f.file, async () => {
      const c = await compare(scenario(f.text, f.file), MAINLINE, PROPOSED);
      expect(summarise(c.divergences)).toEqual(SEMANTICS[f.file] ?? []);
      // The series' per-state callbacks exist only under proposed.
      for (const d of c.divergences.filter((x) => x.kind === "callback"))
        expect(d.change, d.subject).toBe("only-b");
    });
  }
});

describe("proposed selftests: x86_64 against arm64", () => {
  for (const f of files) {
    it(f.file, async () => {
      const c = await compare(scenario(f.text, f.file), X86, ARM64);
      expect(summarise(c.divergences)).toEqual(ARCHES[f.file] ?? []);
      for (const d of c.divergences) {
        // x86 pokes five bytes through int3; arm64 with CALL_OPS stores the ops literal, then the
        // instruction word (one event each, both showing the 4-byte site).
        expect(d.a.every((e) => e.kind === "site" && e.bytes.split(" ").length === 5)).toBe(true);
        const words = d.b.map((e) => e.kind === "site" && e.bytes.split(" ").length);
        expect(words).toEqual(d.change === "only-a" ? [] : [4, 4]);
      }
    });
  }
});
