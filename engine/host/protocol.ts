// protocol.ts: the messages between a page and the engine running in a Web Worker (or in the
// page itself, where workers are missing). Plain data only, so that structured clone carries
// them; everything the engine answers is a value, never a thrown error.
import type { Arch } from "../../core-wasm/bindings/index.ts";
import type { EngineEvent } from "../events.ts";
import type { Configuration, Divergence } from "../compare/index.ts";
import type { EntrySiteView } from "../machine/entry-site.ts";
import type { TextRead } from "./pokes.ts";
import type { Semantics } from "../machine/machine.ts";
import { err, ok, type Result } from "../result.ts";
import type { StepOutcome } from "../scenario/run.ts";
import type { MachineView } from "../scenario/view.ts";
import type { Scenario, Step } from "../../scenarios/schema.ts";

/** A module written as TypeScript source, run in its own sandbox; `insmod <name>.ko` loads it. */
export interface ModuleSource {
  name: string;
  source: string;
}

/** One run: a fresh machine, the modules, then the shell script (a scenario, later). */
export interface RunRequest {
  script: string;
  semantics: Semantics;
  arch: Arch;
  seed: number;
  modules?: ModuleSource[];
}

export interface RunOutput {
  /** The kernel log as `dmesg` prints it (virtual timestamps). */
  log: string[];
  events: EngineEvent[];
  /** runHash(log, events). */
  hash: string;
  /** What the script's commands printed, and the last command's status. */
  stdout: string;
  stderr: string;
  status: number;
  /** Virtual time at the end of the run, in ns since boot. */
  endNs: number;
}

/**
 * "stopped" comes from the page's side: it ended the run (engine/host never answers it).
 * "scenario" and "link": the validator or the link decoder refused what was opened (`problems`);
 * "no-session": a session operation before any scenario was opened.
 */
export type RunErrorKind =
  | "bad-request"
  | "not-ready"
  | "module"
  | "engine"
  | "stopped"
  | "scenario"
  | "link"
  | "no-session";

export interface RunError {
  kind: RunErrorKind;
  message: string;
  /** The validator's problems, as `path: message` (kinds "scenario" and "link"). */
  problems?: { path: string; message: string }[];
}

/**
 * Bumped on any change to these messages: a page and a worker from different builds (a cached
 * worker script) refuse each other at init instead of misreading each other.
 */
export const PROTOCOL_VERSION = 7;

/**
 * One operation on the interactive session (session.ts). The engine holds one session at a time;
 * "open" and "open-link" replace it. Time moves only by advance, step and shell.
 */
export type SessionOp =
  /** A scenario as parsed JSON: validated (scenarios/load.ts) before anything boots. */
  | { op: "open"; scenario: unknown }
  /** A link or its fragment (scenarios/link.ts). */
  | { op: "open-link"; link: string }
  | { op: "advance"; toNs: number }
  /** Runs until the engine emits its next event. */
  | { op: "step" }
  /** Runs to the end of the next script step (timers due before it, then the step); step once done. */
  | { op: "step-over" }
  /**
   * A jump to a moment, back or forward: `toNs`, the state once everything due up to that virtual
   * time ran; or `toEvent`, the state just before the virtual nanosecond in which event `toEvent`
   * was emitted (a timer batch is not split, so "one event back" is toEvent: count - 1). Forward,
   * time runs on and the answer is an ordinary delta; back, the engine re-boots the scenario and
   * replays its script (with the inserted steps) to there, and the answer has `reset`: its events
   * and log are the whole run from boot and replace the page's, never append to them.
   */
  | { op: "seek"; toNs?: number; toEvent?: number }
  /** A shell line run now; it is inserted into the script at the current virtual time. */
  | { op: "shell"; line: string }
  /** A sysfs file or /proc/<pid>/ file (their show methods only read the model's state). */
  | { op: "read"; path: string }
  /** A directory's entries. */
  | { op: "ls"; path: string }
  /** The link of the session's scenario as it stands (with its inserted steps). */
  | { op: "link"; base: string; moment?: { atMs?: number; event?: number } }
  /**
   * The entry site of a patched function now (its name; omitted: the first patched one), or with
   * `atEvent` (a "site" event's seq) as the core held it right after that text-poke stage.
   */
  | { op: "entry-site"; func?: string; atEvent?: number }
  /**
   * `len` bytes of kernel text at `addr` (a full address, hex without 0x) read from the core's
   * text arena now, or as it was right after site event `atEvent`: a read apart from the view's.
   */
  | { op: "text"; addr: string; len: number; atEvent?: number }
  /** The session's scenario as it stands, run afresh as it is and under `other` (engine/compare). */
  | { op: "compare"; other: Configuration }
  /**
   * The session's whole run so far as a file's text (every event since boot, not the page's log
   * window): "log", dmesg's lines with their timestamps; "trace", the Perfetto trace as JSON.
   */
  | { op: "export"; what: "log" | "trace" }
  /**
   * A delta without moving time: the events a capped delta left out (`eventsPending`), and, with
   * `tasks`, the window of the task list every later view carries (the rows a table shows).
   */
  | { op: "view"; tasks?: { offset: number; limit: number } };

