// stepback.ts (bench): stepback_ms, the wall time of one seek within a 10-minute virtual run of a
// library scenario, as the workbench asks for it (engine/host/session.ts, through SessionHost).
// The session is played to 10 minutes, then jumps to random moments (fixed seed): a jump back
// restores the latest checkpoint at or before the moment (engine/checkpoint/) and runs forward
// from it; a jump forward runs on. The median and the max are reported. stepback_busy_ms is the
// hard case: the default scenario with BUSY_TASKS generated background tasks (getpid and
// /proc/meminfo, every BUSY_EVERY_MS) that work for the whole 10 minutes, so that a replay from
// boot costs seconds; the same jumps without checkpoints (stepback_busy_replay_ms) and the cost of
// taking checkpoints while playing (busy_play_10min_ms against _nockpt_ms) are reported beside it.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { SessionOp } from "../engine/host/protocol.ts";
import type { Scenario } from "../scenarios/schema.ts";
import { type CheckpointPolicy, SessionHost } from "../engine/host/session.ts";
import { builtinRunOptions } from "../modules/scenario-options.ts";
import { loadScenario } from "../scenarios/load.ts";
import { type Metric, median, plainMetric, seededRandom } from "./harness.ts";

const RUN_NS = 600e9;
const JUMPS = 25;
/** The default scenario, and one whose module runs in a QuickJS sandbox. */
const FILES = ["default.json", "shadow-state-mainline.json"];

/** The busy case's background tasks and their period (KLP_BENCH_BUSY_TASKS, _EVERY_MS). */
const BUSY_TASKS = Number(process.env.KLP_BENCH_BUSY_TASKS ?? 1000);
const BUSY_EVERY_MS = Number(process.env.KLP_BENCH_BUSY_EVERY_MS ?? 100);
/** Jumps in the busy case: each jump back replays minutes of background work. */
const BUSY_JUMPS = Number(process.env.KLP_BENCH_BUSY_JUMPS ?? 5);

function library(file: string): Scenario {
  const s = loadScenario(
    readFileSync(new URL(`../scenarios/library/${file}`, import.meta.url), "utf8"),
  );
  if (!s.ok) throw new Error(`stepback bench: ${file} does not load`);
  return s.value;
}

function busy(): Scenario {
  const { expect: _e, ...base } = library("default.json");
  const every_ms = BUSY_EVERY_MS;
  const count = BUSY_TASKS / 2;
  const tasks: Scenario["machine"]["tasks"] = [
    { comm: "getpid", every_ms, does: { syscall: "getpid" }, count },
    { comm: "meminfo", every_ms, does: { read: "/proc/meminfo" }, count },
  ];
  const s = loadScenario({ ...base, machine: { ...base.machine, tasks } });
  if (!s.ok) throw new Error("stepback bench: the busy scenario does not load");
  return s.value;
}

interface Measured {
  /** Each jump's wall time (ms). */
  jumps: number[];
  /** Playing the 10 minutes (ms), checkpoints included. */
  playMs: number;
}

async function measure(
  coreBytes: Uint8Array,
  s: Scenario,
  jumps = JUMPS,
  policy: CheckpointPolicy = "adaptive",
): Promise<Measured> {
  const { core: _core, ...env } = builtinRunOptions(new Uint8Array());
  const h = new SessionHost(coreBytes, env, policy);
  const op = async (o: SessionOp) => {
    const r = await h.handle(o);
    if (!r.ok) throw new Error(`stepback bench: ${r.error.message}`);
    return r.value;
  };
  await op({ op: "open", scenario: s });
  // Played as the page plays it at speed 64: a second of virtual time per answer.
  const p0 = performance.now();
  for (let t = 1e9; t <= RUN_NS; t += 1e9) await op({ op: "advance", toNs: t });
  const playMs = performance.now() - p0;
  if (policy !== "off" && h.checkpointsOff !== null)
    throw new Error(`stepback bench: no checkpoints (${h.checkpointsOff})`);
  const rand = seededRandom(55);
  const times: number[] = [];
  for (let i = 0; i < jumps; i++) {
    const to = Math.floor(rand() * RUN_NS);
    const t0 = performance.now();
    const a = await op({ op: "seek", toNs: to });
    times.push(performance.now() - t0);
    if (a.delta.nowNs !== to) throw new Error("stepback bench: the seek missed its moment");
  }
  return { jumps: times, playMs };
}

/**
 * The "stepback" suite: stepback_ms (median) and stepback_max_ms over both library scenarios; the
 * same for the busy one, with checkpoints and, side by side, without (replay from boot), and what
 * the checkpoints cost while playing the busy one.
 */
export async function stepbackSuite(coreBytes: Uint8Array): Promise<Metric[]> {
  const all: number[] = [];
  for (const f of FILES) all.push(...(await measure(coreBytes, library(f))).jumps);
  const b = await measure(coreBytes, busy(), BUSY_JUMPS);
  const r = await measure(coreBytes, busy(), BUSY_JUMPS, "off");
  const what = `(${BUSY_TASKS} tasks every ${BUSY_EVERY_MS} ms)`;
  return [
    plainMetric("stepback_ms", median(all), "ms", "<= 100"),
    plainMetric("stepback_max_ms", Math.max(...all), "ms", "<= 100"),
    plainMetric("stepback_busy_ms", median(b.jumps), "ms", `<= 100 ${what}`),
    plainMetric("stepback_busy_max_ms", Math.max(...b.jumps), "ms", `<= 100 ${what}`),
    plainMetric("stepback_busy_replay_ms", median(r.jumps), "ms", "no checkpoints: from boot"),
    plainMetric("busy_play_10min_ms", b.playMs, "ms", "with checkpoints"),
    plainMetric("busy_play_10min_nockpt_ms", r.playMs, "ms", "without checkpoints"),
  ];
}
