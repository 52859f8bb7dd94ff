// index.ts: running the engine behind a message boundary (a Web Worker, or in-process).
export { canonicalJson, runHash } from "./hash.ts";
export {
  type FromEngine,
  type ModuleSource,
  parseRunRequest,
  PROTOCOL_VERSION,
  type RunError,
  type RunErrorKind,
  type RunOutput,
  type RunRequest,
  type ToEngine,
} from "./protocol.ts";
export { type BootFn, type BootOptions, runRequest } from "./run.ts";
export { EngineServer } from "./server.ts";
