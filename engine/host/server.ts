// server.ts: the engine's side of the protocol, independent of how messages travel: the Worker
// entry posts what it answers, the in-process fallback returns it directly. The core is compiled
// once from the bytes the page sent; each run boots a fresh machine from the compiled module.
import { err } from "../result.ts";
import { loadQuickJS } from "../sandbox/sandbox.ts";
import {
  type FromEngine,
  parseRunRequest,
  PROTOCOL_VERSION,
  type RunError,
  type SessionAnswer,
  type SessionOp,
  type ToEngine,
} from "./protocol.ts";
import type { Result } from "../result.ts";
import { type BootFn, runRequest } from "./run.ts";
import { type SessionEnv, SessionHost } from "./session.ts";

export class EngineServer {
  private core: WebAssembly.Module | null = null;
  private sessions: SessionHost | null = null;

  /** `env`: what scenario sessions need (built-ins, programs, prelude); without it, runs only. */
  constructor(
    private readonly boot: BootFn,
    private readonly env: SessionEnv | null = null,
  ) {}

  /** Answers one message. Never throws: a bug in a run comes back as an "engine" error. */
  async handle(msg: ToEngine): Promise<FromEngine> {
    if (msg.type === "init") {
      if (msg.version !== PROTOCOL_VERSION) {
        const message = `protocol ${String(msg.version)} asked, the engine speaks ${PROTOCOL_VERSION}`;
        return { type: "init-failed", message };
      }
      return this.init(msg.core);
    }
    const id = typeof msg.id === "number" ? msg.id : -1;
    if (!this.core)
      return { type: "result", id, result: err({ kind: "not-ready", message: "no core yet" }) };
    if (msg.type === "session") return { type: "session", id, result: await this.session(msg.op) };
    const req = parseRunRequest(msg.request);
    if (!req.ok) return { type: "result", id, result: req };
    try {
      return { type: "result", id, result: await runRequest(req.value, this.core, this.boot) };
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { type: "result", id, result: err({ kind: "engine", message }) };
    }
  }

  private async session(op: SessionOp): Promise<Result<SessionAnswer, RunError>> {
    if (!this.env) return err({ kind: "bad-request", message: "this engine runs no sessions" });
    this.sessions ??= new SessionHost(this.core!, this.env);
    try {
      return await this.sessions.handle(op);
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return err({ kind: "engine", message });
    }
  }

  /** Compiles the core and loads QuickJS, so that the first run pays for neither. */
  private async init(bytes: ArrayBuffer): Promise<FromEngine> {
    try {
      this.core = await WebAssembly.compile(bytes);
      await loadQuickJS();
      return { type: "ready", version: PROTOCOL_VERSION };
    } catch (e) {
      return { type: "init-failed", message: e instanceof Error ? e.message : String(e) };
    }
  }
}
