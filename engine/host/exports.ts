// exports.ts: a session's run so far as files to keep: the kernel log as dmesg prints it and the
// Perfetto trace. Both come from the whole event stream the session holds (the page keeps only a
// window of the log), so an export is the run itself, not what happened to be on screen.
import { dmesgStamp } from "../clock.ts";
import type { EngineEvent } from "../events.ts";
import { toChromeTrace } from "../trace/export.ts";
import type { ScenarioSession } from "../scenario/session.ts";
import type { LogLine } from "./protocol.ts";

export type ExportKind = "log" | "trace";

/** Every log line of the run, each `[ sec.usec] text`, one a line, ending with a newline. */
export function dmesgText(lines: readonly LogLine[]): string {
  return lines.map((l) => `${dmesgStamp(l.tNs)}${l.text}\n`).join("");
}

/**
 * The file's text: the log, or the trace as JSON (a string crosses the Worker boundary as one
 * copy, where a trace object of 100k events would be cloned field by field).
 */
export function sessionExport(
  s: ScenarioSession,
  what: ExportKind,
  logLines: (e: EngineEvent & { kind: "log" }) => LogLine[],
): string {
  const events = s.eventsSince(0);
  if (what === "log")
    return dmesgText(events.flatMap((e) => (e.kind === "log" ? logLines(e) : [])));
  const sc = s.scenario;
  const about = { scenario: sc.title, semantics: sc.semantics, arch: sc.arch, seed: sc.seed };
  return JSON.stringify(toChromeTrace(events, { endNs: s.nowNs, about }));
}
