// virtual.ts (bench): how many virtual seconds the machine simulates per wall-clock second in a
// heavy transition: 100,000 user tasks each call a patched function every 100 ms and return to user
// space every second; 1% sleep uninterruptibly inside it, so the transition stays open and the
// retries (with the fake signals at 15 s) run for the whole measured span of 30 virtual seconds.
import { performance } from "node:perf_hooks";
import { done, type KCode, msleep } from "../engine/machine/kcode.ts";
import { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import type { Task } from "../engine/machine/task.ts";
import { median, plainMetric, type Metric } from "./harness.ts";

const TASKS = Number(process.env.KLP_BENCH_TASKS ?? 100_000);
const SPAN_NS = 30e9;
const RUNS = Number(process.env.KLP_BENCH_VIRTUAL_RUNS ?? 3);

const target: ModuleDef = {
  name: "bench_target",
  functions: [
    {
      name: "bench_work",
      size: 0x80,
      // The 1% park inside the function; everyone else passes through.
      body: (_m, _t, arg) => (arg === "park" ? parked() : done(0)),
    },
  ],
};

function* parked(): KCode {
  for (;;) yield msleep(3_600_000);
}

const patch: ModuleDef = {
  name: "bench_patch",
  livepatch: true,
  functions: [{ name: "bench_work_new", size: 0x80, body: () => done(1) }],
  init: (ctx) =>
    ctx.klpEnablePatch({
      objs: [
        { name: "bench_target", funcs: [{ old_name: "bench_work", new_func: "bench_work_new" }] },
      ],
    }),
};

/** A user task's life: ten calls 100 ms apart, then back to user space, again and again. */
function* worker(m: Machine, t: Task, fn: number, park: boolean): KCode {
  if (park) return yield* m.call(t, fn, "park");
  for (let i = 0; i < 10; i++) {
    yield* m.call(t, fn);
    yield msleep(100);
  }
  return 0;
}

function loop(m: Machine, t: Task, fn: number, park: boolean): void {
  m.tasks.start(t, worker(m, t, fn, park));
  if (!park) m.sched.after(1e9, () => loop(m, t, fn, false));
}

async function once(coreBytes: Uint8Array): Promise<number> {
  const m = await Machine.create({ core: coreBytes });
  if (m.modules.load(target) !== 0) throw new Error("virtual bench: target");
  const fn = m.modules.get("bench_target")!.symbols[0]!.id;
  const shell = m.shell; // the getter walks the task list: once, not per fork
  for (let i = 0; i < TASKS; i++) loop(m, m.tasks.fork(shell, `w${i}`), fn, i % 100 === 0);
  if (m.modules.load(patch) !== 0) throw new Error("virtual bench: patch");
  const t0 = performance.now();
  m.runUntil(m.clock.nowNs() + SPAN_NS);
  const wall = performance.now() - t0;
  if (!m.log.lines().some((l) => l.includes("signaling remaining tasks"))) {
    throw new Error("virtual bench: the transition never reached the fake signals");
  }
  return SPAN_NS / 1e9 / (wall / 1000);
}

/** The "virtual" suite: engine_virtual_s_per_s (fewer runs: each simulates 30 s of 100k tasks). */
export async function virtualSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) rates.push(await once(coreBytes));
  return [plainMetric("engine_virtual_s_per_s", median(rates), "virtual s/s")];
}
