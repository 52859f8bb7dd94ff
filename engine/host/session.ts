// session.ts: the engine's side of the interactive session. It holds one ScenarioSession and
// answers each operation with the delta since its previous answer (new events, new log lines, the
// machine's view), so the page appends what is new and never re-reads the whole run. Scenarios and
// links are validated here, with the scenarios' own validator and decoder: the page never boots
// anything that did not pass them, and their problems come back as values.
import type { CoreSource } from "../../core-wasm/bindings/index.ts";
import { decodeLink, encodeLink, type Moment } from "../../scenarios/link.ts";
import { loadScenario } from "../../scenarios/load.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import { describeError, type Problem } from "../../scenarios/validate.ts";
import type { EngineEvent } from "../events.ts";
import { err, ok, type Result } from "../result.ts";
import type { RunOptions, StepOutcome } from "../scenario/run.ts";
import { ScenarioSession } from "../scenario/session.ts";
import { Checkpoints } from "../checkpoint/checkpoints.ts";
import { sessionExport } from "./exports.ts";
import { PokeStages, readText } from "./pokes.ts";
import { DEFAULT_TASK_WINDOW, type TaskWindow } from "../scenario/view.ts";
import { compareSession, entrySite } from "./views.ts";
import type { LogLine, RunError, SessionAnswer, SessionDelta, SessionOp } from "./protocol.ts";

/** What a session needs besides the core: the build's built-ins, programs and prelude. */
export type SessionEnv = Omit<RunOptions, "core" | "semantics" | "arch">;

/** Longest virtual jump one advance may make (ns): an hour, the longest a script reaches. */
const MAX_ADVANCE_NS = 3600e9;

/** Most steps one forward seek by events takes (each emits at least one event). */
const MAX_SEEK_STEPS = 1_000_000;

/**
 * Most events one delta carries: a transition over 100,000 tasks emits 100,000 task-switch events
 * at one moment, and the page would take them in one structured clone of a long main-thread task.
 */
export const MAX_DELTA_EVENTS = 5000;

/** The widest task window a page may ask for. */
const MAX_TASK_WINDOW = 1000;

/** Files whose show methods only read the model (sysfs attributes, a task's /proc files). */
const PURE_READ = /^\/(sys\/|proc\/\d+\/)[^\0]*$/;

/** Virtual time per slice of a long advance: between two slices a checkpoint may be taken. */
const SLICE_NS = 1e9;

/**
 * Engine work (wall-clock ms) between two checkpoints: a step back restores the latest one at or
 * before its moment and runs forward from there, so it costs about this much plus the restore.
 */
const CHECKPOINT_WORK_MS = 30;

/**
 * When the session takes checkpoints: "adaptive" (after CHECKPOINT_WORK_MS of engine work, and at
 * least three times what the latest image took), "off" (a step back replays from boot), or after
 * a fixed amount of work (tests: 0 takes one between every two slices, Infinity only at boot).
 */
export type CheckpointPolicy = "adaptive" | "off" | { everyWorkMs: number };

const bad = (message: string) => err<RunError>({ kind: "bad-request", message });

/** A log event's lines, split as KernelLog.append splits a message (one record per line). */
function logLines(e: EngineEvent & { kind: "log" }): LogLine[] {
  const body = e.text.endsWith("\n") ? e.text.slice(0, -1) : e.text;
  if (body === "" && e.text !== "\n") return [];
  return body.split("\n").map((text) => ({ event: e.seq, tNs: e.tNs, level: e.level, text }));
}

function scenarioError(message: string, problems: Problem[]): RunError {
  return { kind: "scenario", message, problems };
}

export class SessionHost {
  private session: ScenarioSession | null = null;
  /** The entry site at each text-poke stage of the session's machine (pokes.ts). */
  private pokes: PokeStages | null = null;
  /** Events already sent to the page. */
  private sent = 0;
  /** The task rows the page shows (op "view"); kept across opens and seeks. */
  private taskWindow: TaskWindow = DEFAULT_TASK_WINDOW;
  /** Images of the session's machine (null when it cannot be imaged: then a step back replays). */
  private checkpoints: Checkpoints | null = null;
  /** Why the session has no checkpoints, if it has none. */
  private checkpointsRefused: string | null = null;
  /** Engine work (ms) since the latest checkpoint. */
  private work = 0;
  /** What the latest checkpoint took to take (ms). */
  private takeMs = 0;

