// rows.test.ts: the default scenario's timeline rows: its patch's transitions, the waiting
// worker's waits (sleeping on the patched function) and its switch, the callbacks joined in pairs, the modules; and the
// table's words for an event.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runInNode } from "../../../cli/node-run.ts";
import type { EngineEvent, EventBody } from "../../../engine/events.ts";
import { loadScenario } from "../../../scenarios/load.ts";
import { layoutTimeline } from "../../timeline/layout.ts";
import { describeEvent } from "./describe.ts";
import { manyTaskRun } from "../../timeline/manyTasks.fixture.ts";
import { TimelineStream } from "../../timeline/incremental.ts";
import { extents, type Row, type RowItem, timelineRows, timelineView } from "./rows.ts";
import { NOTABLE_MAX, TASK_TRACKS_MAX } from "./taskRows.ts";

async function defaultRun() {
  const sc = loadScenario(
    readFileSync(new URL("../../../scenarios/library/default.json", import.meta.url), "utf8"),
  );
  if (!sc.ok) throw new Error("invalid");
  const run = await runInNode(sc.value);
  if (!run.ok) throw new Error("run failed");
  return run.value.events;
}

describe("timelineRows", () => {
  it("the default scenario", async () => {
    const events = await defaultRun();
    const l = layoutTimeline(events);
    const rows = timelineRows(l, l.endNs);
    const patch = rows.find((r) => r.key === "patch:livepatch_callbacks_demo")!;
    expect(patch.marks.map((m) => m.text.split(": ")[1]!.split(" ")[0])).toEqual(
      expect.arrayContaining(["init", "start", "complete"]),
    );
    const worker = rows.find((r) => r.key === "task:7")!;
    expect(worker.marks[0]!.text).toBe(
      "7 kworker/0:1 not switched: sleeping on function busymod_work_func",
    );
    const cbs = rows.find((r) => r.key === "callbacks")!;
    expect(cbs.pairs.length).toBeGreaterThan(0);
    expect(cbs.pairs.every((p) => p.to !== null)).toBe(true);
    expect(rows.find((r) => r.key === "modules")!.spans.length).toBe(2);
    for (const r of rows)
      for (const it of [...r.spans, ...r.marks])
        expect(it.endNs).toBeGreaterThanOrEqual(it.startNs);
    const cb = events.find((e) => e.kind === "callback")!;
    expect(describeEvent(cb).what).toBe("pre_patch");
  });
});

