// session.ts: a scenario run that a person drives. The machine is the one runScenario boots
// (bootScenario), and the script runs by the same rule (each step at max(now, at_ms)), but time
// moves only when asked: advance to a virtual time, step to the next engine event, or run a shell
// line now. A line run interactively is inserted into the script at the current virtual time (a
// whole millisecond), so that the scenario, replayed headless, reproduces the session exactly.
import type { Scenario, Step } from "../../scenarios/schema.ts";
import type { Problem } from "../../scenarios/validate.ts";
import type { EngineEvent } from "../events.ts";
import type { Machine } from "../machine/machine.ts";
import type { Shell } from "../shell/exec.ts";
import { ok, type Result } from "../result.ts";
import { bootScenario, type RunOptions, type StepOutcome } from "./run.ts";
import { machineView, type MachineView, type TaskWindow } from "./view.ts";

/** Most timer batches one step() runs looking for an event (a machine that only sleeps). */
const STEP_GUARD = 100_000;

export class ScenarioSession {
  /** Index of the next script step to run. */
  private next = 0;
  private exited = false;
  /** Every step's outcome so far, in order (a checkpoint's restore takes back the later ones). */
  private readonly outcomes: StepOutcome[] = [];
  /** The latest task-blocked event per pid since its transition started (why it has not switched). */
  private readonly blocked = new Map<number, { errno: number; func: string | null }>();

  private constructor(
    readonly m: Machine,
    private readonly sh: Shell,
    /** The script as it stands: the scenario's steps and the interactive ones inserted. */
    readonly scenario: Scenario,
  ) {
    m.events.subscribe((e) => this.track(e));
  }

  static async open(s: Scenario, opts: RunOptions): Promise<Result<ScenarioSession, Problem[]>> {
    // A copy: the session inserts steps into its script; the caller's value stays as opened.
    const own = structuredClone(s);
    const booted = await bootScenario(own, opts);
    if (!booted.ok) return booted;
    return ok(new ScenarioSession(booted.value.m, booted.value.sh, own));
  }

  get nowNs(): number {
    return this.m.clock.nowNs();
  }

  /** The index of the next step to run (script.length once all ran). */
  get nextStep(): number {
    return this.next;
  }

  /** The outcomes of every step run so far. */
  get history(): readonly StepOutcome[] {
    return this.outcomes;
  }

  /** Whether the script's shell exited (exit, die): a headless run ends there, and so does this. */
  get shellExited(): boolean {
    return this.exited;
  }

  /** Whether the script has run to its end (or the shell exited). */
  get done(): boolean {
    return this.exited || this.next >= this.scenario.script.length;
  }

  /** When the next step is due (ns), or null when the script is done. */
  private dueNs(): number | null {
    if (this.done) return null;
    const at = this.scenario.script[this.next]!.at_ms;
    return at === undefined ? this.nowNs : Math.max(this.nowNs, at * 1e6);
  }

  /**
   * Runs everything due up to `targetNs`: timers, and script steps in order. When the script ends
   * on the way the session stops there (where a headless run ends); once it has ended, time runs on.
   */
  advanceTo(targetNs: number): StepOutcome[] {
    const wasDone = this.done;
    const out: StepOutcome[] = [];
    for (let due = this.dueNs(); due !== null && due <= targetNs; due = this.dueNs()) {
      this.m.runUntil(due);
      const o = this.runStep();
      if (o) out.push(o);
    }
    if (wasDone || !this.done) this.m.runUntil(Math.max(this.nowNs, targetNs));
    return out;
  }

  /** Runs until the engine emits at least one event: one timer batch or one script step at a time. */
  step(): StepOutcome[] {
    const before = this.m.events.length;
    const out: StepOutcome[] = [];
    for (let i = 0; i < STEP_GUARD && this.m.events.length === before; i++) {
      const step = this.dueNs();
      const timer = this.m.sched.nextDue();
      if (step !== null && (timer === null || step <= timer)) out.push(...this.advanceTo(step));
      else if (timer !== null) this.m.runUntil(timer);
      else break;
    }
    return out;
  }

  /**
   * Step over a script line: runs to the end of the next script step (the timers due before it,
   * then the step itself), and no further. Once the script is done it is step().
   */
  stepOver(): StepOutcome[] {
    const due = this.dueNs();
    if (due === null) return this.step();
    this.m.runUntil(due);
    const o = this.runStep();
    return o ? [o] : [];
  }

  /**
   * Runs `line` now, as a step inserted before the remaining ones at the next whole millisecond
   * (steps due before it run first). @returns the outcome, the step as the script holds it, and
   * the outcomes of the steps that ran first.
   */
  act(line: string): { outcome: StepOutcome; step: Step; before: StepOutcome[] } {
    const ms = Math.ceil(this.nowNs / 1e6);
    const before = this.advanceTo(ms * 1e6);
    const step: Step = { at_ms: ms, run: line };
    this.scenario.script.splice(this.next, 0, step);
    return { outcome: this.runStep()!, step, before };
  }

  /** Reads a file of the machine's VFS as root's shell would. @returns its text or -errno. */
  read(path: string): string | number {
    return this.m.vfs.readFile(path);
  }

  /** A directory's sorted entries, or -errno. */
  list(path: string): string[] | number {
    return this.m.vfs.listDir(path);
  }

  /** The events from `from` on. */
  eventsSince(from: number): readonly EngineEvent[] {
    return this.m.events.since(from);
  }

  /** What the machine looks like now (patches, modules, tasks), as plain data. */
  view(window?: TaskWindow): MachineView {
    return machineView(this.m, this.blocked, window);
  }

  private runStep(): StepOutcome | null {
    const index = this.next++;
    const st = this.scenario.script[index]!;
    const startNs = this.nowNs;
    if (st.run === undefined) return null;
    const firstSeq = this.m.events.length;
    const r = this.sh.run(st.run.endsWith("\n") ? st.run : `${st.run}\n`);
    if (r.exited) this.exited = true;
    const endSeq = this.m.events.length;
    const outcome = {
      index,
      startNs,
      firstSeq,
      endSeq,
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
    };
    this.outcomes.push(outcome);
    return outcome;
  }

  private track(e: EngineEvent): void {
    if (e.kind === "task-blocked") this.blocked.set(e.pid, { errno: e.errno, func: e.func });
    else if (e.kind === "task-switch") this.blocked.delete(e.pid);
    else if (e.kind === "transition" && e.phase !== "attempt" && e.phase !== "signal")
      this.blocked.clear();
  }
}
