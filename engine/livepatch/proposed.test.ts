import { describe, expect, it } from "vitest";
import type { Machine } from "../machine/machine.ts";
import { boot, klpLines, lpModule, stallModule } from "../testing/fixture.ts";
import { loggingStates, type StateSpec } from "../testing/proposed.ts";

const SEC = 1e9;
const ENODEV = 19;
const EINVAL = 22;
const sys = (name: string) => `/sys/kernel/livepatch/${name}`;

function statePatch(m: Machine, name: string, specs: StateSpec[], replace = false) {
  return lpModule(name, { states: loggingStates(m, specs), replace });
}

/** A machine running the proposed series. */
const proposed = () => boot({ semantics: "proposed" });

describe("proposed per-state callbacks", () => {
  it("run at enable and disable; the shadow variable goes after post_unpatch (15.9)", async () => {
    const m = await proposed();
    const from = m.log.length;
    expect(m.modules.load(statePatch(m, "lp_state_a", [{ id: 10 }]))).toBe(0);
    expect(m.klp.shadow.get(0, 10)).toBeGreaterThan(0);
    expect(m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n")).toBe(0);
    expect(m.klp.shadow.get(0, 10)).toBe(0);
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_state_a'",
      "livepatch: 'lp_state_a': initializing patching transition",
      "lp_state_a: pre 10",
      "livepatch: 'lp_state_a': starting patching transition",
      "livepatch: 'lp_state_a': completing patching transition",
      "lp_state_a: post 10",
      "livepatch: 'lp_state_a': patching complete",
      "livepatch: 'lp_state_a': initializing unpatching transition",
      "lp_state_a: pre_un 10",
      "livepatch: 'lp_state_a': starting unpatching transition",
      "livepatch: 'lp_state_a': completing unpatching transition",
      "lp_state_a: post_un 10",
      "dtor: id 10",
      "livepatch: 'lp_state_a': unpatching complete",
    ]);
  });

  it("emit callback events with their pairing and a shadow free", async () => {
    const m = await proposed();
    const seq0 = m.events.since().length;
    m.modules.load(statePatch(m, "lp_state_a", [{ id: 10 }]));
    m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n");
    const evs = m.events
      .since()
      .slice(seq0)
      .filter((e) => e.kind === "callback" || (e.kind === "shadow" && e.op === "free"));
    expect(
      evs.map((e) => {
        if (e.kind === "callback") return [e.callback, e.pairsWith, e.state];
        return e.kind === "shadow" ? [e.op, e.id] : [];
      }),
    ).toEqual([
      ["pre_patch", null, 10],
      ["post_patch", null, 10],
      ["pre_unpatch", "post_patch", 10],
      ["post_unpatch", "pre_patch", 10],
      ["free", 10],
    ]);
  });

  it("keep array order: pre_unpatch 10, 11, then post_unpatch and dtor per state", async () => {
    const m = await proposed();
    m.modules.load(statePatch(m, "lp_state_a", [{ id: 10 }, { id: 11 }]));
    const from = m.log.length;
    m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n");
    expect(klpLines(m, from).filter((l) => !l.startsWith("livepatch"))).toEqual([
      "lp_state_a: pre_un 10",
      "lp_state_a: pre_un 11",
      "lp_state_a: post_un 10",
      "dtor: id 10",
      "lp_state_a: post_un 11",
      "dtor: id 11",
    ]);
  });

  it("a failing pre_patch refuses the module; earlier states get post_unpatch (15.10)", async () => {
    const m = await proposed();
    const from = m.log.length;
    const def = statePatch(m, "lp_state_a", [{ id: 10 }, { id: 11, preRet: -ENODEV }, { id: 12 }]);
    expect(m.modules.load(def)).toBe(-ENODEV);
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_state_a'",
      "livepatch: 'lp_state_a': initializing patching transition",
      "lp_state_a: pre 10",
      "lp_state_a: pre 11",
      "livepatch: failed to enable patch 'lp_state_a'",
      "livepatch: 'lp_state_a': canceling patching transition, going to unpatch",
      "livepatch: 'lp_state_a': completing unpatching transition",
      "lp_state_a: post_un 10",
      "livepatch: 'lp_state_a': unpatching complete",
    ]);
    expect(m.vfs.exists(sys("lp_state_a"))).toBe(false);
  });

  it("a reversed patching transition runs only post_unpatch of introduced states (15.11)", async () => {
    const m = await proposed();
    m.modules.load(stallModule("lp_busy"));
    const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
    const states = loggingStates(m, [{ id: 10 }]);
    const from = m.log.length;
    expect(m.modules.load(lpModule("lp_state_a", { objs, states }))).toBe(0);
    m.sleep(2 * SEC);
    expect(m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n")).toBe(0);
    m.sleep(2 * SEC);
    expect(klpLines(m, from).filter((l) => !l.includes("klp_try_switch_task"))).toEqual([
      "livepatch: enabling patch 'lp_state_a'",
      "livepatch: 'lp_state_a': initializing patching transition",
      "lp_state_a: pre 10",
      "livepatch: 'lp_state_a': starting patching transition",
      "livepatch: 'lp_state_a': reversing transition from patching to unpatching",
      "livepatch: 'lp_state_a': starting unpatching transition",
      "livepatch: 'lp_state_a': completing unpatching transition",
      "lp_state_a: post_un 10",
      "livepatch: 'lp_state_a': unpatching complete",
    ]);
  });

  it("run nothing when a target module comes or goes", async () => {
    const m = await proposed();
    const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
    const states = loggingStates(m, [{ id: 10 }]);
    // The replacement sleeps too: a kthread body that never sleeps would never yield.
    m.modules.load(lpModule("lp_state_a", { objs, states, sleepMs: 10 }));
    const from = m.log.length;
    expect(m.modules.load(stallModule("lp_busy", 10))).toBe(0);
    m.vfs.writeFile("/sys/module/lp_busy/parameters/block", "N\n");
    m.sleep(SEC);
    expect(m.modules.unload("lp_busy")).toBe(0);
    const lines = klpLines(m, from);
    expect(lines).toContain("livepatch: applying patch 'lp_state_a' to loading module 'lp_busy'");
    expect(lines).toContain(
      "livepatch: reverting patch 'lp_state_a' on unloading module 'lp_busy'",
    );
    expect(lines.filter((l) => l.startsWith("lp_state_a:"))).toEqual([]);
  });

  it("ignore per-object callbacks on a proposed machine (19/19)", async () => {
    const m = await proposed();
    const said: string[] = [];
    const cbs = {
      pre_patch: () => (said.push("pre"), -ENODEV),
      post_patch: () => said.push("post"),
    };
    const def = lpModule("lp_state_a", { objs: [{ name: null, funcs: [], callbacks: cbs }] });
    expect(m.modules.load(def)).toBe(0);
    expect(said).toEqual([]);
  });
});

