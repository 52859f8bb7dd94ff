// busy.ts: how long the engine has been working on a request. The page never waits for the
// engine (it runs in a Worker), but a request can run away: module code that burns its budget in
// 64 tasks, a shell `sleep` of a day with a stalled transition, a high speed. After BUSY_AFTER_MS
// without an answer the workbench says so and offers Stop. Real time is right here: it measures
// the engine's work, and nothing the engine computes depends on it.
import type { SessionOp } from "../../engine/host/protocol.ts";
import { clock } from "./format.ts";

/** How long a request may go unanswered before the page calls the engine busy (ms). */
export const BUSY_AFTER_MS = 1000;

/** The request the engine has not answered yet, for the busy notice and the Stop message. */
export interface Busy {
  /** What the engine was asked, in words ("running the shell line …"). */
  what: string;
  /** The shell line, when it was one: it never joined the script if the engine is stopped. */
  line?: string;
  /** Real time (ms, the watch's clock) the request was sent. */
  sinceMs: number;
}

/** What a session operation asks, in words. */
export function describeOp(op: SessionOp): string {
  switch (op.op) {
    case "open":
    case "open-link":
      return "opening the scenario";
    case "advance":
      return `running the clock to ${clock(op.toNs)}`;
    case "step":
      return "running to the next event";
    case "step-over":
      return "running the next script line";
    case "seek":
      return op.toNs !== undefined ? `jumping to ${clock(op.toNs)}` : "jumping to an event";
    case "shell":
      return `running the shell line "${op.line}"`;
    case "read":
      return `reading ${op.path}`;
    case "ls":
      return `listing ${op.path}`;
    case "link":
      return "making the link";
    case "entry-site":
      return "reading the entry site";
    case "compare":
      return "running the comparison";
    case "text":
      return "reading kernel text";
    case "export":
      return op.what === "log" ? "exporting the log" : "exporting the trace";
    case "view":
      return "fetching the events and tasks still to show";
  }
}

export interface WatchClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(t: unknown): void;
}

const REAL_CLOCK: WatchClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
};

/**
 * The engine's outstanding requests, oldest first (the worker answers in order, so the oldest is
 * the one it works on). `onChange` gets the busy request once the oldest has waited
 * BUSY_AFTER_MS, and null when the engine has answered everything.
 */
export class BusyWatch {
  private readonly open = new Map<number, Busy>();
  private nextToken = 1;
  private timer: unknown = null;
  private shown: Busy | null = null;

  constructor(
    private readonly onChange: (b: Busy | null) => void,
    private readonly clk: WatchClock = REAL_CLOCK,
    private readonly afterMs = BUSY_AFTER_MS,
  ) {}

  /** A request was sent. @returns its token for end(). */
  begin(op: SessionOp): number {
    const token = this.nextToken++;
    const b: Busy = { what: describeOp(op), sinceMs: this.clk.now() };
    if (op.op === "shell") b.line = op.line;
    this.open.set(token, b);
    if (this.open.size === 1) this.watch();
    return token;
  }

  /** Its answer arrived (or it was dropped). */
  end(token: number): void {
    if (!this.open.delete(token)) return;
    this.watch();
  }

  /** Every request is forgotten (the engine was replaced). */
  reset(): void {
    this.open.clear();
    this.watch();
  }

  /** How long ago `b` was sent (ms). */
  ageMs(b: Busy): number {
    return this.clk.now() - b.sinceMs;
  }

  /** The busy request now shown, if any. */
  current(): Busy | null {
    return this.shown;
  }

  /** Re-arms the timer for the oldest outstanding request. */
  private watch(): void {
    if (this.timer !== null) this.clk.clearTimer(this.timer);
    this.timer = null;
    const oldest = this.open.values().next().value;
    if (!oldest) return this.show(null);
    const left = oldest.sinceMs + this.afterMs - this.clk.now();
    if (left <= 0) return this.show(oldest);
    // Answered in time so far: nothing shown until the threshold passes.
    if (this.shown !== null) this.show(null);
    this.timer = this.clk.setTimer(() => {
      this.timer = null;
      this.watch();
    }, left);
  }

  private show(b: Busy | null): void {
    if (b === this.shown) return;
    this.shown = b;
    this.onChange(b);
  }
}
