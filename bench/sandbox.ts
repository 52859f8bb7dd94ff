// sandbox.ts (bench): the cost of one call from the engine into module code in the sandbox
// (QuickJS in WebAssembly, values marshalled as JSON), as a replacement function or callback costs.
import { Machine } from "../engine/machine/machine.ts";
import { loadSandboxedModule, sandboxedModule } from "../engine/sandbox/moduleLoader.ts";
import { ModuleSandbox, SandboxRef } from "../engine/sandbox/sandbox.ts";
import { BUILTIN_SOURCES } from "../modules/sources.ts";
import { type Metric, medianMs, plainMetric } from "./harness.ts";

const CALLS = 20_000;
const READS = 2_000;
const INSTANCES = 50;

/** A livepatch of cmdline_proc_show written as module source (seq_printf from the guest). */
const PATCH = `
  import { klp_enable_patch, seq_printf } from "linux";
  function bench_cmdline_proc_show(m: number): number { seq_printf(m, "%s %d\\n", "patched", 1); return 0; }
  export default {
    livepatch: true,
    functions: [{ name: "bench_cmdline_proc_show", body: bench_cmdline_proc_show }],
    init: () => klp_enable_patch({ objs: [{ name: null,
      funcs: [{ old_name: "cmdline_proc_show", new_func: bench_cmdline_proc_show }] }] }),
  };`;

/**
 * sandbox_module_read_us: one read of /proc/cmdline whose show handler is replaced by sandboxed
 * module code (seq_read_iter -> entry site -> handler -> guest body -> seq_printf back to the host).
 */
async function moduleReadUs(coreBytes: Uint8Array): Promise<number> {
  const m = await Machine.create({ core: coreBytes });
  const def = await loadSandboxedModule(m, "bench_sb_lp", PATCH);
  if (!def.ok || m.modules.load(def.value) !== 0) throw new Error("sandbox module bench");
  m.sleep(2e9);
  if (m.vfs.readFile("/proc/cmdline") !== "patched 1\n") throw new Error("not patched");
  const ms = medianMs(() => {
    for (let i = 0; i < READS; i++) m.vfs.readFile("/proc/cmdline");
  });
  return (ms * 1000) / READS;
}

/**
 * sandbox_builtin_instance_ms: what every insmod of a built-in costs before its init runs: a
 * QuickJS runtime, the prelude and the module source evaluated, its description read, and the
 * runtime freed again (test_klp_callbacks_demo, a middle-sized one).
 */
async function builtinInstanceMs(coreBytes: Uint8Array): Promise<number> {
  const m = await Machine.create({ core: coreBytes });
  const src = BUILTIN_SOURCES.get("test_klp_callbacks_demo");
  if (src === undefined) throw new Error("no test_klp_callbacks_demo source");
  const ms = medianMs(() => {
    for (let i = 0; i < INSTANCES; i++) {
      const def = sandboxedModule(m, "test_klp_callbacks_demo", src);
      if (!def.ok) throw new Error(def.error.message);
      def.value.release?.();
    }
  });
  return ms / INSTANCES;
}

/** The "sandbox" suite: sandbox_call_us, sandbox_module_read_us, sandbox_builtin_instance_ms. */
export async function sandboxSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const sb = await ModuleSandbox.create("bench_mod", { now: () => 0, random: () => 0 });
  const loaded = sb.load(`export function add(a: number, b: number): number { return a + b; }`, {});
  const add = sb.getExport("add");
  if (!loaded.ok || !add.ok || !(add.value instanceof SandboxRef)) throw new Error("sandbox bench");
  const fn = add.value;
  const ms = medianMs(() => {
    for (let i = 0; i < CALLS; i++) {
      const r = sb.call(fn, [i, 1], "add");
      if (!r.ok) throw new Error(r.error.message);
    }
  });
  sb.dispose();
  return [
    plainMetric("sandbox_call_us", (ms * 1000) / CALLS, "us"),
    plainMetric("sandbox_module_read_us", await moduleReadUs(coreBytes), "us"),
    plainMetric("sandbox_builtin_instance_ms", await builtinInstanceMs(coreBytes), "ms"),
  ];
}
