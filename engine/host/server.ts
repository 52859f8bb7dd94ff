// server.ts: the engine's side of the protocol, independent of how messages travel: the Worker
// entry posts what it answers, the in-process fallback returns it directly. The core is compiled
// once from the bytes the page sent; each run boots a fresh machine from the compiled module.
import { err } from "../result.ts";
import { loadQuickJS } from "../sandbox/sandbox.ts";
import { type FromEngine, parseRunRequest, PROTOCOL_VERSION, type ToEngine } from "./protocol.ts";
import { type BootFn, runRequest } from "./run.ts";

export class EngineServer {
  private core: WebAssembly.Module | null = null;

  constructor(private readonly boot: BootFn) {}

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
    const req = parseRunRequest(msg.request);
    if (!req.ok) return { type: "result", id, result: req };
    try {
      return { type: "result", id, result: await runRequest(req.value, this.core, this.boot) };
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { type: "result", id, result: err({ kind: "engine", message }) };
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
