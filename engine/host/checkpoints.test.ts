// Step back through checkpoints is exact: after any sequence of jumps back and runs forward, the
// whole event stream, the log, the machine's view and the step outcomes equal those of a session
// that ran straight through; an interactive line after a jump back gives the run its link replays.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinRunOptions } from "../../modules/scenario-options.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import { SeededRandom } from "../random.ts";
import type { SessionAnswer, SessionDelta, SessionOp } from "./protocol.ts";
import { type CheckpointPolicy, SessionHost } from "./session.ts";

const SEED = Number(process.env.KLP_CHECKPOINT_SEED ?? 20261203);
console.log(`checkpoint jumps seed ${SEED}`);

const CORE = readFileSync(new URL("../../core-wasm/build/core.wasm", import.meta.url));
const LIBRARY = new URL("../../scenarios/library/", import.meta.url);
const SELFTESTS = new URL("../../scenarios/selftests/", import.meta.url);
const SELFTESTS_PROPOSED = new URL("../../scenarios/selftests-proposed/", import.meta.url);

function load(url: URL): Scenario {
  const s = loadScenario(readFileSync(url, "utf8"));
  if (!s.ok) throw new Error(`${url.pathname} does not load`);
  return s.value;
}

function library(file: string): Scenario {
  return load(new URL(file, LIBRARY));
}

/** The default scenario with background tasks that work all the time (the busy bench's kind). */
function busy(): Scenario {
  const { expect: _e, ...base } = library("default.json");
  const tasks: Scenario["machine"]["tasks"] = [
    { comm: "getpid", every_ms: 50, does: { syscall: "getpid" }, count: 20 },
    { comm: "meminfo", every_ms: 70, does: { read: "/proc/meminfo" }, count: 20 },
  ];
  const s = loadScenario({ ...base, machine: { ...base.machine, tasks } });
  if (!s.ok) throw new Error("the busy scenario does not load");
  return s.value;
}

/** What the page would hold: the events, log and steps from every answer, as store.ts folds them. */
class Mirror {
  events: unknown[] = [];
  log: string[] = [];
  steps: unknown[] = [];
  last: SessionDelta | null = null;
  take(d: SessionDelta): void {
    if (d.reset) {
      this.events = [];
      this.log = [];
      this.steps = [];
    }
    expect(d.eventsPending ?? 0).toBe(0);
    this.events.push(...d.events);
    this.log.push(...d.log.map((l) => `${l.tNs} ${l.text}`));
    this.steps.push(...d.steps);
    this.last = d;
  }
  get parts(): Record<string, unknown[]> {
    const d = this.last!;
    return {
      events: this.events,
      log: this.log,
      steps: this.steps,
      view: [d.view, d.nowNs, d.next, d.done],
    };
  }
  /** The whole state; where it differs from `other`'s, the first difference of each part. */
  differences(other: Mirror): string[] {
    const mine = this.parts;
    const theirs = other.parts;
    const out: string[] = [];
    for (const k of Object.keys(mine)) {
      const a = mine[k]!;
      const b = theirs[k]!;
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const x = JSON.stringify(a[i]);
        const y = JSON.stringify(b[i]);
        if (x !== y) {
          out.push(`${k}[${i}]: ${x} instead of ${y}`);
          break;
        }
      }
    }
    return out;
  }
}

/**
 * Where checkpoints are taken: only at boot (every jump back restores the boot image and runs
 * the whole way again on top of it: any state the image misses shows), or between every two
 * slices (each jump restores one close to its moment). Both are deterministic.
 */
const BOOT_ONLY: CheckpointPolicy = { everyWorkMs: Number.POSITIVE_INFINITY };
const EVERY_SLICE: CheckpointPolicy = { everyWorkMs: 0 };

async function session(s: Scenario | { link: string }, policy: CheckpointPolicy = EVERY_SLICE) {
  const { core: _core, ...env } = builtinRunOptions(new Uint8Array());
  const host = new SessionHost(CORE, env, policy);
  const mirror = new Mirror();
  const op = async (o: SessionOp): Promise<SessionAnswer> => {
    const r = await host.handle(o);
    if (!r.ok) throw new Error(r.error.message);
    mirror.take(r.value.delta);
    return r.value;
  };
  await op("link" in s ? { op: "open-link", link: s.link } : { op: "open", scenario: s });
  return { host, mirror, op };
}

/** Plays to `endNs` a second of virtual time per answer, as the page plays. */
async function play(op: (o: SessionOp) => Promise<SessionAnswer>, fromNs: number, endNs: number) {
  for (let t = Math.floor(fromNs / 1e9) * 1e9 + 1e9; t <= endNs; t += 1e9)
    await op({ op: "advance", toNs: t });
}

