// tasks.ts: each task's patch state over time, replayed from the stream by the kernel's rules
// (the stream says when a task switched; the rest follows, as engine/trace/tasks.ts replays it):
// klp_init_transition gives every task the initial state (the opposite of the target),
// klp_start_transition marks every task pending, klp_copy_process gives a child its parent's
// state and flag, klp_reverse_transition makes pending exactly the tasks that had switched, and
// klp_complete_transition puts every task back to KLP_TRANSITION_IDLE.
import type { EngineEvent } from "../../engine/events.ts";
import type { TaskCount, TaskSpan, TaskTrack, TaskWait } from "./model.ts";

type Ev<K extends EngineEvent["kind"]> = Extract<EngineEvent, { kind: K }>;

/** Tasks walked between two looks at the clock. */
const CHECK_EVERY = 1024;

/** KLP_TRANSITION_IDLE: no transition in progress. */
export const IDLE_STATE = -1;

/** errno of a failed stack check, in klp_try_switch_task's words. */
const WHY: Record<number, string> = {
  [-16]: "running",
  [-22]: "unreliable stack",
  [-98]: "sleeping in a patched function",
};

interface Live {
  track: TaskTrack;
  span: TaskSpan;
  lastWait: TaskWait | null;
}

export class TaskReplay {
  readonly tracks: TaskTrack[] = [];
  readonly counts: TaskCount[] = [];
  /**
   * Tracks with a switch or a failed check, and those a check held back or the kernel forced (in
   * the order they became so), kept as they arrive: the timeline summarises many tasks and must
   * not walk them all each time events arrive.
   */
  readonly withEvents = new Set<TaskTrack>();
  readonly notable: TaskTrack[] = [];
  private readonly noted = new Set<TaskTrack>();
  /** Each key's latest track. */
  readonly byKey = new Map<string, TaskTrack>();
  private readonly alive = new Map<string, Live>();
  /** A walk over every task still being applied (see drain). */
  private work: { it: Iterator<Live>; apply: (t: Live) => void } | null = null;
  /** Alive tasks with TIF_PATCH_PENDING, kept as each changes (a recount would walk them all). */
  private pending = 0;

  /** Records the pending count at `tNs` when it changed; changes at one moment are one count. */
  private count(tNs: number): void {
    const last = this.counts.at(-1);
    if (last && last.tNs === tNs) {
      last.alive = this.alive.size;
      last.pending = this.pending;
      const prev = this.counts.at(-2);
      if (prev && prev.pending === last.pending && prev.alive === last.alive) this.counts.pop();
      return;
    }
    if (last && last.pending === this.pending) return;
    if (!last && this.pending === 0) return;
    this.counts.push({ tNs, alive: this.alive.size, pending: this.pending });
  }

  /** Adds `d` to the pending count (±1 as a flag is set or cleared) and records it. */
  private pend(tNs: number, d: number): void {
    if (d === 0) return;
    this.pending += d;
    this.count(tNs);
  }

  private static key(pid: number, comm: string): string {
    return pid === 0 ? `idle:${comm}` : String(pid);
  }

  /** The task's record, created on first sight (boot tasks may appear before their fork). */
  private task(pid: number, comm: string, tNs: number, state = IDLE_STATE, pending = false): Live {
    const key = TaskReplay.key(pid, comm);
    let t = this.alive.get(key);
    if (!t) {
      const span: TaskSpan = { fromNs: tNs, toNs: null, state, pending };
      const track: TaskTrack = {
        key,
        pid,
        comm,
        forkNs: null,
        exitNs: null,
        spans: [span],
        switches: [],
        waits: [],
      };
      this.tracks.push(track);
      this.byKey.set(key, track);
      t = { track, span, lastWait: null };
      this.alive.set(key, t);
      this.pend(tNs, pending ? 1 : 0);
    }
    return t;
  }

