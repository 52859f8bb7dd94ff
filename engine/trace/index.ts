// index.ts: the Chrome Trace Event export (Perfetto) of a run's event stream.
export { toChromeTrace, type TraceOptions } from "./export.ts";
export type { ChromeTrace, TraceArgs, TraceEvent, TracePhase } from "./format.ts";
