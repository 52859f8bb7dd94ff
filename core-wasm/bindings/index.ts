// index.ts: public API of core-wasm.
export { Core } from "./core.ts";
export * from "./errno.ts";
export { CoreAbortedError, type CoreSource } from "./instance.ts";
export { type ShadowCtor, type ShadowDtor, ShadowTable } from "./shadow.ts";
export type { CoreSnapshot } from "./snapshot.ts";
export { type Arch, KernelText, TextFlags, VMLINUX } from "./text.ts";
