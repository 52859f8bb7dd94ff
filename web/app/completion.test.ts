// completion.test.ts: Tab completion from the machine's view: commands, modules, sysfs paths.
import { describe, expect, it } from "vitest";
import type { MachineView } from "../../engine/scenario/view.ts";
import { complete } from "./completion.ts";

const view = {
  patches: [{ name: "livepatch_sample" }],
  modules: [{ name: "livepatch_sample" }, { name: "test_klp_mod" }],
  tasks: [{ pid: 42 }],
} as unknown as MachineView;

describe("complete", () => {
  it("completes commands, then module names and paths", () => {
    expect(complete("rmm", view, null)).toEqual({ line: "rmmod ", options: ["rmmod"] });
    expect(complete("rmmod test", view, null).line).toBe("rmmod test_klp_mod ");
    expect(complete("rmmod ", view, null).options).toEqual(["livepatch_sample", "test_klp_mod"]);
    expect(complete("cat /sys/kernel/livepatch/live", view, null).line).toBe(
      "cat /sys/kernel/livepatch/livepatch_sample/",
    );
    expect(complete("cat /proc/4", view, null).line).toBe("cat /proc/42/patch_state ");
    expect(complete("zz", view, null)).toEqual({ line: "zz", options: [] });
    // The shell's own commands too, with the ones it gained.
    expect(complete("un", view, null).options).toEqual(["uname", "uniq", "unset"]);
    expect(complete("dif", view, null).line).toBe("diff ");
  });
});
