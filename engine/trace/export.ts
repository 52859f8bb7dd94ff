// export.ts: a run's event stream as a Chrome Trace Event file for Perfetto. Pure: the same events
// give the same trace (in Node and in a Worker). Tracks, by process:
//   Tasks                  a thread per task; a slice while it is pending in a transition, ended
//                          by its switch (with the reason), its exit or a reversal; instants for
//                          fork, exit and every failed stack check
//   Livepatch transitions  one thread: a slice per direction of each transition (init to
//                          complete; a reversal ends one and begins the other); instants for
//                          start, each attempt, the fake signals, force and cancel
//   Livepatch callbacks    a thread per patch: a complete slice per callback (they take no
//                          virtual time, so their duration is 0)
//   Shadow variables       an async slice per shadow variable <obj, id>, alloc to free
//   Modules                a thread per module: a slice while it is loaded
//   Kernel text            a thread per patched function: its entry-site byte changes
//   Kernel log             one thread: every printk line, as an instant
import type { EngineEvent } from "../events.ts";
import { type ChromeTrace, type TraceEvent, us } from "./format.ts";
import { ShadowTracks } from "./shadow.ts";
import { TaskTracks } from "./tasks.ts";
import { TrackTable } from "./tracks.ts";

export type { ChromeTrace, TraceEvent } from "./format.ts";

export interface TraceOptions {
  /** Where the run ended (virtual ns); defaults to the last event's time. */
  endNs?: number;
  /** Free-form facts about the run shown in Perfetto's metadata (semantics, arch, seed...). */
  about?: Record<string, string | number>;
  /** Leave out the kernel log track (it is the largest). */
  omitLog?: boolean;
}

type Ev<K extends EngineEvent["kind"]> = Extract<EngineEvent, { kind: K }>;

const dir = (target: number): string => (target === 1 ? "patching" : "unpatching");

class Exporter {
  readonly tracks = new TrackTable();
  private readonly tasks = new TaskTracks(this.tracks);
  private readonly shadow = new ShadowTracks(this.tracks);
  private readonly transition = this.tracks.thread("transitions", "klp", "klp_transition");

  constructor(private readonly opts: TraceOptions) {}

  event(e: EngineEvent): void {
    switch (e.kind) {
      case "log":
        return this.log(e);
      case "transition":
        return this.phase(e);
      case "task-switch":
        return this.tasks.switched(e);
      case "task-blocked":
        return this.tasks.blocked(e);
      case "task":
        return e.op === "fork" ? this.tasks.fork(e) : this.tasks.exit(e);
      case "callback":
        return this.callback(e);
      case "shadow":
        return this.shadow.event(e);
      case "site":
        return this.site(e);
      case "module":
        return this.module(e);
    }
  }

  private log(e: Ev<"log">): void {
    if (this.opts.omitLog) return;
    const t = this.tracks.thread("log", "printk", "printk");
    const name = e.text.length > 100 ? `${e.text.slice(0, 99)}…` : e.text;
    this.tracks.instant(t, e.tNs, name, { level: e.level, text: e.text });
  }

  private phase(e: Ev<"transition">): void {
    const slice = `${dir(e.target)} ${e.patch}`;
    const args = { patch: e.patch, target: e.target };
    switch (e.phase) {
      case "init":
        return this.tracks.begin(this.transition, e.tNs, slice, args);
      case "start":
        this.tasks.start(e.tNs, slice);
        return this.tracks.instant(this.transition, e.tNs, "start", args);
      case "reverse":
        this.tracks.end(this.transition, e.tNs, { ended: "reversed" });
        this.tracks.begin(this.transition, e.tNs, slice, args);
        return this.tasks.reverse(e.tNs, slice);
      case "complete":
        this.tasks.complete(e.tNs);
        return this.tracks.end(this.transition, e.tNs, { ended: "complete" });
      default:
        // attempt, signal, force, cancel
        return this.tracks.instant(this.transition, e.tNs, e.phase, args);
    }
  }

  private callback(e: Ev<"callback">): void {
    const t = this.tracks.thread("callbacks", e.patch, e.patch);
    this.tracks.complete(t, e.tNs, 0, `${e.callback} ${e.object}`, {
      patch: e.patch,
      object: e.object,
      callback: e.callback,
      pairs_with: e.pairsWith,
      ...(e.state !== undefined ? { state: e.state } : {}),
    });
  }

  private site(e: Ev<"site">): void {
    const t = this.tracks.thread("text", e.func, e.func);
    this.tracks.instant(t, e.tNs, `step ${e.step}: ${e.bytes}`, { step: e.step, bytes: e.bytes });
  }

  private module(e: Ev<"module">): void {
    const t = this.tracks.thread("modules", e.name, e.name);
    if (e.op === "load") this.tracks.begin(t, e.tNs, e.name, { state: e.state });
    else if (e.op === "unload") this.tracks.end(t, e.tNs, { state: e.state });
    else this.tracks.instant(t, e.tNs, "load failed", { state: e.state });
  }

  finish(endNs: number): TraceEvent[] {
    this.tracks.closeAll(endNs);
    this.shadow.closeAll(endNs);
    return [...this.tracks.metadata(), ...this.tracks.out];
  }
}

/**
 * The Chrome Trace Event JSON object (`JSON.stringify` it to a file Perfetto opens) for a run's
 * event stream: microsecond timestamps of virtual time, a name for every process and thread
 * track, no overlapping slices on a track, every begin matched by its end (slices still open
 * when the run ended are closed at `endNs` with `open_at_end: true`).
 */
export function toChromeTrace(
  events: readonly EngineEvent[],
  opts: TraceOptions = {},
): ChromeTrace {
  const x = new Exporter(opts);
  for (const e of events) x.event(e);
  const last = events.length > 0 ? events[events.length - 1]!.tNs : 0;
  const endNs = Math.max(opts.endNs ?? 0, last);
  return {
    traceEvents: x.finish(endNs),
    otherData: { source: "livepatch playground", end_us: us(endNs), ...opts.about },
  };
}