  constructor(
    private readonly core: CoreSource,
    private readonly env: SessionEnv,
    private readonly policy: CheckpointPolicy = "adaptive",
  ) {}

  async handle(op: SessionOp): Promise<Result<SessionAnswer, RunError>> {
    if (typeof op !== "object" || op === null) return bad("the operation is not an object");
    switch (op.op) {
      case "open": {
        const s = loadScenario(op.scenario);
        if (!s.ok) return err(scenarioError(describeError(s.error).join("; "), s.error.problems));
        return this.open(s.value, {});
      }
      case "open-link": {
        const d = decodeLink(op.link);
        if (!d.ok)
          return err({ kind: "link", message: d.error.message, problems: d.error.problems });
        return this.open(d.value.scenario, d.value.moment);
      }
      case "compare": {
        if (!this.session) return err({ kind: "no-session", message: "no scenario is open" });
        if (typeof op.other !== "object" || op.other === null) return bad("compare: other");
        const c = await compareSession(this.session, this.core, this.env, op.other, logLines);
        return ok({ delta: this.delta([]), compare: c });
      }
      default:
        return await this.operate(op);
    }
  }

  private async open(s: Scenario, moment: Moment): Promise<Result<SessionAnswer, RunError>> {
    const r = await ScenarioSession.open(s, this.opts());
    if (!r.ok)
      return err(scenarioError(r.error.map((p) => `${p.path}: ${p.message}`).join("; "), r.error));
    this.adopt(r.value);
    return ok({ delta: this.delta([]), opened: { scenario: structuredClone(s), moment } });
  }

  /** Makes `s` the session, with its poke stages and a first checkpoint (at boot). */
  private adopt(s: ScenarioSession): void {
    this.session = s;
    this.pokes = new PokeStages(s.m);
    this.sent = 0;
    // The script is the session's input, not its state: steps inserted later must survive.
    const external = new Set<object>([s.scenario, s.scenario.script]);
    this.checkpoints = this.policy !== "off" ? new Checkpoints([s, this.pokes], external) : null;
    this.checkpointsRefused = this.checkpoints ? null : "checkpoints are turned off";
    this.checkpoint(s);
  }

  /** Images the machine now; a refusal turns checkpoints off for the session (it says why). */
  private checkpoint(s: ScenarioSession): void {
    this.work = 0;
    const t0 = performance.now();
    const r = this.checkpoints?.take(s.nowNs);
    this.takeMs = performance.now() - t0;
    if (r && !r.ok) {
      this.checkpoints = null;
      this.checkpointsRefused = r.error;
    }
  }

  /**
   * Counts `ms` of engine work; past what the policy asks since the latest (adaptive: at least three times
   * what the latest image took, so that imaging costs at most a third of playing), takes one.
   */
  private noteWork(s: ScenarioSession, ms: number): void {
    this.work += ms;
    const p = this.policy;
    const due =
      p === "adaptive"
        ? Math.max(CHECKPOINT_WORK_MS, 3 * this.takeMs)
        : p === "off"
          ? Infinity
          : p.everyWorkMs;
    if (this.checkpoints && this.work >= due) this.checkpoint(s);
  }

  /** Why step back replays from boot in this session (no checkpoints), or null. */
  get checkpointsOff(): string | null {
    return this.checkpoints ? null : (this.checkpointsRefused ?? "no session");
  }

  /**
   * advanceTo in slices of SLICE_NS, with checkpoints between them. Equal to one advanceTo: when
   * the script ends on the way the run stops there, in whichever slice that happens.
   */
  private advance(s: ScenarioSession, targetNs: number): StepOutcome[] {
    const out: StepOutcome[] = [];
    const wasDone = s.done;
    for (;;) {
      const t0 = performance.now();
      const to = Math.min(targetNs, s.nowNs + SLICE_NS);
      out.push(...s.advanceTo(to));
      this.noteWork(s, performance.now() - t0);
      if (s.nowNs >= targetNs || (!wasDone && s.done) || s.nowNs < to) return out;
    }
  }

