// engine-sandbox.ts (bench): engine_sandbox_calls_per_s, the engine bench's calls with the body
// executed: 10,000 user tasks mid-transition of a livepatch of cmdline_proc_show written as module
// source; every call is made by a task already switched, so it goes through the entry site and
// klp_ftrace_handler into the replacement, which runs in the module's QuickJS sandbox
// (seq_printf back into the host's seq_file).
import { loadSandboxedModule } from "../engine/sandbox/moduleLoader.ts";
import { bootPlayground } from "../modules/playground.ts";
import { type Metric, medianMs, plainMetric, seededRandom } from "./harness.ts";

const TASKS = 10_000;
const CALLS = 20_000;

const PATCH = `
  import { klp_enable_patch, seq_printf } from "linux";
  function bench_cmdline_proc_show(m: number): number { seq_printf(m, "%d\\n", 1); return 0; }
  export default {
    livepatch: true,
    functions: [{ name: "bench_cmdline_proc_show", body: bench_cmdline_proc_show }],
    init: () => klp_enable_patch({ objs: [{ name: null,
      funcs: [{ old_name: "cmdline_proc_show", new_func: bench_cmdline_proc_show }] }] }),
  };`;

/** The "engine-sandbox" suite: engine_sandbox_calls_per_s. */
export async function engineSandboxSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const { m } = await bootPlayground({ core: coreBytes });
  const shell = m.shell; // the getter walks the task list
  const tasks = Array.from({ length: TASKS }, (_, i) => m.tasks.fork(shell, `worker${i}`));
  // As in engine.ts: running elsewhere, so only a return to user space switches them.
  for (const t of tasks) m.core.tasks.setRunning(t.coreId, true);
  const def = await loadSandboxedModule(m, "bench_sb_lp", PATCH);
  if (!def.ok || m.modules.load(def.value) !== 0) throw new Error("engine-sandbox bench: load");
  const rand = seededRandom(5);
  for (const t of tasks) if (rand() < 0.5) m.tasks.returnToUser(t);
  const switched = tasks.filter((t) => m.core.tasks.patchState(t.coreId) === 1);
  if (switched.length === 0 || switched.length === TASKS)
    throw new Error("engine-sandbox bench: not mid-transition");
  const fn = m.fn("cmdline_proc_show");
  const order = Uint32Array.from({ length: 4096 }, () => Math.floor(rand() * switched.length));
  let out = 0;
  const ms = medianMs(() => {
    for (let i = 0; i < CALLS; i++) {
      const seq = { buf: "", show: fn };
      const body = m.call(switched[order[i & 4095]!]!, fn, seq);
      for (let r = body.next(); !r.done; r = body.next()) {
        /* the replacement does not sleep */
      }
      out += seq.buf.length;
    }
  });
  if (out === 0) throw new Error("engine-sandbox bench: the replacement never ran");
  return [plainMetric("engine_sandbox_calls_per_s", CALLS / (ms / 1000), "calls/s")];
}
