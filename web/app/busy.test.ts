// busy.test.ts: the busy watch on a hand-driven clock (the oldest unanswered request is shown
// after BUSY_AFTER_MS, hidden once answered; a queued one that already waited shows at once), and
// Stop through the store on a real session whose engine never answers one request.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../cli/node-run.ts";
import type { SessionOp } from "../../engine/host/protocol.ts";
import { SessionHost } from "../../engine/host/session.ts";
import { SESSION_ENV } from "../engine/sessionEnv.ts";
import { BUSY_AFTER_MS, type Busy, BusyWatch, describeOp, type WatchClock } from "./busy.ts";
import { createWorkbench } from "./store.ts";

/** A clock the test moves: timers fire when `advance` passes them. */
function handClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let id = 0;
  const clk: WatchClock = {
    now: () => now,
    setTimer: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++id });
      return id;
    },
    clearTimer: (t) => (timers = timers.filter((x) => x.id !== t)),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers = timers.filter((x) => x !== t);
      t.fn();
    }
  };
  return { clk, advance };
}

const shellOp = (line: string): SessionOp => ({ op: "shell", line });

describe("BusyWatch", () => {
  it("shows the oldest request once it waited a second, and hides it when answered", () => {
    const { clk, advance } = handClock();
    const seen: (Busy | null)[] = [];
    const w = new BusyWatch((b) => seen.push(b), clk);
    const a = w.begin({ op: "advance", toNs: 2.5e9 });
    advance(BUSY_AFTER_MS - 1);
    expect(seen).toEqual([]);
    const b = w.begin(shellOp("sleep 100000"));
    advance(1);
    expect(seen).toEqual([{ what: "running the clock to 2.500 s", sinceMs: 0 }]);
    // The first answered; the second already waited 1 ms: hidden until its own second passes.
    w.end(a);
    expect(seen.at(-1)).toBe(null);
    advance(BUSY_AFTER_MS - 1);
    expect(seen.at(-1)).toEqual({
      what: 'running the shell line "sleep 100000"',
      line: "sleep 100000",
      sinceMs: BUSY_AFTER_MS - 1,
    });
    w.end(b);
    expect(seen.at(-1)).toBe(null);
    expect(seen).toHaveLength(4);
  });

  it("answers within the second show nothing", () => {
    const { clk, advance } = handClock();
    const seen: (Busy | null)[] = [];
    const w = new BusyWatch((b) => seen.push(b), clk);
    for (let i = 0; i < 5; i++) {
      const t = w.begin({ op: "step" });
      advance(900);
      w.end(t);
    }
    advance(5000);
    expect(seen).toEqual([]);
    expect(describeOp({ op: "seek", toNs: 1e9 })).toBe("jumping to 1.000 s");
  });
});

describe("Stop", () => {
  it("replaces a stuck engine, reopens the scenario as the page holds it and replays to its moment", async () => {
    const DEFAULT = JSON.parse(
      readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
    ) as unknown;
    const { clk, advance } = handClock();
    let host = new SessionHost(coreWasm(), SESSION_ENV);
    // The real session; one shell line the "engine" never answers until it is stopped.
    let hang: (() => void) | null = null;
    const wb = createWorkbench({ schedule: () => {}, busyClock: clk });
    wb.connect(
      {
        session: (op) =>
          op.op === "shell" && op.line === "runaway"
            ? new Promise((resolve) => {
                hang = () => resolve({ ok: false, error: { kind: "stopped", message: "stopped" } });
              })
            : host.handle(op),
        stop: async () => {
          hang?.();
          host = new SessionHost(coreWasm(), SESSION_ENV);
          return { ok: true, value: undefined };
        },
      },
      "worker",
    );
    await wb.open({ scenario: DEFAULT, source: "d" }, false);
    await wb.shell("echo kept");
    await wb.seek({ toNs: 1.5e9 });
    wb.flush();
    const before = wb.store.getState();
    const shown = before.log.map((l) => l.text);
    const stuck = wb.shell("runaway");
    advance(BUSY_AFTER_MS + 500);
    expect(wb.store.getState().busy?.line).toBe("runaway");
    expect(await wb.stopEngine()).toBe(true);
    expect(await stuck).toBe(false);
    wb.flush();
    const s = wb.store.getState();
    expect(s.busy).toBe(null);
    expect(s.crashed).toBe(null);
    expect(s.playing).toBe(false);
    expect(s.nowNs).toBe(1.5e9);
    expect(s.log.map((l) => l.text)).toEqual(shown);
    expect(s.scenario?.script.filter((st) => st.run === "echo kept")).toHaveLength(1);
    expect(s.scenario?.script.some((st) => st.run === "runaway")).toBe(false);
    expect(s.stopped?.title).toBe(
      'Stopped: the engine had been running the shell line "runaway" for 2 s without answering.',
    );
    expect(s.stopped?.lines[0]).toMatch(/replayed it to 1\.500 s, the moment the page showed/);
    expect(s.stopped?.lines[1]).toMatch(/"runaway" did not finish, so it is not in the script/);
  });
});
