// run.ts: runs a scenario headless: boots the machine it describes, provides its modules (built-in
// factories and sandboxed sources), starts its background tasks, then runs each script step in the
// root shell at its virtual time. Deterministic: the same scenario gives the same log, events and
// hash (no host clock, no Math.random; the seed is the scenario's).
import type { CoreSource } from "../../core-wasm/bindings/index.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import type { Problem } from "../../scenarios/validate.ts";
import { selftestLines, withPlaceholders } from "../../scenarios/expect.ts";
import { sha256Hex } from "../../scenarios/hash.ts";
import type { EngineEvent } from "../events.ts";
import { CommandHost, type ModuleRepository, type UserProgram } from "../machine/commands.ts";
import { ftraceOf } from "../machine/ftrace.ts";
import { Machine, type Semantics } from "../machine/machine.ts";
import { err, ok, type Result } from "../result.ts";
import { isolatedArena, loadQuickJS } from "../sandbox/sandbox.ts";
import { Shell } from "../shell/exec.ts";
import { scenarioRepository } from "./repository.ts";
import { startTasks } from "./tasks.ts";

/** A tree's built-in modules: which exist, and the repository that makes them for a machine. */
export interface BuiltinTree {
  names: ReadonlySet<string>;
  repository: ModuleRepository;
  /** SHA-256 of this tree's source of built-in `name`, or null (what references pin). */
  sha256(name: string): string | null;
}

export interface RunOptions {
  core: CoreSource;
  /** The built-in modules of the tree of `semantics` (modules/index.ts). */
  builtins: (semantics: Semantics) => BuiltinTree;
  /** User programs the shell can start (modules/index.ts BUILTIN_PROGRAMS). */
  programs?: ReadonlyMap<string, UserProgram>;
  /** Shell text sourced before the script (the selftests' helpers, modules/selftest-lib.ts). */
  prelude?: string;
  /**
   * The machine gets a QuickJS instance of its own (about 16 MB) instead of the host's shared
   * one, so that a checkpoint can image its modules' heaps (the workbench's sessions).
   */
  isolatedSandboxes?: boolean;
  /** Overrides of the scenario's own choices (the CLI's --semantics and --arch). */
  semantics?: Scenario["semantics"];
  arch?: Scenario["arch"];
}

export interface StepOutcome {
  index: number;
  /** Virtual time the step started at (ns since boot). */
  startNs: number;
  /** Seq of the first event the step emitted (or would have): a step's events run up to the next. */
  firstSeq: number;
  /**
   * Seq one past the step's own last event (a session reports it): the events from firstSeq to
   * here the step's commands emitted; later ones, up to the next step, its timers and the tasks.
   */
  endSeq?: number;
  status: number;
  stdout: string;
  stderr: string;
}

export interface ScenarioRun {
  /** The kernel log without timestamps (dmesg -t). */
  log: string[];
  /** The kernel log with timestamps (dmesg). */
  dmesg: string[];
  events: readonly EngineEvent[];
  steps: StepOutcome[];
  /** Whether the shell exited before the last step (exit, die). */
  exited: boolean;
  /** The lines the expectation compares (its filter and placeholders), or the log without one. */
  compared: string[];
  /** SHA-256 of the stamped log and the events: two runs reproduce each other iff equal. */
  hash: string;
}

/** A booted scenario machine: its tasks started, its prelude sourced, nothing of the script run. */
export interface BootedScenario {
  m: Machine;
  sh: Shell;
}

/**
 * Boots the machine `s` describes (the part of a run before its script): the machine, its modules,
 * the prelude, the background tasks. runScenario and the workbench's session (session.ts) share it,
 * so that a session and a headless run of one scenario are the same machine.
 */
export async function bootScenario(
  s: Scenario,
  opts: RunOptions,
): Promise<Result<BootedScenario, Problem[]>> {
  // Built-ins written as module source create their sandbox synchronously inside insmod.
  await loadQuickJS();
  const arena = opts.isolatedSandboxes ? await isolatedArena() : undefined;
  const m = await Machine.create({
    ...(arena ? { arena } : {}),
    core: opts.core,
    semantics: opts.semantics ?? s.semantics,
    arch: opts.arch ?? s.arch,
    seed: s.seed,
    debug: s.machine.livepatch_debug,
  });
  ftraceOf(m); // its debugfs files exist from boot, as in the playground
  // A reference pins its module's code by hash: the modules are the same whichever kernel (the
  // semantics) runs them.
  const repo = await scenarioRepository(m, s, opts.builtins);
  if (!repo.ok) return err(repo.error);
  const host = new CommandHost(m, m.shell, {
    modules: repo.value,
    ...(opts.programs ? { programs: opts.programs } : {}),
  });
  const sh = new Shell(host);
  if (opts.prelude) {
    const r = sh.run(opts.prelude);
    if (r.status !== 0) return err([{ path: "scenario", message: `prelude: ${r.stderr}` }]);
  }
  startTasks(m, s.machine.tasks, s.machine.cpus);
  m.settle();
  return ok({ m, sh });
}

/**
 * Runs `s`. A scenario can still drive the engine somewhere it has no answer for (a task calling
 * a kernel function with no argument it understands, say): that ends the run with a problem
 * value rather than an exception, since the scenario is user input.
 */
export async function runScenario(
  s: Scenario,
  opts: RunOptions,
): Promise<Result<ScenarioRun, Problem[]>> {
  try {
    return await runUnguarded(s, opts);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return err([{ path: "scenario", message: `the run stopped in the engine: ${message}` }]);
  }
}

async function runUnguarded(
  s: Scenario,
  opts: RunOptions,
): Promise<Result<ScenarioRun, Problem[]>> {
  const booted = await bootScenario(s, opts);
  if (!booted.ok) return booted;
  const { m, sh } = booted.value;
  const steps: StepOutcome[] = [];
  let exited = false;
  for (const [index, st] of s.script.entries()) {
    if (st.at_ms !== undefined) m.runUntil(Math.max(m.clock.nowNs(), st.at_ms * 1e6));
    const startNs = m.clock.nowNs();
    if (st.run === undefined) continue;
    const firstSeq = m.events.length;
    const r = sh.run(st.run.endsWith("\n") ? st.run : `${st.run}\n`);
    steps.push({ index, startNs, firstSeq, status: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.exited) {
      exited = true;
      break;
    }
  }
  const log = m.log.lines();
  const dmesg = m.log.dmesg();
  const events = m.events.since(0);
  const vars = new Map((s.expect?.vars ?? []).map((v) => [v, sh.variable(v) ?? ""] as const));
  const filtered = s.expect?.filter === "selftest" ? selftestLines(log) : log;
  // The run is over: its modules' QuickJS runtimes go now, not when the machine is collected.
  m.dispose();
  return ok({
    log,
    dmesg,
    events,
    steps,
    exited,
    compared: withPlaceholders(filtered, vars),
    hash: sha256Hex(JSON.stringify({ dmesg, events })),
  });
}
