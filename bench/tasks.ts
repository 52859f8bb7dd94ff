// tasks.ts: benchmark suite "tasks": the transition sweep (bitmap and range-walking), the handler
// decision, the memory of 1,000,000 tasks and snapshot/restore of 100,000 tasks, each against the
// plain TypeScript reference where there is one.
import { Core, frame, VMLINUX } from "../core-wasm/bindings/index.ts";
import { RefKallsyms } from "../core-wasm/reference/ops.ts";
import { createReference } from "../core-wasm/reference/tasks.ts";
import {
  type Metric,
  medianMs,
  plainMetric,
  rateMetric,
  seededRandom,
  timeMetric,
} from "./harness.ts";

const FUNCS = 1000;
const PATCHED = 8; // functions 0..7 are patched; 8..15 are their replacements
const PATCH_ID = 1;

type Ref = ReturnType<typeof createReference>;

/** A core and a reference with the same FUNCS vmlinux functions. */
async function machine(bytes: Uint8Array): Promise<{ core: Core; ref: Ref }> {
  const core = await Core.load(bytes);
  core.text.init("x86_64");
  const syms = new RefKallsyms();
  for (let i = 0; i < FUNCS; i++) {
    const size = 64 + 32 * (i % 16);
    syms.add(core.text.funcAddr(core.text.addFunction(VMLINUX, size)), size);
  }
  return { core, ref: createReference(syms) };
}

/** A random return address in an unpatched function (ids 16..FUNCS-1). */
function plainFrame(rand: () => number): number {
  const fn = 16 + Math.floor(rand() * (FUNCS - 16));
  return frame(fn, Math.floor(rand() * 64));
}

/** Pushes patch PATCH_ID (functions 0..7 -> 8..15) on both sides, in transition. */
function pushPatch(core: Core, ref: Ref): void {
  for (let i = 0; i < PATCHED; i++) {
    const e = core.ops.newFunc(PATCH_ID, i, PATCHED + i);
    ref.ops.newFunc(PATCH_ID, i, PATCHED + i);
    core.ops.setTransition(e, true);
    ref.ops.setTransition(e, true);
    core.ops.push(e);
    ref.ops.push(e);
  }
}

/** n tasks of 32 frames; 1% sleep in a patched original at a random depth. */
function populate(core: Core, ref: Ref, n: number, rand: () => number): void {
  core.tasks.reserve(n, 32);
  const stack = new Uint32Array(32);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < 32; i++) stack[i] = plainFrame(rand);
    if (rand() < 0.01) {
      stack[Math.floor(rand() * 32)] = frame(Math.floor(rand() * PATCHED), 4);
    }
    core.tasks.setStack(core.tasks.alloc(), stack);
    ref.tasks.setStack(ref.tasks.alloc(), Array.from(stack));
  }
}

/** Back to the same pending state: every task UNPATCHED with TIF_PATCH_PENDING. */
function repend(side: {
  completeTransition(): number;
  initTransition(t: 0 | 1): number;
  startTransition(): number;
}): void {
  side.completeTransition();
  side.initTransition(1);
  side.startTransition();
}

async function sweeps(bytes: Uint8Array): Promise<Metric[]> {
  const { core, ref } = await machine(bytes);
  populate(core, ref, 100_000, seededRandom(1));
  pushPatch(core, ref);
  core.tasks.initTransition(1);
  ref.tasks.initTransition(1);
  const remaining = { core: 0, ref: 0 };
  const wasm = medianMs(() => (remaining.core = core.tasks.sweep(PATCH_ID)), {
    setup: () => repend(core.tasks),
  });
  const base = medianMs(() => (remaining.ref = ref.tasks.sweep(PATCH_ID)), {
    setup: () => repend(ref.tasks),
  });
  if (remaining.core !== remaining.ref || remaining.core === 0) {
    throw new Error(`sweep disagrees: core ${remaining.core}, reference ${remaining.ref}`);
  }
  const walk = medianMs(() => (remaining.core = core.tasks.sweepFramewalk(PATCH_ID)), {
    setup: () => repend(core.tasks),
  });
  const walkBase = medianMs(() => (remaining.ref = ref.tasks.sweepFramewalk(PATCH_ID)), {
    setup: () => repend(ref.tasks),
  });
  if (remaining.core !== remaining.ref) throw new Error("framewalk disagrees");
  return [
    timeMetric("sweep_100k_ms", wasm, base, "<= 3.5 ms"),
    timeMetric("sweep_100k_framewalk_ms", walk, walkBase),
  ];
}

