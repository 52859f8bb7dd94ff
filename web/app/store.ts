// store.ts: the workbench's state, a zustand vanilla store that mirrors the engine's session.
// Nothing in it is made up: the log, the events, the machine view, the clock and the script are
// what the engine answered (engine/host/session.ts). Answers are queued and applied together
// (flush) in a task of their own that the page schedules (schedule.ts), so a burst of answers costs
// one render and that render is not in the same task as the frame's style, layout and paint. The
// page drives time: each animation frame it asks the engine to advance by the real time elapsed
// times the speed, never sending a second request before the first is answered (a slow engine
// slows the clock, not the page).
import { createStore, type StoreApi } from "zustand/vanilla";
import type {
  LogLine,
  RunError,
  SessionAnswer,
  SessionDelta,
  SessionOp,
} from "../../engine/host/protocol.ts";
import type { EngineEvent } from "../../engine/events.ts";
import type { Result } from "../../engine/result.ts";
import type { MachineView } from "../../engine/scenario/view.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import type { StepMark } from "../timeline/steps.ts";
import { type Busy, BusyWatch, type WatchClock } from "./busy.ts";
import { stoppedTrouble } from "./stopped.ts";

/** The engine as the store sees it (web/engine/client.ts's EngineClient is one). */
export interface SessionPort {
  session(op: SessionOp): Promise<Result<SessionAnswer, RunError>>;
  /** A fresh engine after a crash (EngineClient.stop respawns its worker). */
  stop?(): Promise<Result<void, string>>;
}

export interface ConsoleEntry {
  kind: "in" | "out" | "err";
  text: string;
  /** Virtual time the line ran at (ns), for "in". */
  tNs?: number;
}

/** An error shown where it happened, in words, with what to do. */
export interface Trouble {
  title: string;
  lines: string[];
  /** The validator's problems, by path, for an editor to place (a refused open). */
  problems?: { path: string; message: string }[];
}

export const SPEEDS = [0.25, 1, 4, 16, 64] as const;
export const DEFAULT_SPEED = 1;
/** The longest real time one frame may account for (ms): a background tab does not jump ahead. */
const MAX_FRAME_MS = 100;
/**
 * Operations that only read the machine: their answer's view is the one the previous answer
 * carried (nothing ran in between), so the store keeps that object and the panes reading `view`
 * do not re-render for a file listing or an entry-site read.
 */
const READ_ONLY: ReadonlySet<SessionOp["op"]> = new Set([
  "read",
  "ls",
  "entry-site",
  "text",
  "link",
  "export",
  "compare",
]);
/** Log lines kept for the view (the engine keeps the whole log). */
export const MAX_LOG = 20_000;

export interface WorkbenchState {
  engine: "starting" | "ready" | "failed";
  engineMode: "worker" | "in-process" | null;
  engineError: string | null;
  scenario: Scenario | null;
  /** Where the scenario came from: a library file or "link". */
  source: string | null;
  openError: Trouble | null;
  opening: boolean;
  nowNs: number;
  next: number;
  done: boolean;
  log: LogLine[];
  eventCount: number;
  /**
   * The session's event stream as reported (the timeline lays it out). Append-only: a flush pushes
   * new events onto this same array and bumps `eventCount` (copying 300,000 events for every
   * 5,000-event delta made garbage the page's GC then paid for in long tasks); an open or a seek
   * back replaces it. A view reads it by index and re-renders on `eventCount`, not on its identity.
   */
  events: EngineEvent[];
  view: MachineView | null;
  playing: boolean;
  speed: number;
  console: ConsoleEntry[];
  history: string[];
  /** The last refused action: the command and what the kernel answered. */
  refused: Trouble | null;
  /** The moment a log line links to: its event. */
  selected: number | null;
  /** Each script step that ran: its index, start and event range (the timeline's "caused by"). */
  stepMarks: StepMark[];
  link: string | null;
  /** The engine failed under the open scenario; the scenario (and its script) is kept. */
  crashed: string | null;
  /** A request the engine has not answered for over a second (busy.ts): Stop is offered. */
  busy: Busy | null;
  /** What Stop did: the engine replaced, the scenario reopened, what to do next. */
  stopped: Trouble | null;
  /** Why step back replays from boot in this session (it has no checkpoints), or null. */
  checkpointsOff: string | null;
}

