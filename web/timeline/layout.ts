// layout.ts: the timeline's tracks from a run's event stream, in one pass: each livepatch's
// transitions (init, start, every attempt, signals, force, reverse, complete), each task's patch
// state over time with its switches and waits, callbacks with their pairs joined, shadow variable
// lifetimes with leaks flagged, modules loaded and unloaded. Pure data for the view to scale and
// draw; the same events give the same layout.
import type { EngineEvent } from "../../engine/events.ts";
import { shadowId } from "../../engine/trace/shadow.ts";
import { CallbackPairs } from "./callbacks.ts";
import type {
  ModuleMark,
  ModuleSpan,
  PatchTrack,
  ShadowLifetime,
  TimelineLayout,
  TransitionSpan,
} from "./model.ts";
import { TaskReplay } from "./tasks.ts";

type Ev<K extends EngineEvent["kind"]> = Extract<EngineEvent, { kind: K }>;

export interface LayoutOptions {
  /** Where the run ended (virtual ns); defaults to the last event's time. */
  endNs?: number;
}

/** Reads a stream event by event (layoutTimeline from the start, TimelineStream as it grows). */
export class Builder {
  readonly patches = new Map<string, PatchTrack>();
  readonly tasks = new TaskReplay();
  readonly callbacks = new CallbackPairs();
  readonly shadows: ShadowLifetime[] = [];
  readonly modules: ModuleSpan[] = [];
  readonly moduleMarks: ModuleMark[] = [];
  /** Live shadow variables by <obj, id>. */
  private readonly liveShadows = new Map<string, ShadowLifetime>();
  private readonly loaded = new Map<string, ModuleSpan>();

  /** Reads `e`; a walk over every task still queued (TaskReplay.drain) is finished first. */
  event(e: EngineEvent): void {
    this.tasks.drain();
    switch (e.kind) {
      case "log":
      case "site":
        return;
      case "transition":
        return this.transition(e);
      case "task-switch":
        return this.tasks.switched(e);
      case "task-blocked":
        return this.tasks.blocked(e);
      case "task":
        return e.op === "fork" ? this.tasks.fork(e) : this.tasks.exit(e);
      case "callback":
        return this.callbacks.event(e);
      case "shadow":
        return this.shadow(e);
      case "module":
        return this.module(e);
    }
  }

  private transition(e: Ev<"transition">): void {
    let track = this.patches.get(e.patch);
    if (!track) {
      track = { patch: e.patch, marks: [], spans: [] };
      this.patches.set(e.patch, track);
    }
    track.marks.push({ seq: e.seq, tNs: e.tNs, phase: e.phase, target: e.target });
    const open = track.spans.at(-1);
    const current = open && open.ended === "open" ? open : null;
    const close = (ended: TransitionSpan["ended"]) => {
      if (!current) return;
      current.toNs = e.tNs;
      current.toSeq = e.seq;
      current.ended = ended;
    };
    const begin = () => {
      track.spans.push({
        target: e.target,
        fromNs: e.tNs,
        fromSeq: e.seq,
        toNs: null,
        toSeq: null,
        ended: "open",
        attempts: 0,
        signals: 0,
        forced: false,
      });
    };
    switch (e.phase) {
      case "init":
        this.tasks.init(e.tNs, e.target);
        return begin();
      case "start":
        return this.tasks.start(e.tNs, e.target);
      case "attempt":
        if (current) current.attempts++;
        return;
      case "signal":
        if (current) current.signals++;
        return;
      case "force":
        if (current) current.forced = true;
        return;
      case "reverse":
        close("reversed");
        begin();
        return this.tasks.reverse(e.tNs, e.target);
      case "cancel":
        // klp_cancel_transition goes on to complete the (unpatching) transition it turned into.
        if (current) current.ended = "open";
        return;
      case "complete":
        close(current && track.marks.at(-2)?.phase === "cancel" ? "cancel" : "complete");
        return this.tasks.complete(e.tNs);
    }
  }

  private shadow(e: Ev<"shadow">): void {
    if (e.op === "alloc") {
      const subject = shadowId(e.obj, e.id);
      const v: ShadowLifetime = {
        subject,
        obj: e.obj,
        id: e.id,
        fromNs: e.tNs,
        allocSeq: e.seq,
        toNs: null,
        freeSeq: null,
        freedBy: null,
        leaked: true,
      };
      this.shadows.push(v);
      this.liveShadows.set(subject, v);
      return;
    }
    const v = this.liveShadows.get(shadowId(e.obj, e.id));
    if (!v) return;
    this.liveShadows.delete(v.subject);
    v.toNs = e.tNs;
    v.freeSeq = e.seq;
    v.freedBy = e.all ? "klp_shadow_free_all" : "klp_shadow_free";
    v.leaked = false;
  }

  private module(e: Ev<"module">): void {
    this.moduleMarks.push({ seq: e.seq, tNs: e.tNs, name: e.name, op: e.op, state: e.state });
    if (e.op === "load") {
      const span = { name: e.name, fromNs: e.tNs, loadSeq: e.seq, toNs: null, unloadSeq: null };
      this.modules.push(span);
      this.loaded.set(e.name, span);
    } else if (e.op === "unload") {
      const span = this.loaded.get(e.name);
      if (!span) return;
      span.toNs = e.tNs;
      span.unloadSeq = e.seq;
      this.loaded.delete(e.name);
    }
  }
}

/** The layout of what `b` has read (`first` to `last`), open spans reaching to `opts.endNs`. */
export function snapshot(
  b: Builder,
  read: { first: EngineEvent | undefined; last: EngineEvent | undefined },
  opts: LayoutOptions = {},
): TimelineLayout {
  const startNs = read.first?.tNs ?? 0;
  const endNs = Math.max(opts.endNs ?? 0, read.last?.tNs ?? 0);
  return {
    startNs,
    endNs,
    patches: [...b.patches.values()],
    tasks: b.tasks.tracks,
    taskCounts: b.tasks.counts,
    tasksWithEvents: b.tasks.withEvents.size,
    notableTasks: b.tasks.notable,
    taskByKey: b.tasks.byKey,
    callbacks: b.callbacks.marks,
    callbackPairs: b.callbacks.pairs,
    shadows: b.shadows,
    modules: b.modules,
    moduleMarks: b.moduleMarks,
  };
}

/** The timeline's tracks for `events` (in stream order). */
export function layoutTimeline(
  events: readonly EngineEvent[],
  opts: LayoutOptions = {},
): TimelineLayout {
  const b = new Builder();
  for (const e of events) b.event(e);
  b.tasks.drain();
  return snapshot(b, { first: events[0], last: events.at(-1) }, opts);
}