async function handlerDecisions(bytes: Uint8Array): Promise<Metric> {
  const { core, ref } = await machine(bytes);
  const X = 100;
  for (const [patch, nw] of [
    [1, 200],
    [2, 300],
  ] as const) {
    const e = core.ops.newFunc(patch, X, nw);
    ref.ops.newFunc(patch, X, nw);
    core.ops.push(e);
    ref.ops.push(e);
    if (patch === 2) {
      core.ops.setTransition(e, true);
      ref.ops.setTransition(e, true);
    }
  }
  const rand = seededRandom(2);
  const N = 10_000;
  for (let t = 0; t < N; t++) {
    core.tasks.alloc();
    ref.tasks.alloc();
  }
  repend(core.tasks);
  repend(ref.tasks);
  for (let t = 0; t < N; t++) {
    if (rand() < 0.5) {
      core.tasks.updatePatchState(t);
      ref.tasks.updatePatchState(t);
    }
  }
  // Calls: mostly the patched function, some unpatched ones, every task in turn.
  const CALLS = 1_000_000;
  const fns = Int32Array.from({ length: 1024 }, () =>
    rand() < 0.75 ? X : (400 + rand() * 500) | 0,
  );
  // Two separate loops, so that each call site stays monomorphic for the JIT.
  let sink = 0;
  const ops = core.ops;
  const wasm = medianMs(() => {
    let s = 0;
    for (let i = 0; i < CALLS; i++) s += ops.handler(fns[i & 1023]!, i % N);
    sink += s;
  });
  const refOps = ref.ops;
  const base = medianMs(() => {
    let s = 0;
    for (let i = 0; i < CALLS; i++) s += refOps.handler(fns[i & 1023]!, i % N);
    sink += s;
  });
  if (sink === 0) throw new Error("no decisions");
  for (let t = 0; t < N; t += 97) {
    if (core.ops.handler(X, t) !== ref.ops.handler(X, t)) throw new Error("handler disagrees");
  }
  return rateMetric("handler_decisions_per_s", CALLS / (wasm / 1000), "1/s", CALLS / (base / 1000));
}

async function memory1m(bytes: Uint8Array): Promise<Metric> {
  const core = await Core.load(bytes);
  core.text.init("x86_64");
  for (let i = 0; i < FUNCS; i++) core.text.addFunction(VMLINUX, 64 + 32 * (i % 16));
  const rand = seededRandom(3);
  const N = 1_000_000;
  if (core.tasks.reserve(N, 32) !== 0) throw new Error("reserve failed");
  const buf = new Uint32Array(63);
  let frames = 0;
  for (let t = 0; t < N; t++) {
    const depth = 1 + Math.floor(rand() * 63); // 1..63, 32 on average
    for (let i = 0; i < depth; i++) buf[i] = plainFrame(rand);
    const id = core.tasks.alloc();
    if (core.tasks.setStack(id, buf.subarray(0, depth)) !== depth) throw new Error("setStack");
    frames += depth;
  }
  process.stderr.write(`bench: 1m tasks, average depth ${(frames / N).toFixed(2)}\n`);
  return plainMetric("core_bytes_1m_tasks", core.memoryBytes(), "B", "<= 268435456 (256 MiB)");
}

async function snapshots(bytes: Uint8Array): Promise<Metric> {
  const { core, ref } = await machine(bytes);
  populate(core, ref, 100_000, seededRandom(4));
  const snap = core.snapshot();
  const ms = medianMs(() => {
    core.snapshot(snap);
    if (core.restore(snap) !== 0) throw new Error("restore failed");
  });
  return timeMetric("snapshot_restore_100k_ms", ms, null, "<= 5 ms");
}

/** The "tasks" suite. */
export async function tasksSuite(bytes: Uint8Array): Promise<Metric[]> {
  return [
    await handlerDecisions(bytes),
    ...(await sweeps(bytes)),
    await snapshots(bytes),
    await memory1m(bytes),
  ];
}