describe("block_disable (15.13)", () => {
  it("refuses disable, and a replace that drops the state; one carrying it takes over", async () => {
    const m = await proposed();
    expect(
      m.modules.load(statePatch(m, "lp_state_a", [{ id: 1, block_disable: true }], true)),
    ).toBe(0);
    let from = m.log.length;
    expect(m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n")).toBe(-EINVAL);
    expect(klpLines(m, from)).toEqual([
      "livepatch: The livepatch 'lp_state_a' does not support disable",
    ]);
    from = m.log.length;
    expect(m.modules.load(statePatch(m, "lp_state_b", [], true))).toBe(-EINVAL);
    expect(klpLines(m, from)).toEqual([
      "livepatch: Livepatch patch (lp_state_b) is not compatible with the already installed livepatches.",
    ]);
    // A non-replace patch is never checked.
    expect(m.modules.load(statePatch(m, "lp_state_c", []))).toBe(0);
    from = m.log.length;
    expect(m.modules.load(statePatch(m, "lp_state_d", [{ id: 1 }], true))).toBe(0);
    expect(klpLines(m, from).filter((l) => !l.startsWith("livepatch"))).toEqual([]);
    expect(m.vfs.exists(sys("lp_state_a"))).toBe(false);
    expect(m.vfs.writeFile(`${sys("lp_state_d")}/enabled`, "0\n")).toBe(0);
    expect(m.klp.shadow.get(0, 1)).toBe(0);
  });

  it("refuses reversing the patch's own patching transition", async () => {
    const m = await proposed();
    m.modules.load(stallModule("lp_busy"));
    const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
    const states = loggingStates(m, [{ id: 1, block_disable: true }]);
    m.modules.load(lpModule("lp_state_a", { objs, states }));
    expect(m.vfs.readFile(`${sys("lp_state_a")}/transition`)).toBe("1\n");
    expect(m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n")).toBe(-EINVAL);
    expect(m.log.lines().at(-1)).toBe(
      "livepatch: The livepatch 'lp_state_a' does not support disable",
    );
    expect(m.vfs.readFile(`${sys("lp_state_a")}/enabled`)).toBe("1\n");
  });
});
