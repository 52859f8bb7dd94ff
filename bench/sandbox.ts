// sandbox.ts (bench): the cost of one call from the engine into module code in the sandbox
// (QuickJS in WebAssembly, values marshalled as JSON), as a replacement function or callback costs.
import { ModuleSandbox, SandboxRef } from "../engine/sandbox/sandbox.ts";
import { type Metric, medianMs, plainMetric } from "./harness.ts";

const CALLS = 20_000;

/** The "sandbox" suite: sandbox_call_us. */
export async function sandboxSuite(): Promise<Metric[]> {
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
  return [plainMetric("sandbox_call_us", (ms * 1000) / CALLS, "us")];
}
