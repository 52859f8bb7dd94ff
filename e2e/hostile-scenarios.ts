// hostile-scenarios.ts: scenarios whose embedded modules misbehave, for the workbench's tests
// (e2e/hostile.spec.ts opens them through a link; web/app/moduleErrors.test.ts runs them in Node).
// Module code is what a user could type into the module editor.
import type { Scenario } from "../scenarios/schema.ts";

const BASE: Pick<Scenario, "format" | "version" | "dramatises" | "semantics" | "arch" | "seed"> = {
  format: "klp-playground-scenario",
  version: 2,
  dramatises: [
    {
      repo: "torvalds/linux",
      path: "kernel/livepatch/core.c",
      commit: "2ef6765ccaab2c69470d7049d9a9bf6456a6e666",
    },
  ],
  semantics: "mainline",
  arch: "x86_64",
  seed: 1,
};

/** Reads the page's globals and the clock from inside the sandbox and prints what it saw. */
const PROBE = `import { pr_info } from "linux";
export default {
  init(): number {
    pr_info("globals: document=%s fetch=%s localStorage=%s performance=%s\\n",
      typeof document, typeof fetch, typeof localStorage, typeof performance);
    pr_info("clock: Date.now=%d new Date=%s\\n", Date.now(), new Date().toISOString());
    return 0;
  },
};
`;

/** A module whose init does `body` (bare page names: the sandbox strips types, it does not check them). */
const failingInit = (body: string) => `export default {
  init(): number {
    ${body}
    return 0;
  },
};
`;

/** A patched-in function that never returns, and a livepatch whose pre_patch never returns. */
const SPIN = `export function spin(): number {
  for (;;) {}
}
// Sorting natively between two interrupt polls: the budget is counted in polls, so only the
// sandbox's wall-clock backstop (5 s) ends it.
export function sort_forever(): number {
  const a = Array.from({ length: 500 }, (_, i) => (i * 7919) % 500);
  for (;;) a.sort();
}
export default {
  functions: [
    { name: "spin", size: 0x40, body: spin },
    { name: "sort_forever", size: 0x40, body: sort_forever },
  ],
};
`;
const SPIN_PATCH = `import { klp_enable_patch } from "linux";
export default {
  livepatch: true,
  init(): number {
    return klp_enable_patch({
      objs: [{ name: null, funcs: [], callbacks: { pre_patch(): number { for (;;) {} } } }],
    });
  },
};
`;

/** Globals and clocks probed, a page global read, memory eaten: three modules, three insmods. */
export function probeScenario(): Scenario {
  return {
    ...BASE,
    title: "Hostile module code: page globals, the host clock, memory",
    teaches: "Module code runs in a sandbox with no page, network, storage or host clock.",
    machine: { cpus: 2, tasks: [], livepatch_debug: false },
    modules: [
      { kind: "embedded", name: "lp_probe", source: PROBE },
      { kind: "embedded", name: "lp_h_document", source: failingInit("document.title = 'x';") },
      { kind: "embedded", name: "lp_h_perf", source: failingInit("performance.now();") },
      {
        kind: "embedded",
        name: "lp_eat",
        // 4 MiB at a time: the sandbox's 16 MiB limit is reached in a few allocations.
        source: failingInit(
          "const held: ArrayBuffer[] = [];\n    for (;;) held.push(new ArrayBuffer(4 << 20));",
        ),
      },
    ],
    script: [
      { at_ms: 5000, run: "insmod lp_probe.ko" },
      { at_ms: 6000, run: "insmod lp_h_document.ko" },
      { at_ms: 6500, run: "insmod lp_h_perf.ko" },
      { at_ms: 7000, run: "insmod lp_eat.ko" },
    ],
  };
}

/**
 * At 1 s, a kthread calls a module function that sorts forever (stopped by the 5 s wall-clock
 * backstop: the engine works for over 5 s on that one moment, whatever the machine's speed) and
 * `tasks` kthreads one that loops forever (each stopped by its budget); at 3 s a livepatch whose
 * pre_patch loops forever.
 */
export function spinScenario(tasks = 16): Scenario {
  return {
    ...BASE,
    title: "Hostile module code: endless loops",
    teaches: "Module code that never returns is interrupted; the task running it Oopses.",
    machine: {
      cpus: 2,
      tasks: [
        { comm: "sorter", every_ms: 1000, does: { call: "sort_forever" } },
        ...Array.from({ length: tasks }, (_, i) => ({
          comm: `spinner${i}`,
          every_ms: 1000,
          does: { call: "spin" },
        })),
      ],
      livepatch_debug: false,
    },
    modules: [
      { kind: "embedded", name: "lp_spin", source: SPIN },
      { kind: "embedded", name: "lp_spin_patch", source: SPIN_PATCH },
    ],
    script: [{ run: "insmod lp_spin.ko" }, { at_ms: 3000, run: "insmod lp_spin_patch.ko" }],
  };
}
