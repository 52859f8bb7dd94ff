// engine.ts (bench): simulated calls as the engine makes them (Machine.resolve: the entry site,
// then klp_ftrace_handler's decision, one crossing into the core), with 10,000 user tasks, half of
// them switched, during the patching transition of a livepatch on cmdline_proc_show; bodies are
// not executed.
import { bootPlayground } from "../modules/playground.ts";
import { type Metric, medianMs, plainMetric, seededRandom } from "./harness.ts";

const TASKS = 10_000;
const CALLS = 1_000_000;

/** The "engine" suite: engine_calls_per_s. */
export async function engineSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const { m, sh } = await bootPlayground({ core: coreBytes });
  const shell = m.shell; // the getter walks the task list
  const tasks = Array.from({ length: TASKS }, (_, i) => m.tasks.fork(shell, `worker${i}`));
  // Mid-transition: the workers are on other CPUs, so the stack check cannot switch them ("is
  // running"); then half of them return to user space and switch there.
  for (const t of tasks) m.core.tasks.setRunning(t.coreId, true);
  const r = sh.run("load_lp_nowait test_klp_livepatch");
  if (r.status !== 0) throw new Error(`engine bench: ${r.stderr}`);
  const rand = seededRandom(5);
  for (const t of tasks) if (rand() < 0.5) m.tasks.returnToUser(t);
  const states = tasks.map((t) => m.core.tasks.patchState(t.coreId));
  if (!states.includes(0) || !states.includes(1))
    throw new Error("engine bench: not mid-transition");
  const fn = m.fn("cmdline_proc_show");
  const other = m.fn("version_proc_show");
  const order = Uint32Array.from({ length: 4096 }, () => Math.floor(rand() * TASKS));
  let sink = 0;
  const ms = medianMs(() => {
    let s = 0;
    for (let i = 0; i < CALLS; i++) s += m.resolve(tasks[order[i & 4095]!]!, i & 3 ? fn : other);
    sink += s;
  });
  if (sink === 0) throw new Error("engine bench: no calls");
  return [plainMetric("engine_calls_per_s", CALLS / (ms / 1000), "calls/s")];
}
