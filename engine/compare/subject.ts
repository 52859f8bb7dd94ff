// subject.ts: what an event is about, so that the two runs' events can be paired: the callback of a
// patch's object (or state), the entry site of a function, the <obj, id> of a shadow variable, a
// module, a task, a patch's transition. Two events with the same subject are compared by their
// signature: the event without its sequence number and time, which two configurations need not
// share (the same callback may run a jiffy later on another architecture).
import type { EngineEvent } from "../events.ts";
import { shadowId } from "../trace/shadow.ts";

/** The event kinds a comparison looks at: every kind but the log, which is drawn from them. */
export type ComparedKind = Exclude<EngineEvent["kind"], "log">;

/** The order divergences of one step are listed in: causes before their consequences. */
export const KIND_ORDER: readonly ComparedKind[] = [
  "module",
  "transition",
  "callback",
  "shadow",
  "site",
  "task-switch",
  "task-blocked",
  "task",
];

/** `<obj, id>` as the trace and the kernel's messages show it (%p, %lx). */
export const shadowSubject = shadowId;

/** The `<obj, id>` of every shadow event, by seq (klp_shadow_free_all reports each obj too). */
export function shadowSubjects(events: readonly EngineEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of events) if (e.kind === "shadow") out.set(e.seq, shadowId(e.obj, e.id));
  return out;
}

/** The subject of an event, or null for the log. */
export function subjectOf(e: EngineEvent): string | null {
  switch (e.kind) {
    case "log":
      return null;
    case "transition":
      return e.patch;
    case "callback":
      return `${e.patch}/${e.object}/${e.callback}`;
    case "shadow":
      return shadowSubject(e.obj, e.id);
    case "site":
      return e.func;
    case "module":
      return e.name;
    case "task-switch":
    case "task-blocked":
    case "task":
      return `${e.pid} ${e.comm}`;
  }
}

/** What two events of one subject must agree on. */
export function signatureOf(e: EngineEvent): string {
  switch (e.kind) {
    case "log":
      return e.text;
    case "transition":
      return `${e.phase} ${e.target}`;
    case "callback":
      return `${e.callback} ${e.pairsWith ?? "-"} ${e.state ?? "-"}`;
    case "shadow":
      return e.op;
    case "site":
      // The protocol step is implied by the bytes; the bytes are what differs between arches.
      return e.bytes;
    case "module":
      return `${e.op} ${e.state}`;
    case "task-switch":
      return `${e.state} ${e.reason}`;
    case "task-blocked":
      return `${e.errno} ${e.func ?? "-"}`;
    case "task":
      return `${e.op} ${e.ppid ?? "-"} ${e.taskKind ?? "-"}`;
  }
}
