// shadow.ts (bench): the shadow-variable table at one million live variables, through the
// ShadowTable binding the engine uses, against the plain TypeScript reference.

import { performance } from "node:perf_hooks";
import { Core } from "../core-wasm/bindings/index.ts";
import { ShadowReference } from "../core-wasm/reference/shadow.ts";
import { type Metric, MIN_RUNS, median, plainMetric, rateMetric, seededRandom } from "./harness.ts";

const OBJS = 250_000;
const IDS = 4;
const LIVE = OBJS * IDS; // 1,000,000: every <obj, id> of the key space is live at the start
const OPS = 1_000_000;
const SIZE = 8; // a pointer, as in test_klp_shadow_vars
/** Non-get operations keep the count within this much below LIVE. */
const SLACK = 64;

const GET = 0;
const ALLOC = 1;
const FREE = 2;

/** Address tokens as a slab would hand them out; ids like the selftest's. */
const objToken = (i: number): number => (0xc000_0000 + i * 64) >>> 0;
const idOf = (j: number): number => 0x1234 + j;

/** One op per word: key index << 2 | kind (4 MB, so the stream itself pollutes the cache little). */
type Stream = Uint32Array;
const KEY_SHIFT = 2;

/**
 * 80% get, 10% alloc, 10% free over uniform keys, from the all-live state back to it: frees take
 * a live key, allocs a missing one, and a short tail re-allocates what is still missing, so every
 * run starts from the same set of live keys.
 */
function makeStream(seed: number): Stream {
  const rnd = seededRandom(seed);
  const live = new Uint8Array(LIVE).fill(1);
  const missing: number[] = [];
  const kinds: number[] = [];
  const keys: number[] = [];
  const push = (k: number, key: number) => {
    kinds.push(k);
    keys.push(key);
  };
  for (let i = 0; i < OPS; i++) {
    const r = rnd();
    if (r < 0.8) {
      push(GET, Math.floor(rnd() * LIVE));
      continue;
    }
    const wantAlloc = missing.length >= SLACK || (missing.length > 0 && r >= 0.9);
    if (wantAlloc) {
      const at = Math.floor(rnd() * missing.length);
      const key = missing[at]!;
      missing[at] = missing[missing.length - 1]!;
      missing.pop();
      live[key] = 1;
      push(ALLOC, key);
    } else {
      let key = Math.floor(rnd() * LIVE);
      while (!live[key]) key = Math.floor(rnd() * LIVE);
      live[key] = 0;
      missing.push(key);
      push(FREE, key);
    }
  }
  for (const key of missing) push(ALLOC, key);
  const s: Stream = new Uint32Array(kinds.length);
  for (let i = 0; i < s.length; i++) s[i] = (keys[i]! << KEY_SHIFT) | kinds[i]!;
  return s;
}

async function wasmShadow(coreBytes: Uint8Array): Promise<Core> {
  const core = await Core.load(coreBytes);
  const sv = core.shadow;
  for (let o = 0; o < OBJS; o++) {
    for (let j = 0; j < IDS; j++) sv.alloc(objToken(o), idOf(j), SIZE);
  }
  if (sv.count() !== LIVE) throw new Error(`shadow bench: ${sv.count()} live, want ${LIVE}`);
  return core;
}

/** Capacity of the shadow regions (slots, heap, report): payload and growth slack included. */
function shadowRegionBytes(core: Core): number {
  const x = core.instance.fns(["core_region_capacity"]);
  return [1, 2, 3].reduce((sum, id) => sum + x.core_region_capacity(id), 0);
}

function refShadow(): ShadowReference {
  const m = new ShadowReference();
  for (let o = 0; o < OBJS; o++) {
    for (let j = 0; j < IDS; j++) m.alloc(objToken(o), idOf(j), SIZE);
  }
  return m;
}

/** One pass of the stream through the binding. @returns failed alloc/free calls (must be 0). */
function runWasm(core: Core, s: Stream): number {
  const sv = core.shadow;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const w = s[i]!;
    const k = w & 3;
    const obj = objToken(w >>> 4);
    const id = idOf((w >>> KEY_SHIFT) & 3);
    if (k === GET) sv.get(obj, id);
    else if (k === ALLOC) bad += sv.alloc(obj, id, SIZE) > 0 ? 0 : 1;
    else bad += sv.free(obj, id) !== 0 ? 0 : 1;
  }
  return bad;
}

function runRef(m: ShadowReference, s: Stream): number {
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const w = s[i]!;
    const k = w & 3;
    const obj = objToken(w >>> 4);
    const id = idOf((w >>> KEY_SHIFT) & 3);
    if (k === GET) m.get(obj, id);
    else if (k === ALLOC) bad += typeof m.alloc(obj, id, SIZE) === "number" ? 1 : 0;
    else bad += m.free(obj, id) ? 0 : 1;
  }
  return bad;
}

function check(bad: number, count: number, what: string): void {
  if (bad !== 0 || count !== LIVE) {
    throw new Error(`shadow bench (${what}): ${bad} failed calls, ${count} live after a run`);
  }
}

/**
 * Median wall times of `a` and `b`, timed alternately (MIN_RUNS each after 3 warm-up rounds), so
 * that a slow spell of this shared machine weighs on both sides of the ratio alike.
 */
function interleavedMedianMs(a: () => void, b: () => void): [number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < 3 + MIN_RUNS; i++) {
    const t0 = performance.now();
    a();
    const t1 = performance.now();
    b();
    const t2 = performance.now();
    if (i >= 3) {
      ta.push(t1 - t0);
      tb.push(t2 - t1);
    }
  }
  return [median(ta), median(tb)];
}

export async function shadowSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const s = makeStream(0x5eed);
  const ops = s.length;
  const core = await wasmShadow(coreBytes);
  const ref = refShadow();
  check(runWasm(core, s), core.shadow.count(), "wasm");
  check(runRef(ref, s), ref.count(), "reference");
  const [wasmMs, refMs] = interleavedMedianMs(
    () => runWasm(core, s),
    () => runRef(ref, s),
  );
  check(runWasm(core, s), core.shadow.count(), "wasm");
  check(runRef(ref, s), ref.count(), "reference");
  // After the churn, at exactly LIVE again: released blocks waiting for reuse are counted too.
  const bytesPerVar = core.shadow.overheadBytes() / core.shadow.count();
  const regionBytesPerVar = shadowRegionBytes(core) / core.shadow.count();

  const wasmRate = (ops / wasmMs) * 1000;
  const refRate = (ops / refMs) * 1000;
  return [
    rateMetric("shadow_ops_per_s", wasmRate, "ops/s", refRate, ">= 4x the reference"),
    plainMetric("shadow_bytes_per_var", bytesPerVar, "bytes", "<= 32"),
    plainMetric("shadow_region_bytes_per_var", regionBytesPerVar, "bytes"),
  ];
}
