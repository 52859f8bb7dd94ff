// rows.test.ts: the default scenario's timeline rows: its patch's transitions, the waiting
// worker's waits (sleeping on the patched function) and its switch, the callbacks joined in pairs, the modules; and the
// table's words for an event.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runInNode } from "../../../cli/node-run.ts";
import { loadScenario } from "../../../scenarios/load.ts";
import { layoutTimeline } from "../../timeline/layout.ts";
import { describeEvent } from "./describe.ts";
import { timelineRows } from "./rows.ts";

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