  /** Ends the current span and begins one with the new state, when anything changed. */
  private set(t: Live, tNs: number, state: number, pending: boolean): void {
    if (t.span.state === state && t.span.pending === pending) return;
    this.pend(tNs, Number(pending) - Number(t.span.pending));
    if (t.span.fromNs === tNs) {
      // Nothing happened in between: the span takes the new value rather than being empty.
      t.span.state = state;
      t.span.pending = pending;
      const prev = t.track.spans.at(-2);
      if (prev && prev.state === state && prev.pending === pending) {
        t.track.spans.pop();
        prev.toNs = null;
        t.span = prev;
      }
      return;
    }
    t.span.toNs = tNs;
    t.span = { fromNs: tNs, toNs: null, state, pending };
    t.track.spans.push(t.span);
  }

  fork(e: Ev<"task">): void {
    const parent = e.ppid ? this.alive.get(String(e.ppid)) : undefined;
    const t = this.task(e.pid, e.comm, e.tNs, parent?.span.state, parent?.span.pending);
    t.track.forkNs = e.tNs;
  }

  exit(e: Ev<"task">): void {
    const key = TaskReplay.key(e.pid, e.comm);
    const t = this.alive.get(key);
    if (!t) return;
    t.span.toNs = e.tNs;
    t.track.exitNs = e.tNs;
    this.alive.delete(key);
    this.pend(e.tNs, t.span.pending ? -1 : 0);
  }

  switched(e: Ev<"task-switch">): void {
    const t = this.task(e.pid, e.comm, e.tNs);
    t.track.switches.push({
      seq: e.seq,
      tNs: e.tNs,
      state: e.state,
      reason: e.reason,
      waitedBecause: t.lastWait,
    });
    t.lastWait = null;
    this.set(t, e.tNs, e.state, false);
    this.withEvents.add(t.track);
    if (e.reason === "force") this.mark(t.track);
  }

  /** Notes a notable track once. */
  private mark(track: TaskTrack): void {
    if (this.noted.has(track)) return;
    this.noted.add(track);
    this.notable.push(track);
  }

  blocked(e: Ev<"task-blocked">): void {
    const t = this.task(e.pid, e.comm, e.tNs);
    const why = WHY[e.errno] ?? `error ${e.errno}`;
    const w: TaskWait = { seq: e.seq, tNs: e.tNs, errno: e.errno, func: e.func, why };
    t.track.waits.push(w);
    t.lastWait = w;
    this.withEvents.add(t.track);
    this.mark(t.track);
  }

  /** klp_init_transition: every task gets the initial state. */
  init(tNs: number, target: number): void {
    this.everyTask((t) => {
      t.lastWait = null;
      this.set(t, tNs, target === 1 ? 0 : 1, false);
    });
  }

  /** klp_start_transition: every task not yet in the target state becomes pending. */
  start(tNs: number, target: number): void {
    this.everyTask((t) => {
      if (t.span.state !== target) this.set(t, tNs, t.span.state, true);
    });
  }

  /**
   * klp_reverse_transition: the flags are cleared, the target flips and klp_start_transition runs
   * again, so pending becomes exactly the tasks that had switched (their state is not the new one).
   */
  reverse(tNs: number, target: number): void {
    this.everyTask((t) => {
      t.lastWait = null;
      this.set(t, tNs, t.span.state, t.span.state !== IDLE_STATE && t.span.state !== target);
    });
  }

  /** klp_complete_transition: nothing is pending, every task is back to idle. */
  complete(tNs: number): void {
    this.everyTask((t) => this.set(t, tNs, IDLE_STATE, false));
  }

  /**
   * Queues `apply` for every task alive now. The walk over all tasks (100,000 on a stress machine)
   * may be done in slices (drain with a deadline); the stream's next event waits for it.
   */
  private everyTask(apply: (t: Live) => void): void {
    this.drain();
    this.work = { it: this.alive.values(), apply };
  }

  /**
   * Applies queued walks until done or past `until` (performance.now()): true when nothing is
   * left. No task is added or removed meanwhile: the next event is read only once this is done.
   */
  drain(until = Infinity): boolean {
    const w = this.work;
    if (!w) return true;
    for (let n = 1; ; n++) {
      const r = w.it.next();
      if (r.done) break;
      w.apply(r.value);
      if (n % CHECK_EVERY === 0 && performance.now() > until) return false;
    }
    this.work = null;
    return true;
  }
}
