// compare.test.ts: the two teaching cases the library does not hold yet (a shadow variable the
// proposed model frees with its state and mainline leaks; a block_disable state refusing the
// disable and so the rmmod), built from one host-side module that carries both models' fields
// (each machine reads only its own), and the alignment of events to script steps. The library's
// scenarios are compared in scenarios/divergences.test.ts.
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../cli/node-run.ts";
import { builtinRunOptions } from "../../modules/scenario-options.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import type { ModuleDef } from "../machine/module.ts";
import { runScenario } from "../scenario/run.ts";
import { lpModule } from "../testing/fixture.ts";
import { compareScenario, divergences, type Configuration, type ScenarioRunner } from "./index.ts";
import { summarise } from "./summary.ts";

const MAINLINE: Configuration = { semantics: "mainline" };
const PROPOSED: Configuration = { semantics: "proposed" };

async function compare(s: Scenario, a: Configuration, b: Configuration, run: ScenarioRunner) {
  const r = await compareScenario(s, a, b, run);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

// A livepatch whose module init allocates a shadow variable <0x5000, 7> and declares state 7 with
// is_shadow (and block_disable when asked): the proposed core frees the variable when the state
// disappears; mainline has neither field, so the variable outlives the patch (the author was to
// free it, in post_unpatch or module exit).
const SHADOW_OBJ = 0x5000;
const STATE_ID = 7;

function shadowStatePatch(blockDisable: boolean): () => ModuleDef {
  return () => {
    const lp = lpModule("lp_shadow_state", {
      states: [{ id: STATE_ID, is_shadow: true, block_disable: blockDisable }],
    });
    return {
      ...lp,
      init: (ctx) => {
        ctx.m.klp.shadow.alloc(SHADOW_OBJ, STATE_ID, 4);
        return lp.init!(ctx);
      },
    };
  };
}

function stateScenario(): Scenario {
  const sys = "/sys/kernel/livepatch/lp_shadow_state";
  return {
    format: "klp-playground-scenario",
    version: 2,
    title: "shadow variable with a state",
    teaches: "test only",
    dramatises: [],
    semantics: "mainline",
    arch: "x86_64",
    seed: 1,
    machine: { cpus: 2, tasks: [], livepatch_debug: true },
    modules: [{ kind: "builtin", name: "lp_shadow_state", sha256: "0".repeat(64) }],
    script: [
      { run: "insmod lp_shadow_state.ko" },
      { at_ms: 2000, run: `echo 0 > ${sys}/enabled` },
      { at_ms: 4000, run: "rmmod lp_shadow_state" },
    ],
  } as Scenario;
}

function runnerWith(def: () => ModuleDef): ScenarioRunner {
  const opts = builtinRunOptions(coreWasm());
  const builtins: typeof opts.builtins = (semantics) => {
    const tree = opts.builtins(semantics);
    return {
      names: new Set([...tree.names, "lp_shadow_state"]),
      repository: (name, m) => (name === "lp_shadow_state" ? def() : tree.repository(name, m)),
      sha256: (name) => (name === "lp_shadow_state" ? "0".repeat(64) : tree.sha256(name)),
    };
  };
  return (s, over) => runScenario(s, { ...opts, builtins, ...over });
}

describe("states: what the library does not hold yet", () => {
  it("is_shadow: proposed frees the shadow variable with its state, mainline leaks it", async () => {
    const c = await compare(
      stateScenario(),
      MAINLINE,
      PROPOSED,
      runnerWith(shadowStatePatch(false)),
    );
    expect(summarise(c.divergences)).toEqual(["1 shadow freed-only-b <0x5000, 7>"]);
    const [d] = c.divergences;
    expect(d!.a.map((e) => e.kind === "shadow" && e.op)).toEqual(["alloc"]);
    expect(d!.b.map((e) => e.kind === "shadow" && e.op)).toEqual(["alloc", "free"]);
  });

  it("block_disable: proposed refuses the disable and so the rmmod", async () => {
    const c = await compare(
      stateScenario(),
      MAINLINE,
      PROPOSED,
      runnerWith(shadowStatePatch(true)),
    );
    expect(summarise(c.divergences)).toEqual([
      "1 refusal only-b step 1",
      "1 transition only-a lp_shadow_state",
      "1 site only-a cmdline_proc_show",
      "1 task-switch only-a ×7",
      "2 refusal only-b step 2",
      "2 module only-a lp_shadow_state",
    ]);
    const refused = c.divergences[0]!.outcome!;
    expect(refused.a).toEqual({ status: 0, stderr: "" });
    expect(refused.b.stderr).toMatch(/write error: Invalid argument/);
  });
});

describe("alignment", () => {
  it("a step owns its events up to the next step's first; the setup is step -1", () => {
    const ev = (seq: number) => ({
      kind: "shadow" as const,
      op: "alloc" as const,
      obj: seq,
      id: 1,
      seq,
      tNs: seq,
    });
    const side = (n: number) => ({
      events: [ev(0), ev(1), ev(2), ev(3)].slice(0, n),
      steps: [
        { index: 0, firstSeq: 1, status: 0, stderr: "" },
        { index: 2, firstSeq: 3, status: 0, stderr: "" },
      ],
    });
    expect(summarise(divergences(side(4), side(4)))).toEqual([]);
    // The variable allocated by step 2 exists only in side a.
    expect(summarise(divergences(side(4), side(3)))).toEqual(["2 shadow only-a <0x3, 1>"]);
  });
});