describe("many tasks", () => {
  it("become a pending-count track, the notable tasks' tracks and a count of the rest", async () => {
    const events = await manyTaskRun(200);
    const l = layoutTimeline(events);
    const { rows, hiddenTasks } = timelineView(l, l.endNs);
    const tasks = rows.filter((r) => r.group === "task");
    expect(tasks[0]!.key).toBe("tasks");
    expect(tasks[0]!.spans.length).toBeGreaterThan(0);
    for (const s of tasks[0]!.spans) expect(s.level).toBeGreaterThan(0);
    expect(tasks.length - 1).toBeLessThanOrEqual(NOTABLE_MAX);
    const withEvents = l.tasks.filter((t) => t.switches.length || t.waits.length).length;
    expect(withEvents).toBeGreaterThan(TASK_TRACKS_MAX);
    expect(hiddenTasks).toBe(withEvents - (tasks.length - 1));
    // The tasks a check held back keep their tracks (in stream order, up to NOTABLE_MAX); a
    // plain task keeps its track once it is selected.
    const waited = l.tasks.filter((t) => t.waits.length > 0).map((t) => `task:${t.key}`);
    expect(waited.length).toBeGreaterThan(0);
    const keys = tasks.slice(1).map((r) => r.key);
    expect(keys).toHaveLength(Math.min(NOTABLE_MAX, waited.length));
    for (const k of keys) expect(waited).toContain(k);
    const plain = l.tasks.find(
      (t) => t.switches.length && !rows.some((r) => r.key === `task:${t.key}`),
    )!;
    const sel = timelineView(l, l.endNs, { selectedTask: plain.key });
    expect(sel.rows.some((r) => r.key === `task:${plain.key}`)).toBe(true);
    const room = tasks.length - 1 < NOTABLE_MAX;
    expect(sel.rows.filter((r) => r.group === "task")).toHaveLength(tasks.length + (room ? 1 : 0));
    expect(sel.hiddenTasks).toBe(hiddenTasks - (room ? 1 : 0));
  });

  it("the pending band built as the stream grows equals the band built at once", async () => {
    // 100 tasks that switch one by one, 1 ms apart: a count per switch (an engine run of the
    // library's machines switches its tasks in a few moments; a busy machine does it this way).
    const events = switchingOneByOne(100);
    const stream = new TimelineStream();
    let grown: Row | undefined;
    for (let n = 0; n < events.length;) {
      n = Math.min(events.length, n + 7);
      const l = stream.layout(events.slice(0, n));
      grown = timelineView(l, l.endNs).rows.find((r) => r.key === "tasks") ?? grown;
    }
    const l = layoutTimeline(events);
    const once = timelineView(l, l.endNs).rows.find((r) => r.key === "tasks")!;
    expect(once.spans).toHaveLength(100);
    expect(once.spans.at(-1)!.text).toBe("1 of 100 tasks pending (TIF_PATCH_PENDING)");
    expect(grown!.spans).toEqual(once.spans);
  });

  it("the pending band's kept extents are its spans' at every step, and its array is kept", () => {
    const events = switchingOneByOne(100);
    const stream = new TimelineStream();
    const arrays = new Set<RowItem[]>();
    let steps = 0;
    for (let n = 0; n < events.length;) {
      n = Math.min(events.length, n + 5);
      const l = stream.layout(events.slice(0, n));
      const band = timelineView(l, l.endNs).rows.find((r) => r.key === "tasks");
      if (!band) continue;
      steps++;
      arrays.add(band.spans);
      // What prepare() would compute from the spans themselves, provisional last items included.
      const fresh = extents(band.spans);
      expect(band.spanExtents).toBeDefined();
      expect([...band.spanExtents!.starts]).toEqual([...fresh.starts]);
      expect([...band.spanExtents!.ends]).toEqual([...fresh.ends]);
      expect(band.spanExtents!.maxSpan).toBe(fresh.maxSpan);
    }
    expect(steps).toBeGreaterThan(5);
    // One array for the whole growth: no copy of the band per render.
    expect(arrays.size).toBe(1);
  });

  it("a few tasks keep a track each", async () => {
    const l = layoutTimeline(await defaultRun());
    const view = timelineView(l, l.endNs);
    expect(view.hiddenTasks).toBe(0);
    expect(view.rows.some((r) => r.key === "tasks")).toBe(false);
  });
});

/** A hand-written stream: `n` tasks forked, a transition started, each task switching 1 ms apart. */
function switchingOneByOne(n: number): EngineEvent[] {
  const bodies: EventBody[] = [];
  for (let pid = 1; pid <= n; pid++)
    bodies.push({ kind: "task", op: "fork", pid, comm: "t", ppid: 0, taskKind: "user" });
  bodies.push({ kind: "transition", patch: "p", phase: "init", target: 1 });
  bodies.push({ kind: "transition", patch: "p", phase: "start", target: 1 });
  const out: EngineEvent[] = bodies.map((b, seq) => ({ ...b, seq, tNs: 0 }) as EngineEvent);
  for (let pid = 1; pid <= n; pid++) {
    const b: EventBody = { kind: "task-switch", pid, comm: "t", state: 1, reason: "user-return" };
    out.push({ ...b, seq: out.length, tNs: pid * 1e6 } as EngineEvent);
  }
  out.push({
    kind: "transition",
    patch: "p",
    phase: "complete",
    target: 1,
    seq: out.length,
    tNs: (n + 1) * 1e6,
  } as EngineEvent);
  return out;
}