  /** Runs to `target` as a replay from boot does (the script may end on the way: then on). */
  private replayTo(s: ScenarioSession, target: number): void {
    if (target < 0) return;
    this.advance(s, target);
    if (s.nowNs < target) this.advance(s, target);
  }

  /**
   * seek: forward runs on; back restores the latest checkpoint at or before the moment and runs
   * forward from it (engine/checkpoint/: exact, since the image is the whole machine and runs are
   * deterministic: virtual clock, seeded random, the same steps at the same times). Without
   * checkpoints (refused, or turned off) it re-boots the script as it stands and replays it.
   */
  private async seek(
    s: ScenarioSession,
    toNs: number | undefined,
    toEvent: number | undefined,
  ): Promise<Result<SessionAnswer, RunError>> {
    const bothOrNone = (toNs === undefined) === (toEvent === undefined);
    const badNum = (v: number | undefined) =>
      v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0);
    if (bothOrNone || badNum(toNs) || badNum(toEvent))
      return bad("seek: one of toNs, toEvent, a number >= 0");
    let target: number;
    if (toEvent !== undefined) {
      const count = s.m.events.length;
      if (toEvent >= count) {
        // Forward by events: step until the count reaches it (a step never splits a batch).
        const steps: StepOutcome[] = [];
        for (let guard = 0; s.m.events.length < toEvent && guard < MAX_SEEK_STEPS; guard++) {
          const before = s.m.events.length;
          steps.push(...s.step());
          if (s.m.events.length === before) break;
        }
        return ok({ delta: this.delta(steps) });
      }
      // Before the nanosecond of event toEvent: its whole batch is undone.
      target = s.m.events.since(toEvent)[0]!.tNs - 1;
    } else target = Math.min(toNs!, s.nowNs + MAX_ADVANCE_NS);
    const c = this.checkpoints?.latestAtOrBefore(target);
    if (target >= s.nowNs) {
      // Forward: from a later image when there is one (the run's future: the script is the same).
      const before = s.history.length;
      if (c && c.nowNs > s.nowNs) {
        this.checkpoints!.restore(c);
        this.work = 0;
      }
      this.replayTo(s, target);
      return ok({ delta: this.delta(s.history.slice(before)) });
    }
    if (c) {
      // Back: the latest image at or before the moment, then forward to it.
      this.checkpoints!.restore(c);
      this.work = 0;
      this.replayTo(s, target);
    } else {
      // No image (checkpoints refused): re-boot the script as it stands and replay it.
      const r = await ScenarioSession.open(s.scenario, this.opts());
      if (!r.ok) return err({ kind: "engine", message: "the scenario no longer boots" });
      this.adopt(r.value);
      this.replayTo(r.value, target);
    }
    this.sent = 0;
    const now = this.session!;
    return ok({ delta: { ...this.delta([...now.history]), reset: true } });
  }

  /** Runs engine work, counting it toward the next checkpoint. */
  private timed<T>(s: ScenarioSession, run: () => T): T {
    const t0 = performance.now();
    const r = run();
    this.noteWork(s, performance.now() - t0);
    return r;
  }

  private opts(): RunOptions {
    return { core: this.core, ...this.env, isolatedSandboxes: this.policy !== "off" };
  }

  private operate(
    op: SessionOp,
  ): Result<SessionAnswer, RunError> | Promise<Result<SessionAnswer, RunError>> {
    const s = this.session;
    if (!s) return err({ kind: "no-session", message: "no scenario is open" });
    switch (op.op) {
      case "seek":
        return this.seek(s, op.toNs, op.toEvent);
      case "step-over":
        return ok({ delta: this.delta(this.timed(s, () => s.stepOver())) });
      case "advance": {
        if (typeof op.toNs !== "number" || !Number.isFinite(op.toNs))
          return bad("advance: toNs is not a number");
        const to = Math.min(op.toNs, s.nowNs + MAX_ADVANCE_NS);
        return ok({ delta: this.delta(this.advance(s, to)) });
      }
      case "step":
        return ok({ delta: this.delta(this.timed(s, () => s.step())) });
      case "shell": {
        if (typeof op.line !== "string" || op.line.trim() === "")
          return bad("shell: an empty line");
        if (op.line.length > 20_000) return bad("shell: a line is at most 20000 characters");
        if (s.shellExited)
          return err({
            kind: "bad-request",
            message: "the script's shell has exited: reopen the scenario to run more lines",
          });
        // Steps due before the line ran first; they are part of this delta too.
        const { outcome, step, before } = this.timed(s, () => {
          const acted = s.act(op.line);
          // The script changed at the step's moment: images of later moments show another future.
          this.checkpoints?.dropAfter(acted.step.at_ms! * 1e6);
          return acted;
        });
        return ok({ delta: this.delta([...before, outcome]), output: { step, outcome } });
      }
      case "read": {
        // Other files (/proc/cmdline, ...) run kernel code that a patch may replace, which prints
        // and emits events: read outside the script, they would make the session unreproducible.
        // The shell reads them (`cat`), and the line joins the script.
        if (typeof op.path !== "string" || !PURE_READ.test(op.path))
          return bad("read: a /sys file or a /proc/<pid>/ file; read others with cat in the shell");
        const before = s.m.events.length;
        const text = s.read(op.path);
        if (s.m.events.length !== before)
          return err({ kind: "engine", message: `reading ${op.path} emitted events` });
        return ok({ delta: this.delta([]), read: text });
      }
      case "ls":
        if (typeof op.path !== "string" || !op.path.startsWith("/"))
          return bad("ls: an absolute path");
        return ok({ delta: this.delta([]), ls: s.list(op.path) });
      case "link": {
        if (typeof op.base !== "string") return bad("link: base is not a string");
        return ok({
          delta: this.delta([]),
          link: encodeLink(s.scenario, op.moment ?? {}, op.base),
        });
      }
      case "entry-site":
        if (op.atEvent !== undefined)
          return typeof op.atEvent === "number"
            ? ok({ delta: this.delta([]), site: this.pokes!.site(s, op.atEvent) })
            : bad("entry-site: atEvent is not a number");
        return ok({ delta: this.delta([]), site: entrySite(s, op.func) });
      case "export":
        if (op.what !== "log" && op.what !== "trace") return bad("export: what is log or trace");
        return ok({ delta: this.delta([]), exported: sessionExport(s, op.what, logLines) });
      case "text": {
        if (typeof op.addr !== "string" || typeof op.len !== "number")
          return bad("text: addr (hex) and len");
        const text =
          op.atEvent === undefined
            ? readText(s.m, op.addr, op.len)
            : this.pokes!.read(op.atEvent, op.addr, op.len);
        return ok({ delta: this.delta([]), text });
      }
      case "view": {
        if (op.tasks !== undefined) {
          const w = op.tasks as Partial<TaskWindow> | null;
          const whole = (v: unknown, max: number) =>
            Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
          if (!w || !whole(w.offset, Number.MAX_SAFE_INTEGER) || !whole(w.limit, MAX_TASK_WINDOW))
            return bad(`view: tasks is { offset, limit }, limit at most ${MAX_TASK_WINDOW}`);
          this.taskWindow = { offset: w.offset!, limit: w.limit! };
        }
        return ok({ delta: this.delta([]) });
      }
      default:
        return bad(`unknown session operation ${JSON.stringify((op as { op: unknown }).op)}`);
    }
  }

  private delta(steps: StepOutcome[]): SessionDelta {
    const s = this.session!;
    const all = s.eventsSince(this.sent);
    const events = all.slice(0, MAX_DELTA_EVENTS);
    this.sent += events.length;
    const log = events.flatMap((e) => (e.kind === "log" ? logLines(e) : []));
    return {
      nowNs: s.nowNs,
      next: s.nextStep,
      done: s.done,
      events,
      eventsPending: all.length - events.length,
      log,
      view: s.view(this.taskWindow),
      steps,
      ...(this.checkpoints ? {} : { checkpointsOff: this.checkpointsOff! }),
    };
  }
}