const CASES: [string, () => Scenario, number][] = [
  ["default", () => library("default.json"), 30e9],
  ["busy", busy, 20e9],
  [
    "shadow-state-mainline (module state in QuickJS)",
    () => library("shadow-state-mainline.json"),
    12e9,
  ],
  ["shadow-state-proposed", () => library("shadow-state-proposed.json"), 12e9],
  [
    "stall-interruptible-signal (frames unwound)",
    () => library("stall-interruptible-signal.json"),
    25e9,
  ],
  ["speaker-samples", () => library("speaker-samples.json"), 15e9],
];

describe("step back through checkpoints", () => {
  for (const [name, make, endNs] of CASES)
    for (const [mode, every] of [
      ["boot image only", BOOT_ONLY],
      ["an image every slice", EVERY_SLICE],
      ["images as shipped (by engine work)", "adaptive"],
    ] as const)
      it(`${name}, ${mode}: jumps back and forth end where a straight run ends`, async () => {
        const straight = await session(make(), "off");
        await play(straight.op, 0, endNs);

        const s = await session(make(), every);
        await play(s.op, 0, endNs);
        expect(s.host.checkpointsOff).toBeNull();
        expect(s.mirror.differences(straight.mirror)).toEqual([]);
        const random = new SeededRandom(SEED);
        const rand = () => random.next();
        for (let i = 0; i < 6; i++) {
          const to = Math.floor(rand() * endNs);
          await s.op({ op: "seek", toNs: to });
          expect(s.mirror.last!.nowNs).toBe(to);
          // Half the time a single event back as well (the page's Step back).
          if (i % 2 === 1 && s.mirror.events.length > 0)
            await s.op({ op: "seek", toEvent: s.mirror.events.length - 1 });
          // Played on a little (new images on the new path), then a jump forward: it may land
          // on an image of the first pass, whose sandboxes are not the ones just made.
          const at = s.mirror.last!.nowNs;
          await play(s.op, at, Math.min(endNs, at + 3e9));
          const ahead = s.mirror.last!.nowNs + Math.floor(rand() * (endNs - s.mirror.last!.nowNs));
          await s.op({ op: "seek", toNs: ahead });
          expect(s.mirror.last!.nowNs).toBe(ahead);
          await play(s.op, s.mirror.last!.nowNs, endNs);
          if (s.mirror.last!.nowNs < endNs) await s.op({ op: "advance", toNs: endNs });
          expect(s.host.checkpointsOff).toBeNull();
          expect(s.mirror.differences(straight.mirror)).toEqual([]);
        }
      }, 120_000);

  it("each answer says when step back has no checkpoints and why, so the page can show it", async () => {
    const off = await session(library("default.json"), "off");
    await off.op({ op: "advance", toNs: 1e9 });
    expect(off.mirror.last!.checkpointsOff).toBe("checkpoints are turned off");
    const on = await session(library("default.json"), "adaptive");
    await on.op({ op: "advance", toNs: 1e9 });
    expect(on.mirror.last!.checkpointsOff).toBeUndefined();
  });

  it("a shell line after a jump back runs as the link's replay of the session does", async () => {
    const s = await session(library("default.json"), BOOT_ONLY);
    await play(s.op, 0, 20e9);
    await s.op({ op: "seek", toNs: 3.5e9 });
    await s.op({
      op: "shell",
      line: "for p in $(ls /sys/kernel/livepatch); do cat /sys/kernel/livepatch/$p/transition; echo 0 > /sys/kernel/livepatch/$p/enabled; done",
    });
    await play(s.op, 3.5e9, 20e9);
    expect(s.host.checkpointsOff).toBeNull();
    const link = await s.op({ op: "link", base: "https://x/" });
    const replay = await session({ link: link.link! }, "off");
    await play(replay.op, 0, 20e9);
    expect(replay.mirror.differences(s.mirror)).toEqual([]);
  }, 120_000);

  it("every library scenario and selftest: back to a moment from the boot image, then on, is the straight run", async () => {
    const dirs = [LIBRARY, SELFTESTS, SELFTESTS_PROPOSED];
    const files = dirs.flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith(".json"))
        .map((f) => new URL(f, d)),
    );
    expect(files.length).toBeGreaterThan(60);
    const random = new SeededRandom(SEED + 1);
    for (const f of files) {
      const scenario = load(f);
      const endNs = 40e9;
      const straight = await session(scenario, "off");
      await play(straight.op, 0, endNs);
      const s = await session(scenario, BOOT_ONLY);
      await play(s.op, 0, endNs);
      const to = Math.floor(random.next() * endNs);
      await s.op({ op: "seek", toNs: to });
      await play(s.op, to, endNs);
      if (s.mirror.last!.nowNs < endNs) await s.op({ op: "advance", toNs: endNs });
      const name = f.pathname.split("/").slice(-2).join("/");
      expect([name, s.host.checkpointsOff, s.mirror.differences(straight.mirror)]).toEqual([
        name,
        null,
        [],
      ]);
    }
  }, 600_000);
});
