// text.ts: benchmarks of the emulated entry sites: site_exec (called on every simulated call) and
// a full 256-site int3 batch, each against the plain TypeScript model a user would write.
import { Core, SiteKind, VMLINUX } from "../core-wasm/bindings/index.ts";
import { type Metric, medianMs, rateMetric, seededRandom, timeMetric } from "./harness.ts";

const SITES = 4096;
const CALLS = 1_000_000;

/** The TypeScript baseline: each site's 5 bytes in a Uint8Array, decoded per call. */
function tsExec(bytes: Uint8Array, sites: Uint32Array, i: number): number {
  const o = i * 5;
  if (bytes[o] === 0xe8) {
    const rel =
      bytes[o + 1]! | (bytes[o + 2]! << 8) | (bytes[o + 3]! << 16) | (bytes[o + 4]! << 24);
    return (sites[i]! + 5 + rel) >>> 0;
  }
  return bytes[o] === 0x0f ? 0 : 1;
}

async function setup(coreBytes: Uint8Array): Promise<{ core: Core; ids: number[]; tramp: number }> {
  const core = await Core.load(coreBytes);
  core.text.init("x86_64");
  const ids = Array.from({ length: SITES }, () => core.text.addFunction(VMLINUX, 64));
  core.text.ftraceInit(VMLINUX);
  return { core, ids, tramp: core.text.trampAlloc() };
}

export async function textSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const { core, ids, tramp } = await setup(coreBytes);
  // Half the sites call the trampoline, half are NOP5.
  for (let i = 0; i < SITES; i += 512) {
    for (let j = i; j < i + 256; j++) core.text.queue(ids[j]!, SiteKind.makeCall, tramp);
    core.text.pokeFinish();
  }
  const rnd = seededRandom(7);
  const order = Uint32Array.from({ length: CALLS }, () => Math.floor(rnd() * SITES));
  const siteAddrs = Uint32Array.from(ids, (id) => core.text.siteAddr(id));
  const tsBytes = new Uint8Array(SITES * 5);
  for (const [i, id] of ids.entries()) tsBytes.set(core.text.siteBytes(id) as Uint8Array, i * 5);
  let sink = 0;
  const execMs = medianMs(() => {
    for (let k = 0; k < CALLS; k++) sink ^= core.text.exec(order[k]!);
  });
  const tsExecMs = medianMs(() => {
    for (let k = 0; k < CALLS; k++) sink ^= tsExec(tsBytes, siteAddrs, order[k]!);
  });
  // One batch of 256 sites NOP5 -> call -> NOP5 (queue with verification, then all six steps).
  const nops = ids.filter((_, i) => i % 512 >= 256).slice(0, 256);
  const batchMs = medianMs(() => {
    for (const id of nops) core.text.queue(id, SiteKind.makeCall, tramp);
    core.text.pokeFinish();
    for (const id of nops) core.text.queue(id, SiteKind.makeNop, 0, tramp);
    core.text.pokeFinish();
  });
  if (sink === 42) console.log("");
  return [
    rateMetric("site_exec_per_s", CALLS / (execMs / 1000), "calls/s", CALLS / (tsExecMs / 1000)),
    timeMetric("site_batch_256_roundtrip_ms", batchMs, null),
  ];
}
