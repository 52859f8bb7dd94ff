// model.ts: what the timeline draws, by track, as plain data derived from a run's event stream
// (engine/events.ts): no DOM, no scales. Times are virtual nanoseconds since boot; every mark keeps
// the seq of its event so that a click can select the event and its kernel log line.
import type { CallbackName, SwitchReason, TransitionPhase } from "../../engine/events.ts";

/** One event of a patch's transition track: init, start, each attempt, signals, force... */
export interface TransitionMark {
  seq: number;
  tNs: number;
  phase: TransitionPhase;
  /** 1 patching, 0 unpatching (the direction after a reverse). */
  target: 0 | 1 | -1;
}

/** One direction of a transition, from init (or the reversal that began it) to its end. */
export interface TransitionSpan {
  target: 0 | 1 | -1;
  fromNs: number;
  fromSeq: number;
  /** null: still open when the stream ends. */
  toNs: number | null;
  toSeq: number | null;
  ended: "complete" | "reversed" | "cancel" | "open";
  /** Completion attempts (klp_try_complete_transition), the first included. */
  attempts: number;
  /** Fake signal rounds sent. */
  signals: number;
  forced: boolean;
}

export interface PatchTrack {
  patch: string;
  marks: TransitionMark[];
  spans: TransitionSpan[];
}

/** klp_try_switch_task's failed check: why a pending task did not switch at that attempt. */
export interface TaskWait {
  seq: number;
  tNs: number;
  errno: number;
  /** The patched function it was sleeping in, when that was the reason. */
  func: string | null;
  /** The reason in klp_try_switch_task's words. */
  why: string;
}

export interface TaskSwitch {
  seq: number;
  tNs: number;
  /** The patch_state it switched to. */
  state: number;
  reason: SwitchReason;
  /** The last failed check before this switch in the same transition, or null (switched at once). */
  waitedBecause: TaskWait | null;
}

/** A stretch of a task's life with one patch_state and one TIF_PATCH_PENDING value. */
export interface TaskSpan {
  fromNs: number;
  /** null: still so when the stream ends (or when the task exits, at exitNs). */
  toNs: number | null;
  /** patch_state: -1 KLP_TRANSITION_IDLE (no transition), 0 unpatched, 1 patched. */
  state: number;
  pending: boolean;
}

export interface TaskTrack {
  /** pid, or `idle:<comm>` for the idle tasks (all pid 0). */
  key: string;
  pid: number;
  comm: string;
  forkNs: number | null;
  exitNs: number | null;
  spans: TaskSpan[];
  switches: TaskSwitch[];
  waits: TaskWait[];
}

export interface CallbackMark {
  seq: number;
  tNs: number;
  patch: string;
  /** The klp_object's name (vmlinux or a module), or `state <id>` in the proposed model. */
  object: string;
  callback: CallbackName;
  state?: number;
  /** What colours it: the state (proposed) or the object (mainline), within its patch. */
  colour: string;
}

/** pre_patch with its post_unpatch, post_patch with its pre_unpatch; closer null while open. */
export interface CallbackPair {
  colour: string;
  opener: CallbackMark;
  closer: CallbackMark | null;
}

export interface ShadowLifetime {
  /** `<obj, id>` as the kernel prints it. */
  subject: string;
  obj: number;
  id: number;
  fromNs: number;
  allocSeq: number;
  toNs: number | null;
  freeSeq: number | null;
  freedBy: "klp_shadow_free" | "klp_shadow_free_all" | null;
  /** Never freed by the end of the stream: a leak (or alive when the run stopped). */
  leaked: boolean;
}

export interface ModuleSpan {
  name: string;
  fromNs: number;
  loadSeq: number;
  toNs: number | null;
  unloadSeq: number | null;
}

export interface ModuleMark {
  seq: number;
  tNs: number;
  name: string;
  op: "load" | "unload" | "load-failed";
  state: string;
}

/**
 * How many tasks were alive and how many had TIF_PATCH_PENDING, from `tNs` until the next count:
 * the tasks' summary track when there are too many tasks for a track each.
 */
export interface TaskCount {
  tNs: number;
  alive: number;
  pending: number;
}

export interface TimelineLayout {
  startNs: number;
  endNs: number;
  patches: PatchTrack[];
  tasks: TaskTrack[];
  /** Changes of the pending count, one per virtual moment (tasks switched together are one). */
  taskCounts: TaskCount[];
  /** How many tasks have a switch or a failed check (a track when there are few). */
  tasksWithEvents: number;
  /** Tasks a check held back or the kernel forced, in the order they became so. */
  notableTasks: TaskTrack[];
  /** Each task key's latest track. */
  taskByKey: ReadonlyMap<string, TaskTrack>;
  callbacks: CallbackMark[];
  callbackPairs: CallbackPair[];
  shadows: ShadowLifetime[];
  modules: ModuleSpan[];
  moduleMarks: ModuleMark[];
}
