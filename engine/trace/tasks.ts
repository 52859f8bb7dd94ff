// tasks.ts: one thread track per simulated task, showing when it was pending in a transition.
// The stream says when each task switched (task-switch); when it became pending follows from the
// kernel's rules, which this file replays: klp_start_transition marks every task pending,
// klp_copy_process gives a child its parent's flag, klp_reverse_transition makes pending exactly
// the tasks that had switched, and a transition completes only once none is pending.
import type { EngineEvent } from "../events.ts";
import type { TraceArgs } from "./format.ts";
import { PROCESSES, type Track, type TrackTable } from "./tracks.ts";

type Ev<K extends EngineEvent["kind"]> = Extract<EngineEvent, { kind: K }>;

interface TaskTrack {
  track: Track;
  pending: boolean;
}

/** errno of a failed stack check, in klp_try_switch_task's words. */
const WHY: Record<number, string> = {
  [-16]: "running",
  [-22]: "unreliable stack",
  [-98]: "sleeping in a patched function",
};

/** Idle tasks all have pid 0: their tracks get tids past the process's own, by comm. */
const IDLE_TID_BASE = PROCESSES.tasks.pid + 1;

export class TaskTracks {
  private readonly alive = new Map<string, TaskTrack>();
  private idleCount = 0;
  /** The transition in progress: its slice name on the tasks' tracks. */
  private window: string | null = null;

  constructor(private readonly tracks: TrackTable) {}

  private static key(pid: number, comm: string): string {
    return pid === 0 ? `idle:${comm}` : String(pid);
  }

  /** The task's track, created on first sight (boot tasks appear by their fork events). */
  private task(pid: number, comm: string): TaskTrack {
    const key = TaskTracks.key(pid, comm);
    let t = this.alive.get(key);
    if (!t) {
      const tid = pid === 0 ? IDLE_TID_BASE + this.idleCount++ : pid;
      t = { track: this.tracks.thread("tasks", key, comm, tid), pending: false };
      this.alive.set(key, t);
    }
    return t;
  }

  private setPending(t: TaskTrack, tNs: number, on: boolean, args: TraceArgs): void {
    t.pending = on;
    if (on && this.window) this.tracks.begin(t.track, tNs, this.window);
    else this.tracks.end(t.track, tNs, args);
  }

  fork(e: Ev<"task">): void {
    const t = this.task(e.pid, e.comm);
    this.tracks.instant(t.track, e.tNs, "fork", { ppid: e.ppid ?? 0 });
    // klp_copy_process: the child inherits its parent's TIF_PATCH_PENDING.
    const parent = e.ppid ? this.alive.get(String(e.ppid)) : undefined;
    if (this.window && parent?.pending) this.setPending(t, e.tNs, true, {});
  }

  exit(e: Ev<"task">): void {
    const key = TaskTracks.key(e.pid, e.comm);
    const t = this.alive.get(key);
    if (!t) return;
    if (t.pending) this.setPending(t, e.tNs, false, { ended: "exit" });
    this.tracks.instant(t.track, e.tNs, "exit");
    this.alive.delete(key);
  }

  switched(e: Ev<"task-switch">): void {
    const t = this.task(e.pid, e.comm);
    if (t.pending) this.setPending(t, e.tNs, false, { switched: e.reason, state: e.state });
    else this.tracks.instant(t.track, e.tNs, `switched (${e.reason})`, { state: e.state });
  }

  blocked(e: Ev<"task-blocked">): void {
    const t = this.task(e.pid, e.comm);
    const why = WHY[e.errno] ?? `error ${e.errno}`;
    this.tracks.instant(t.track, e.tNs, `blocked: ${why}`, { errno: e.errno, func: e.func });
  }

  /** klp_start_transition: every task becomes pending. */
  start(tNs: number, slice: string): void {
    this.window = slice;
    for (const t of this.alive.values()) this.setPending(t, tNs, true, {});
  }

  /** klp_reverse_transition: the switched tasks become pending, the pending ones are done. */
  reverse(tNs: number, slice: string): void {
    const wasPending = [...this.alive.values()].map((t) => [t, t.pending] as const);
    for (const [t, p] of wasPending) if (p) this.setPending(t, tNs, false, { ended: "reversed" });
    this.window = slice;
    for (const [t, p] of wasPending) if (!p) this.setPending(t, tNs, true, {});
  }

  /** klp_complete_transition: nothing is pending any more. */
  complete(tNs: number): void {
    for (const t of this.alive.values())
      if (t.pending) this.setPending(t, tNs, false, { ended: "complete" });
    this.window = null;
  }
}
