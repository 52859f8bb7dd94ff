// window.test.ts: a session over many tasks (issue 5): a delta carries at most MAX_DELTA_EVENTS
// events and says how many are pending, op "view" brings the rest in order without moving time,
// the machine view carries the task window the page asked for, and the entry site lists a bounded
// number of tasks with the machine's count.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../cli/node-run.ts";
import { SESSION_ENV } from "../../web/engine/sessionEnv.ts";
import type { EngineEvent } from "../events.ts";
import type { SessionDelta } from "./protocol.ts";
import { MAX_DELTA_EVENTS, SessionHost } from "./session.ts";
import { SITE_TASKS } from "./views.ts";

const TASKS = 6000;
const DEFAULT = JSON.parse(
  readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
) as { machine: object; expect?: unknown };

async function opened(): Promise<{ host: SessionHost; first: SessionDelta }> {
  const { expect: _e, ...rest } = DEFAULT;
  const tasks = [{ comm: "w", every_ms: 1000, does: { syscall: "getpid" }, count: TASKS }];
  const host = new SessionHost(coreWasm(), SESSION_ENV);
  const r = await host.handle({
    op: "open",
    scenario: { ...rest, machine: { ...rest.machine, tasks } },
  });
  if (!r.ok) throw new Error(r.error.message);
  return { host, first: r.value.delta };
}

async function delta(host: SessionHost, op: Parameters<SessionHost["handle"]>[0]) {
  const r = await host.handle(op);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe("a session over many tasks", () => {
  it("caps a delta's events and brings the pending ones in order without moving time", async () => {
    const { host, first } = await opened();
    // Boot alone forks TASKS tasks, one event each.
    expect(first.events).toHaveLength(MAX_DELTA_EVENTS);
    expect(first.eventsPending).toBeGreaterThan(0);
    const events: EngineEvent[] = [...first.events];
    let pending = first.eventsPending;
    while (pending > 0) {
      const d = (await delta(host, { op: "view" })).delta;
      expect(d.nowNs).toBe(first.nowNs);
      expect(d.events.length).toBeLessThanOrEqual(MAX_DELTA_EVENTS);
      events.push(...d.events);
      pending = d.eventsPending;
    }
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.kind === "task").length).toBeGreaterThan(TASKS);
  });

  it("carries the task window asked for, and refuses a window too wide", async () => {
    const { host, first } = await opened();
    expect(first.view.taskOffset).toBe(0);
    const all = first.view.taskCount;
    expect(all).toBeGreaterThan(TASKS);
    const d = (await delta(host, { op: "view", tasks: { offset: 3000, limit: 40 } })).delta;
    expect(d.view.taskOffset).toBe(3000);
    expect(d.view.tasks).toHaveLength(40);
    const w = d.view.tasks.map((t) => t.comm).filter((c) => c.startsWith("w"));
    expect(w).toHaveLength(40);
    // The window stays for later answers; past the end, the view shows the last rows.
    const later = (await delta(host, { op: "advance", toNs: 50e6 })).delta;
    expect(later.view.tasks.map((t) => t.pid)).toEqual(d.view.tasks.map((t) => t.pid));
    const end = (await delta(host, { op: "view", tasks: { offset: 1e9, limit: 10 } })).delta;
    expect(end.view.taskOffset).toBe(end.view.taskCount - 10);
    expect(end.view.tasks).toHaveLength(10);
    const bad = await host.handle({ op: "view", tasks: { offset: 0, limit: 100_000 } });
    expect(!bad.ok && bad.error.kind).toBe("bad-request");
  });

  it("lists SITE_TASKS tasks at an entry site, with the machine's count", async () => {
    const { host, first } = await opened();
    await delta(host, { op: "advance", toNs: 8000e6 });
    const site = (await delta(host, { op: "entry-site" })).site!;
    expect(site.view?.ok && site.view.value.tasks).toHaveLength(SITE_TASKS);
    expect(site.taskCount).toBe(first.view.taskCount);
  });
});
