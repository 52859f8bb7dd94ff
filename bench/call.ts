// call.ts (bench): one simulated call as the engine makes it: the entry site executes and, when it
// calls the ops trampoline, the livepatch handler decides (core.call, one crossing), against the
// same two steps in plain TypeScript (decode the site's 5 bytes, then the reference handler).
import { Core, SiteKind, VMLINUX } from "../core-wasm/bindings/index.ts";
import { RefKallsyms } from "../core-wasm/reference/ops.ts";
import { createReference } from "../core-wasm/reference/tasks.ts";
import { type Metric, medianMs, rateMetric, seededRandom } from "./harness.ts";

const FUNCS = 64;
const PATCHED = 8;
const TASKS = 10_000;
const CALLS = 1_000_000;

/** x86 entry decode as a user would write it: e8 rel32 -> the call's target, NOP5 -> 0. */
function decode(bytes: Uint8Array, site: number): number {
  if (bytes[0] !== 0xe8) return 0;
  const rel = bytes[1]! | (bytes[2]! << 8) | (bytes[3]! << 16) | (bytes[4]! << 24);
  return (site + 5 + rel) >>> 0;
}

/** A machine mid-transition: 8 of 64 functions patched, half of 10,000 tasks switched. */
async function setup(coreBytes: Uint8Array) {
  const core = await Core.load(coreBytes);
  core.text.init("x86_64");
  const syms = new RefKallsyms();
  const fns = Array.from({ length: FUNCS * 2 }, () => {
    const id = core.text.addFunction(VMLINUX, 64);
    syms.add(core.text.funcAddr(id), 64);
    return id;
  });
  core.text.ftraceInit(VMLINUX);
  const ref = createReference(syms);
  for (let t = 0; t < TASKS; t++) {
    core.tasks.alloc();
    ref.tasks.alloc();
  }
  for (const side of [core.tasks, ref.tasks]) {
    side.initTransition(1);
  }
  const tramp = core.text.trampAlloc();
  for (let i = 0; i < PATCHED; i++) {
    const e = core.ops.newFunc(1, fns[i]!, fns[FUNCS + i]!);
    ref.ops.newFunc(1, fns[i]!, fns[FUNCS + i]!);
    for (const ops of [core.ops, ref.ops]) {
      ops.setTransition(e, true);
      ops.push(e);
    }
    core.text.queue(fns[i]!, SiteKind.makeCall, tramp);
  }
  core.text.pokeFinish();
  const rand = seededRandom(11);
  core.tasks.startTransition();
  ref.tasks.startTransition();
  for (let t = 0; t < TASKS; t++) {
    if (rand() < 0.5) {
      core.tasks.updatePatchState(t);
      ref.tasks.updatePatchState(t);
    }
  }
  const sites = fns.map((f) => core.text.siteBytes(f) as Uint8Array);
  const siteAddrs = fns.map((f) => core.text.siteAddr(f));
  return { core, ref, sites, siteAddrs, rand };
}

/** The "call" suite: simulated_calls_per_s. */
export async function callSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const { core, ref, sites, siteAddrs, rand } = await setup(coreBytes);
  const order = Uint32Array.from({ length: 4096 }, () => Math.floor(rand() * FUNCS));
  let sink = 0;
  const wasm = medianMs(() => {
    let s = 0;
    for (let i = 0; i < CALLS; i++) s += core.call(order[i & 4095]!, i % TASKS);
    sink += s;
  });
  const refOps = ref.ops;
  const base = medianMs(() => {
    let s = 0;
    for (let i = 0; i < CALLS; i++) {
      const fn = order[i & 4095]!;
      s += decode(sites[fn]!, siteAddrs[fn]!) === 0 ? fn : refOps.handler(fn, i % TASKS);
    }
    sink += s;
  });
  for (let t = 0; t < TASKS; t += 101) {
    for (let fn = 0; fn < FUNCS; fn += 7) {
      const want = decode(sites[fn]!, siteAddrs[fn]!) === 0 ? fn : ref.ops.handler(fn, t);
      if (core.call(fn, t) !== want) throw new Error(`call bench: core and reference disagree`);
    }
  }
  if (sink === 0) throw new Error("call bench: no calls");
  return [
    rateMetric("simulated_calls_per_s", CALLS / (wasm / 1000), "calls/s", CALLS / (base / 1000)),
  ];
}
