// index.ts: public API of core-wasm.
export { Core } from "./core.ts";
export * from "./errno.ts";
export { CoreAbortedError, CoreInstance, type CoreSource } from "./instance.ts";
export { KlpOps } from "./ops.ts";
export { type ShadowCtor, type ShadowDtor, ShadowTable } from "./shadow.ts";
export type { CoreSnapshot } from "./snapshot.ts";
export {
  type Arch,
  hexBytes,
  KernelText,
  SITE_EXEC_BAD,
  SiteKind,
  type SiteKindId,
  type SiteMismatch,
  SiteState,
  TextFlags,
  TextSymbol,
  type TextSymbolId,
  VMLINUX,
} from "./text.ts";
export {
  type CheckFailure,
  frame,
  frameFunc,
  MAX_STACK_ENTRIES,
  TASK_MAX_DEPTH,
  Tasks,
} from "./tasks.ts";
