// engine.worker.ts: the engine in a Web Worker. The page sends the core's bytes (it fetched them);
// the worker compiles them once, loads QuickJS, and then answers run requests, each on a fresh
// machine with every built-in module (engine/host/protocol.ts), and the
// workbench's interactive session on a scenario. The page never waits on a run:
// a runaway one is stopped by terminating this worker.
import { EngineServer } from "../../engine/host/server.ts";
import type { FromEngine, ToEngine } from "../../engine/host/protocol.ts";
import { bootPlayground } from "../../modules/playground.ts";
import { SESSION_ENV } from "./sessionEnv.ts";

const server = new EngineServer(bootPlayground, SESSION_ENV);
// The worker's global, typed by what is used (the project's lib is DOM, not WebWorker).
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToEngine>) => void) | null;
  postMessage(msg: FromEngine): void;
};

// Messages are answered one at a time, in order: a run never interleaves with another.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e: MessageEvent<ToEngine>) => {
  queue = queue.then(async () => scope.postMessage(await server.handle(e.data)));
};
