// client.ts: the page's handle on the engine. Where Web Workers exist the engine runs in one
// (engine.worker.ts), so that a long run never blocks the page; elsewhere it runs in-process
// through the same EngineServer. Either way the page gets the same answers: the same log, events
// and hash for the same request.
import {
  type FromEngine,
  PROTOCOL_VERSION,
  type RunError,
  type RunOutput,
  type RunRequest,
  type SessionAnswer,
  type SessionOp,
  type ToEngine,
} from "../../engine/host/protocol.ts";
import { err, ok, type Result } from "../../engine/result.ts";
import { Interner } from "./intern.ts";

export type RunResult = Result<RunOutput, RunError>;
export type SessionResult = Result<SessionAnswer, RunError>;

export interface EngineClient {
  readonly mode: "worker" | "in-process";
  run(req: RunRequest): Promise<RunResult>;
  /** One operation on the interactive session (engine/host/session.ts). */
  session(op: SessionOp): Promise<SessionResult>;
  /** Ends the run in progress (its answer is a "stopped" error) and readies a fresh engine. */
  stop(): Promise<Result<void, string>>;
  dispose(): void;
}

const stopped = () => err<RunError>({ kind: "stopped", message: "the run was stopped" });

class WorkerEngine implements EngineClient {
  readonly mode = "worker";
  private worker: Worker | null = null;
  private nextId = 1;
  // Runs and session operations share the ids; each resolver takes the answer its request expects.
  private readonly pending = new Map<number, (r: Result<unknown, RunError>) => void>();
  /** The names in the session's events, one copy each (intern.ts: less for the page's GC). */
  private readonly names = new Interner();

  constructor(private readonly core: ArrayBuffer) {}

  /** Starts a worker and sends it the core; @returns once it is ready. */
  spawn(): Promise<Result<void, string>> {
    const w = new Worker(new URL("./engine.worker.ts", import.meta.url), {
      type: "module",
      name: "klp-engine",
    });
    this.worker = w;
    return new Promise((resolve) => {
      // Before ready this fails the start; after it (the worker died mid-run: out of memory, a
      // crash), resolving again is a no-op and the runs in flight get the error instead.
      w.onerror = (e) => {
        const message = `the engine worker failed: ${e.message || "load error"}`;
        resolve(err(message));
        this.failPending(err({ kind: "engine", message }));
      };
      w.onmessage = (e: MessageEvent<FromEngine>) => {
        const msg = e.data;
        if (msg.type === "ready" && msg.version === PROTOCOL_VERSION) resolve(ok(undefined));
        else if (msg.type === "ready")
          resolve(err(`the engine speaks protocol ${msg.version}, this page ${PROTOCOL_VERSION}`));
        else if (msg.type === "init-failed")
          resolve(err(`the engine did not start: ${msg.message}`));
        else {
          if (msg.type === "session" && msg.result.ok)
            this.names.events(msg.result.value.delta.events);
          this.pending.get(msg.id)?.(msg.result);
        }
        if (msg.type === "result" || msg.type === "session") this.pending.delete(msg.id);
      };
      // A copy: the page keeps its bytes for the next worker.
      this.post({ type: "init", version: PROTOCOL_VERSION, core: this.core.slice(0) });
    });
  }

  private post(msg: ToEngine): void {
    this.worker?.postMessage(msg);
  }

  run(request: RunRequest): Promise<RunResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<unknown, RunError>) => void);
      this.post({ type: "run", id, request });
    });
  }

  private failPending(r: Result<never, RunError>): void {
    for (const resolve of this.pending.values()) resolve(r);
    this.pending.clear();
  }

  session(op: SessionOp): Promise<SessionResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<unknown, RunError>) => void);
      this.post({ type: "session", id, op });
    });
  }

  async stop(): Promise<Result<void, string>> {
    this.worker?.terminate();
    this.failPending(stopped());
    return this.spawn();
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}

/** The fallback: the same server, called directly (a run then blocks the page while it lasts). */
class InProcessEngine implements EngineClient {
  readonly mode = "in-process";
  private nextId = 1;

  private constructor(private readonly handle: (m: ToEngine) => Promise<FromEngine>) {}

  static async start(core: ArrayBuffer): Promise<Result<InProcessEngine, string>> {
    const [{ EngineServer }, { bootPlayground }, { SESSION_ENV }] = await Promise.all([
      import("../../engine/host/server.ts"),
      import("../../modules/playground.ts"),
      import("./sessionEnv.ts"),
    ]);
    const server = new EngineServer(bootPlayground, SESSION_ENV);
    const r = await server.handle({ type: "init", version: PROTOCOL_VERSION, core });
    if (r.type !== "ready") return err(r.type === "init-failed" ? r.message : "no answer");
    return ok(new InProcessEngine((m) => server.handle(m)));
  }

  async run(request: RunRequest): Promise<RunResult> {
    const r = await this.handle({ type: "run", id: this.nextId++, request });
    return r.type === "result" ? r.result : err({ kind: "engine", message: "no result" });
  }

  async session(op: SessionOp): Promise<SessionResult> {
    const r = await this.handle({ type: "session", id: this.nextId++, op });
    if (r.type === "session") return r.result;
    return r.type === "result" && !r.result.ok
      ? r.result
      : err({ kind: "engine", message: "no result" });
  }

  async stop(): Promise<Result<void, string>> {
    return err("an in-process run cannot be stopped");
  }

  dispose(): void {}
}

/**
 * Starts the engine from the core's bytes: in a Worker where the host has them (unless
 * `inProcess`), in the page otherwise. @returns the client, or why it did not start.
 */
export async function startEngine(
  core: ArrayBuffer,
  opts: { inProcess?: boolean } = {},
): Promise<Result<EngineClient, string>> {
  if (opts.inProcess || typeof Worker === "undefined") return InProcessEngine.start(core);
  const w = new WorkerEngine(core);
  const r = await w.spawn();
  return r.ok ? ok(w) : r;
}
