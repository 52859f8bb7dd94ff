import { describe, expect, it } from "vitest";
import type { Machine } from "../machine/machine.ts";
import { boot, klpLines, lpModule, stallModule } from "../testing/fixture.ts";
import { loggingStates, type StateSpec } from "../testing/proposed.ts";

const SEC = 1e9;
const sys = (name: string) => `/sys/kernel/livepatch/${name}`;

function statePatch(m: Machine, name: string, specs: StateSpec[], replace = false) {
  return lpModule(name, { states: loggingStates(m, specs), replace });
}

/** The state callbacks' and dtors' lines since `from` (the livepatch lines left out). */
const cbLines = (m: Machine, from: number) =>
  klpLines(m, from).filter((l) => !l.startsWith("livepatch"));

describe("proposed atomic replace", () => {
  it("keeping state 10 and adding 11 runs only 11's callbacks; 10's shadow survives (15.12)", async () => {
    const m = await boot({ semantics: "proposed" });
    m.modules.load(statePatch(m, "lp_state_a", [{ id: 10 }]));
    const shadow10 = m.klp.shadow.get(0, 10);
    let from = m.log.length;
    expect(m.modules.load(statePatch(m, "lp_state_b", [{ id: 10 }, { id: 11 }], true))).toBe(0);
    expect(cbLines(m, from)).toEqual(["lp_state_b: pre 11", "lp_state_b: post 11"]);
    expect(m.klp.shadow.get(0, 10)).toBe(shadow10);
    expect(m.vfs.exists(sys("lp_state_a"))).toBe(false);
    from = m.log.length;
    m.vfs.writeFile(`${sys("lp_state_b")}/enabled`, "0\n");
    expect(cbLines(m, from)).toEqual([
      "lp_state_b: pre_un 10",
      "lp_state_b: pre_un 11",
      "lp_state_b: post_un 10",
      "dtor: id 10",
      "lp_state_b: post_un 11",
      "dtor: id 11",
    ]);
  });

  it("dropping a state runs the replaced patch's own pre_unpatch and post_unpatch", async () => {
    const m = await boot({ semantics: "proposed" });
    m.modules.load(statePatch(m, "lp_state_a", [{ id: 10 }]));
    const from = m.log.length;
    expect(m.modules.load(statePatch(m, "lp_state_b", [{ id: 11 }], true))).toBe(0);
    expect(klpLines(m, from)).toEqual([
      "livepatch: enabling patch 'lp_state_b'",
      "livepatch: 'lp_state_b': initializing patching transition",
      "lp_state_b: pre 11",
      "lp_state_a: pre_un 10",
      "livepatch: 'lp_state_b': starting patching transition",
      "livepatch: 'lp_state_b': completing patching transition",
      "lp_state_a: post_un 10",
      "dtor: id 10",
      "lp_state_b: post 11",
      "livepatch: 'lp_state_b': patching complete",
    ]);
    expect(m.klp.shadow.get(0, 10)).toBe(0);
  });

  it("a reversed replace runs the replaced patches' post_patch again", async () => {
    const m = await boot({ semantics: "proposed" });
    m.modules.load(stallModule("lp_busy"));
    m.modules.load(statePatch(m, "lp_state_a", [{ id: 10 }]));
    const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
    const states = loggingStates(m, [{ id: 11 }]);
    const from = m.log.length;
    expect(m.modules.load(lpModule("lp_state_b", { objs, states, replace: true }))).toBe(0);
    expect(m.vfs.readFile(`${sys("lp_state_b")}/transition`)).toBe("1\n");
    m.sleep(2 * SEC);
    expect(m.vfs.writeFile(`${sys("lp_state_b")}/enabled`, "0\n")).toBe(0);
    m.sleep(2 * SEC);
    expect(klpLines(m, from).filter((l) => !l.includes("klp_try_switch_task"))).toEqual([
      "livepatch: enabling patch 'lp_state_b'",
      "livepatch: 'lp_state_b': initializing patching transition",
      "lp_state_b: pre 11",
      "lp_state_a: pre_un 10",
      "livepatch: 'lp_state_b': starting patching transition",
      "livepatch: 'lp_state_b': reversing transition from patching to unpatching",
      "livepatch: 'lp_state_b': starting unpatching transition",
      "livepatch: 'lp_state_b': completing unpatching transition",
      "lp_state_a: post 10",
      // No dtor: 11's shadow variable is made by post_patch, which never ran.
      "lp_state_b: post_un 11",
      "livepatch: 'lp_state_b': unpatching complete",
    ]);
    expect(m.vfs.readFile(`${sys("lp_state_a")}/enabled`)).toBe("1\n");
    expect(m.klp.shadow.get(0, 10)).toBeGreaterThan(0);
  });
});

describe("proposed shared states between parallel patches", () => {
  it("run callbacks only when the state is introduced and when it disappears", async () => {
    const m = await boot({ semantics: "proposed" });
    m.modules.load(statePatch(m, "lp_state_a", [{ id: 10 }]));
    let from = m.log.length;
    expect(m.modules.load(statePatch(m, "lp_state_b", [{ id: 10 }]))).toBe(0);
    expect(m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n")).toBe(0);
    expect(cbLines(m, from)).toEqual([]);
    expect(m.klp.shadow.get(0, 10)).toBeGreaterThan(0);
    from = m.log.length;
    expect(m.vfs.writeFile(`${sys("lp_state_b")}/enabled`, "0\n")).toBe(0);
    expect(cbLines(m, from)).toEqual([
      "lp_state_b: pre_un 10",
      "lp_state_b: post_un 10",
      "dtor: id 10",
    ]);
    expect(m.klp.shadow.get(0, 10)).toBe(0);
  });
});

describe("mainline is unchanged by proposed-model fields", () => {
  it("calls no state callback, allows disable, and keeps the version rule", async () => {
    const m = await boot();
    const specs = [{ id: 1, block_disable: true }];
    const states = loggingStates(m, specs).map((s) => ({ ...s, version: 1 }));
    const from = m.log.length;
    expect(m.modules.load(lpModule("lp_state_a", { states }))).toBe(0);
    // Mainline: a replace patch must carry every installed state id.
    expect(m.modules.load(lpModule("lp_state_b", { replace: true }))).toBe(-22);
    expect(m.vfs.writeFile(`${sys("lp_state_a")}/enabled`, "0\n")).toBe(0);
    expect(cbLines(m, from)).toEqual([]);
  });

  it("a replace lacking a state without block_disable is accepted in proposed only", async () => {
    const m = await boot({ semantics: "proposed" });
    m.modules.load(statePatch(m, "lp_state_a", [{ id: 1 }]));
    expect(m.modules.load(lpModule("lp_state_b", { replace: true }))).toBe(0);
  });
});
