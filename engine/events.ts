// events.ts: the structured event stream, the one source of truth of a run. The kernel log is drawn
// from its "log" events; the timeline reads the rest. Every event carries the virtual time and a
// sequence number, so two runs with the same seed produce the same stream.
import { type Restorer, SNAPSHOT } from "./checkpoint/graph.ts";
import type { LogLevel } from "./log.ts";
import { ok, type Result } from "./result.ts";

/** What happened, by kind. */
export type EventBody =
  | { kind: "log"; level: LogLevel; text: string }
  | { kind: "transition"; patch: string; phase: TransitionPhase; target: 0 | 1 | -1 }
  | { kind: "task-switch"; pid: number; comm: string; state: number; reason: SwitchReason }
  | { kind: "task-blocked"; pid: number; comm: string; errno: number; func: string | null }
  | {
      kind: "callback";
      patch: string;
      object: string;
      callback: CallbackName;
      /** The callback this one closes a pair with (post_unpatch: pre_patch), or null. */
      pairsWith: CallbackName | null;
      /** Proposed model: the klp_state id whose callback ran (object is then "state <id>"). */
      state?: number;
    }
  | {
      kind: "shadow";
      op: "alloc" | "free";
      obj: number;
      id: number;
      /** free only: freed by klp_shadow_free_all(id) rather than klp_shadow_free(obj, id). */
      all?: true;
    }
  | { kind: "site"; func: string; step: number; bytes: string }
  | { kind: "module"; name: string; op: "load" | "unload" | "load-failed"; state: string }
  | {
      kind: "task";
      pid: number;
      comm: string;
      op: "fork" | "exit";
      /** fork only: the parent's pid (0 for none), whose livepatch state the child copied. */
      ppid?: number;
      /** fork only: user task, kthread or idle task. */
      taskKind?: "user" | "kthread" | "idle";
    };

export type TransitionPhase =
  "init" | "start" | "attempt" | "signal" | "complete" | "cancel" | "reverse" | "force";

/** Where a task switched: a stack check, a switch point of §4.5, or force. */
export type SwitchReason = "stack-check" | "user-return" | "idle" | "sched-hook" | "force";

export type CallbackName = "pre_patch" | "post_patch" | "pre_unpatch" | "post_unpatch";

export type EngineEvent = EventBody & { seq: number; tNs: number };

/** Append-only event list with listeners. */
export class EventStream {
  private list: EngineEvent[] = [];
  private readonly listeners: ((e: EngineEvent) => void)[] = [];

  constructor(private readonly now: () => number) {}

  /** Records an event at the current virtual time. */
  emit(body: EventBody): EngineEvent {
    const e = { ...body, seq: this.list.length, tNs: this.now() } as EngineEvent;
    this.list.push(e);
    for (const l of this.listeners) l(e);
    return e;
  }

  /** Events with seq >= `from`. */
  since(from = 0): readonly EngineEvent[] {
    return this.list.slice(from);
  }

  get length(): number {
    return this.list.length;
  }

  /** Calls `fn` for every later event. */
  subscribe(fn: (e: EngineEvent) => void): void {
    this.listeners.push(fn);
  }

  /**
   * A checkpoint keeps the list and its length: events never change once emitted and a list is
   * never cut (a restore takes a copy of the prefix), so the first n of the kept list are the
   * events at the checkpoint, whether it is before or after the moment restored from. The
   * listeners are the session's, set up once at open.
   */
  [SNAPSHOT](): Result<Restorer, string> {
    const list = this.list;
    const n = list.length;
    return ok(() => {
      this.list = list.slice(0, n);
    });
  }
}