const initial = (): WorkbenchState => ({
  engine: "starting",
  engineMode: null,
  engineError: null,
  scenario: null,
  source: null,
  openError: null,
  opening: false,
  nowNs: 0,
  next: 0,
  done: false,
  log: [],
  eventCount: 0,
  events: [],
  view: null,
  playing: false,
  speed: DEFAULT_SPEED,
  console: [],
  history: [],
  refused: null,
  selected: null,
  stepMarks: [],
  checkpointsOff: null,
  link: null,
  crashed: null,
  busy: null,
  stopped: null,
});

export type Workbench = ReturnType<typeof createWorkbench>;

/** A step outcome's mark: what the timeline needs to name the step an event came under. */
const stepMark = (o: SessionDelta["steps"][number]): StepMark => ({
  index: o.index,
  startNs: o.startNs,
  firstSeq: o.firstSeq,
  ...(o.endSeq !== undefined ? { endSeq: o.endSeq } : {}),
});

/**
 * The store and its actions. `schedule` runs a callback in a task soon after (schedule.ts in a page;
 * tests pass their own and call flush themselves).
 */
export function createWorkbench(
  opts: { schedule?: (fn: () => void) => void; busyClock?: WatchClock } = {},
) {
  const store: StoreApi<WorkbenchState> = createStore<WorkbenchState>(initial);
  const watch = new BusyWatch((busy) => store.setState({ busy }), opts.busyClock);
  /** A Stop's reopening is replaying to where the page was (a second Stop skips the replay). */
  let restoring = false;
  const schedule = opts.schedule ?? ((fn) => queueMicrotask(fn));
  let port: SessionPort | null = null;
  /** Answers not yet applied (flush applies them in one update), and which ones only read. */
  let queued: SessionDelta[] = [];
  let readOnly: boolean[] = [];
  let flushScheduled = false;
  /** Bumped by each open: answers of an earlier session are dropped. */
  let generation = 0;
  let inFlight = false;
  let lastFrameMs: number | null = null;
  /** Events the engine has not sent yet (a delta carries at most MAX_DELTA_EVENTS of them). */
  let pending = 0;

  function queue(d: SessionDelta, onlyReads = false): void {
    queued.push(d);
    readOnly.push(onlyReads);
    if (!flushScheduled) {
      flushScheduled = true;
      schedule(flush);
    }
  }

  /** Applies every queued answer at once. */
  function flush(): void {
    flushScheduled = false;
    if (queued.length === 0) return;
    const ds = queued;
    const reads = readOnly;
    queued = [];
    readOnly = [];
    const last = ds[ds.length - 1]!;
    pending = last.eventsPending ?? 0;
    const s = store.getState();
    // A seek back answers the whole run from boot: from the last such answer on, nothing before
    // it counts (its replayed steps already printed in the console when they first ran).
    const reset = ds.map((d) => d.reset === true).lastIndexOf(true);
    const live = reset >= 0 ? ds.slice(reset) : ds;
    let log = reset >= 0 ? [] : s.log;
    const added = live.flatMap((d) => d.log);
    if (added.length || reset >= 0) log = [...log, ...added].slice(-MAX_LOG);
    const out: ConsoleEntry[] = [];
    for (const d of live)
      for (const st of d.reset ? [] : d.steps) {
        if (st.stdout) out.push({ kind: "out", text: st.stdout });
        if (st.stderr) out.push({ kind: "err", text: st.stderr });
      }
    const events = reset >= 0 ? [] : s.events;
    for (const d of live) for (const e of d.events) events.push(e);
    const marks = live.flatMap((d) => d.steps.map(stepMark));
    // The newest view an operation that may change the machine brought (a read's equals it).
    const changed = reads.lastIndexOf(false);
    const view = changed >= 0 ? ds[changed]!.view : (s.view ?? last.view);
    store.setState({
      ...(marks.length || reset >= 0
        ? { stepMarks: reset >= 0 ? marks : [...s.stepMarks, ...marks] }
        : {}),
      log,
      events,
      eventCount: events.length,
      view,
      nowNs: last.nowNs,
      next: last.next,
      done: last.done,
      checkpointsOff: last.checkpointsOff ?? null,
      ...(out.length ? { console: [...s.console, ...out] } : {}),
    });
  }

  /**
   * Sends `op` for the current session and queues its delta: every answer carries the events
   * since the previous one, so none may be dropped. @returns the answer, or null if a newer open
   * replaced the session meanwhile.
   */
  async function send(op: SessionOp): Promise<Result<SessionAnswer, RunError> | null> {
    if (!port) return null;
    const gen = generation;
    const r = await request(op);
    if (gen !== generation) return null;
    if (r.ok) queue(r.value.delta, READ_ONLY.has(op.op));
    return r;
  }

  /** Every request to the engine goes through here, so that a runaway one is seen (busy.ts). */
  async function request(op: SessionOp): Promise<Result<SessionAnswer, RunError>> {
    const token = watch.begin(op);
    try {
      return await port!.session(op);
    } finally {
      watch.end(token);
    }
  }

  function trouble(e: RunError, title: string): Trouble {
    const lines = e.problems?.length
      ? e.problems.map((p) => `${p.path}: ${p.message}`)
      : [e.message];
    return e.problems?.length ? { title, lines, problems: e.problems } : { title, lines };
  }

  /** Opens a scenario (parsed JSON) or a link; on a refusal the open session stays as it was. */
  async function open(
    what: { scenario: unknown; source: string } | { link: string },
    autoplay = true,
  ): Promise<boolean> {
    if (!port) return false;
    store.setState({ opening: true });
    const op: SessionOp =
      "link" in what
        ? { op: "open-link", link: what.link }
        : { op: "open", scenario: what.scenario };
    const gen = ++generation;
    const r = await request(op);
    if (gen !== generation) return false;
    if (!r.ok) {
      // The engine kept its session: its answers count again (the worker answers in order, so
      // nothing sent before this open is still on its way).
      generation--;
      const title =
        "link" in what
          ? "This link does not open: the scenario below is unchanged."
          : "This scenario does not open: the one below is unchanged.";
      store.setState({ opening: false, openError: trouble(r.error, title) });
      return false;
    }
    const opened = r.value.opened!;
    queued = [];
    readOnly = [];
    lastFrameMs = null;
    store.setState({
      opening: false,
      openError: null,
      scenario: opened.scenario,
      source: "link" in what ? "link" : what.source,
      log: [],
      eventCount: 0,
      events: [],
      console: [],
      refused: null,
      selected: null,
      stepMarks: [],
      link: null,
      playing: false,
    });
    queue(r.value.delta);
    const atMs = opened.moment.atMs;
    if (atMs !== undefined) {
      // A link's moment: run there at once and wait (the sender's view at that moment).
      await send({ op: "advance", toNs: atMs * 1e6 });
      if (opened.moment.event !== undefined) store.setState({ selected: opened.moment.event });
    } else if (autoplay) store.setState({ playing: true });
    return true;
  }

  /** One animation frame at real time `ms`: advance the clock while playing (or drain, paused). */
  function frame(ms: number): void {
    // Answers are applied in their own task (queue), not here: the clock reads the newest answer,
    // applied or still queued, so the frame never also carries their render.
    const s = store.getState();
    const latest = queued[queued.length - 1];
    const nowNs = latest?.nowNs ?? s.nowNs;
    if (!s.playing || !port || !s.scenario) {
      lastFrameMs = null;
      // Paused, the rest of a capped delta comes in one chunk a frame (playing, advance brings it).
      if ((latest ? (latest.eventsPending ?? 0) : pending) > 0 && port && !inFlight) {
        inFlight = true;
        void send({ op: "view" }).then(() => (inFlight = false));
      }
      return;
    }
    const dt = lastFrameMs === null ? 0 : Math.min(MAX_FRAME_MS, ms - lastFrameMs);
    lastFrameMs = ms;
    if (inFlight || dt <= 0) return;
    const wasDone = latest?.done ?? s.done;
    inFlight = true;
    void send({ op: "advance", toNs: nowNs + dt * s.speed * 1e6 }).then((r) => {
      inFlight = false;
      if (!r) return;
      if (!r.ok) {
        store.setState({ playing: false, crashed: r.error.message });
        return;
      }
      // Play stops where a headless run ends; pressed again after the end, time runs on.
      if (r.value.delta.done && !wasDone) store.setState({ playing: false });
    });
  }

  /** Runs a shell line now (the console, or a button's command); it joins the script. */
  async function shell(line: string, fromButton = false): Promise<boolean> {
    const s = store.getState();
    const entry: ConsoleEntry = { kind: "in", text: line, tNs: s.nowNs };
    store.setState({
      console: [...s.console, entry],
      history: s.history[s.history.length - 1] === line ? s.history : [...s.history, line],
      refused: null,
      link: null,
    });
    const r = await send({ op: "shell", line });
    if (!r) return false;
    if (!r.ok) {
      if (r.error.kind === "engine" || r.error.kind === "stopped")
        store.setState({ crashed: r.error.message });
      const t = trouble(r.error, `${line}: not run`);
      store.setState({
        console: [...store.getState().console, { kind: "err", text: t.lines.join("\n") }],
        refused: fromButton ? t : null,
      });
      return false;
    }
    const { step, outcome } = r.value.output!;
    const sc = store.getState().scenario;
    if (sc) {
      // Mirror the engine's script: the step went in where the engine put it.
      const script = [...sc.script];
      script.splice(outcome.index, 0, step);
      store.setState({ scenario: { ...sc, script } });
    }
    if (outcome.status !== 0 && fromButton)
      store.setState({
        refused: {
          title: `${line} was refused`,
          lines: [outcome.stderr.trim() || `status ${outcome.status}`],
        },
      });
    return outcome.status === 0;
  }

  async function step(): Promise<void> {
    store.setState({ playing: false });
    const r = await send({ op: "step" });
    if (r && !r.ok) store.setState({ crashed: r.error.message });
  }

  /** Runs to the end of the next script line (the timers due before it, then the line). */
  async function stepOver(): Promise<void> {
    store.setState({ playing: false });
    const r = await send({ op: "step-over" });
    if (r && !r.ok) store.setState({ crashed: r.error.message });
  }

  /**
   * A jump to a moment (virtual ns), or to just before event `toEvent`'s nanosecond; back, the
   * engine replays from boot and its answer replaces the log and the view.
   */
  async function seek(to: { toNs: number } | { toEvent: number }): Promise<void> {
    store.setState({ playing: false, link: null });
    const r = await send({ op: "seek", ...to });
    if (r && !r.ok) store.setState({ crashed: r.error.message });
  }

  /** One event back: the latest answered event (and its batch) undone. */
  async function stepBack(): Promise<void> {
    flush(); // the count must include every answer already received
    const n = store.getState().eventCount + pending;
    if (n > 0) await seek({ toEvent: n - 1 });
  }

  /** After a crash: a fresh engine, and the scenario reopened as the page holds it. */
  async function restart(): Promise<boolean> {
    const s = store.getState();
    if (!port?.stop || !s.scenario) return false;
    const r = await port.stop();
    if (!r.ok) {
      store.setState({ crashed: `${s.crashed ?? ""} (and no fresh engine: ${r.error})` });
      return false;
    }
    store.setState({ crashed: null });
    return open({ scenario: s.scenario, source: s.source ?? "edited" }, false);
  }

  /**
   * Stop for a runaway request: the worker is terminated (its answers are dropped), a fresh
   * engine reopens the scenario as the page holds it and replays it to the moment the page
   * showed, paused; `stopped` says what happened and what to do.
   */
  async function stopEngine(): Promise<boolean> {
    const s = store.getState();
    if (!port?.stop || !s.scenario) return false;
    const busy = watch.current();
    const replay = !restoring && s.nowNs > 0;
    const toNs = s.nowNs;
    generation++; // the stopped engine's answers, arriving as "stopped" errors, count for nothing
    watch.reset();
    store.setState({ playing: false });
    const r = await port.stop();
    if (!r.ok) {
      store.setState({ crashed: `the engine was stopped and no fresh one started: ${r.error}` });
      return false;
    }
    inFlight = false;
    store.setState({ crashed: null });
    const opened = await open({ scenario: s.scenario, source: s.source ?? "edited" }, false);
    if (!opened) return false;
    if (replay) {
      restoring = true;
      await send({ op: "advance", toNs }).finally(() => (restoring = false));
    }
    const steps = s.scenario.script.length;
    const elapsedMs = busy ? watch.ageMs(busy) : null;
    store.setState({
      stopped: stoppedTrouble({ busy, elapsedMs, steps, toNs: replay ? toNs : 0 }),
    });
    return true;
  }

  /** A sysfs or /proc/<pid>/ file: its text, -errno, or the engine's refusal in words. */
  async function read(path: string): Promise<string | number | { error: string } | null> {
    const r = await send({ op: "read", path });
    if (!r) return null;
    return r.ok ? (r.value.read ?? null) : { error: r.error.message };
  }

  /** A directory's entries, or -errno. */
  async function list(path: string): Promise<string[] | number | null> {
    const r = await send({ op: "ls", path });
    return r?.ok ? (r.value.ls ?? null) : null;
  }

  /** The link of the session's scenario (its script as it stands) and a moment, by default now. */
  async function copyLink(
    base: string,
    moment?: { atMs?: number; event?: number },
  ): Promise<string | null> {
    const s = store.getState();
    const at = moment ?? { atMs: Math.ceil(s.nowNs / 1e6) };
    const r = await send({ op: "link", base, moment: at });
    if (!r?.ok) return null;
    store.setState({ link: r.value.link ?? null });
    return r.value.link ?? null;
  }

  /** Reopens the scenario under another semantics or architecture (the same script). */
  async function reopenWith(change: Partial<Pick<Scenario, "semantics" | "arch">>) {
    const s = store.getState();
    if (!s.scenario) return false;
    return open({ scenario: { ...s.scenario, ...change }, source: s.source ?? "edited" });
  }

  return {
    store,
    connect(p: SessionPort, mode: WorkbenchState["engineMode"]) {
      port = p;
      store.setState({ engine: "ready", engineMode: mode, engineError: null });
    },
    failed(message: string) {
      store.setState({ engine: "failed", engineError: message });
    },
    open,
    frame,
    flush,
    shell,
    step,
    stepOver,
    stepBack,
    seek,
    restart,
    stopEngine,
    dismissStopped: () => store.setState({ stopped: null }),
    read,
    list,
    copyLink,
    reopenWith,
    /** A read-only operation (entry-site, compare): its answer, or null after a newer open. */
    query: send,
    play: () => store.setState({ playing: true }),
    pause: () => store.setState({ playing: false }),
    setSpeed: (speed: number) => store.setState({ speed }),
    select: (event: number | null) => store.setState({ selected: event }),
    dismissOpenError: () => store.setState({ openError: null }),
  };
}