/** Page -> engine. */
export type ToEngine =
  /** The core's bytes, fetched by the page; the engine compiles them once. */
  | { type: "init"; version: number; core: ArrayBuffer }
  | { type: "run"; id: number; request: RunRequest }
  | { type: "session"; id: number; op: SessionOp };

/** Engine -> page. */
export type FromEngine =
  | { type: "ready"; version: number }
  | { type: "init-failed"; message: string }
  | { type: "result"; id: number; result: Result<RunOutput, RunError> }
  | { type: "session"; id: number; result: Result<SessionAnswer, RunError> };

/** One line of the kernel log and the event that printed it (its moment). */
export interface LogLine {
  /** The "log" event's seq. */
  event: number;
  tNs: number;
  level: number;
  text: string;
}

/** What changed since the previous answer: the new events and log lines, and the state now. */
export interface SessionDelta {
  /** seek back: this delta starts from boot; the page drops what it holds and takes this. */
  reset?: boolean;
  nowNs: number;
  /** Index of the next script step; script.length once all ran. */
  next: number;
  done: boolean;
  /** At most MAX_DELTA_EVENTS (session.ts) of the new events, oldest first. */
  events: EngineEvent[];
  /** Events emitted but not in this delta (a later answer carries them; op "view" asks). */
  eventsPending: number;
  log: LogLine[];
  view: MachineView;
  /** Script steps that ran meanwhile (what they printed). */
  steps: StepOutcome[];
  /** Why a step back replays from boot in this session (no checkpoints); absent when it has them. */
  checkpointsOff?: string;
}

export interface SessionAnswer {
  delta: SessionDelta;
  /** open, open-link: the scenario as validated (and the link's moment). */
  opened?: { scenario: Scenario; moment: { atMs?: number; event?: number } };
  /** shell: the step as the script now holds it, and what it printed. */
  output?: { step: Step; outcome: StepOutcome };
  /** read: the text, or -errno. */
  read?: string | number;
  /** ls: the sorted entries, or -errno. */
  ls?: string[] | number;
  link?: string;
  /**
   * entry-site: the functions of the loaded patches, and the chosen one's view (or why none); the
   * view lists the first SITE_TASKS (views.ts) of the machine's `taskCount` tasks (with a view).
   */
  site?: { patched: string[]; view: Result<EntrySiteView, string> | null; taskCount?: number };
  /** text: the bytes read, or why none. */
  text?: Result<TextRead, string>;
  /** compare: both runs' logs and script steps, and the divergences (or why a run stopped). */
  compare?: Result<ComparedRuns, string>;
  /** export: the file's text. */
  exported?: string;
}

/** One side of a comparison, as the view needs it. */
export interface ComparedSide {
  config: Required<Configuration>;
  /** The run's events, for its timeline (the divergences' events are among them, by seq). */
  events: EngineEvent[];
  /** The kernel log, each line with the event that printed it (as a session's delta has it). */
  log: LogLine[];
  steps: { index: number; firstSeq: number; status: number }[];
}

export interface ComparedRuns {
  a: ComparedSide;
  b: ComparedSide;
  divergences: Divergence[];
  summary: string[];
}

const SEMANTICS: readonly Semantics[] = ["mainline", "proposed"];
const ARCHES: readonly Arch[] = ["x86_64", "arm64"];

function isModule(v: unknown): v is ModuleSource {
  const m = v as ModuleSource;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.name === "string" &&
    typeof m.source === "string"
  );
}

/** Checks a request that crossed a message boundary. @returns it, or what is wrong with it. */
export function parseRunRequest(v: unknown): Result<RunRequest, RunError> {
  const bad = (message: string) => err<RunError>({ kind: "bad-request", message });
  if (typeof v !== "object" || v === null) return bad("the request is not an object");
  const r = v as Partial<RunRequest>;
  if (typeof r.script !== "string") return bad("script: not a string");
  if (!SEMANTICS.includes(r.semantics as Semantics)) return bad("semantics: mainline or proposed");
  if (!ARCHES.includes(r.arch as Arch)) return bad("arch: x86_64 or arm64");
  if (!Number.isSafeInteger(r.seed)) return bad("seed: not an integer");
  if (r.modules !== undefined && !(Array.isArray(r.modules) && r.modules.every(isModule)))
    return bad("modules: a list of { name, source }");
  if (r.modules?.some((m) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.name)))
    return bad("modules: a name is not a C identifier");
  return ok({
    script: r.script,
    semantics: r.semantics!,
    arch: r.arch!,
    seed: r.seed!,
    ...(r.modules ? { modules: r.modules } : {}),
  });
}
