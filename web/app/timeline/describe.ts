// describe.ts: an engine event in words, for the table view and the selection: its kind, what it
// is about and what happened, straight from the event's fields.
import type { EngineEvent } from "../../../engine/events.ts";
import { shadowId } from "../../../engine/trace/shadow.ts";
import { blockedReason, PATCH_STATE } from "../format.ts";

/** The kinds the timeline draws (log lines are the log pane's; site pokes the entry-site view's). */
export const DRAWN = new Set<EngineEvent["kind"]>([
  "transition",
  "task-switch",
  "task-blocked",
  "callback",
  "shadow",
  "module",
]);

export function describeEvent(e: EngineEvent): { subject: string; what: string } {
  switch (e.kind) {
    case "transition":
      return {
        subject: e.patch,
        what: `${e.phase}${e.target === 1 ? " (patching)" : e.target === 0 ? " (unpatching)" : ""}`,
      };
    case "task-switch":
      return {
        subject: `${e.pid} ${e.comm}`,
        what: `switched to ${PATCH_STATE[e.state] ?? e.state} (${e.reason})`,
      };
    case "task-blocked":
      return { subject: `${e.pid} ${e.comm}`, what: `not switched: ${blockedReason(e)}` };
    case "callback":
      return { subject: `${e.patch}/${e.object}`, what: e.callback };
    case "shadow":
      return { subject: shadowId(e.obj, e.id), what: e.op };
    case "module":
      return { subject: e.name, what: `${e.op} (${e.state})` };
    case "site":
      return { subject: e.func, what: `site poke step ${e.step}: ${e.bytes}` };
    case "task":
      return { subject: `${e.pid} ${e.comm}`, what: e.op };
    case "log":
      return { subject: "printk", what: e.text.trimEnd() };
  }
}
