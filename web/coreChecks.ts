// coreChecks.ts: questions the foundation page asks the core, each answered by a real core call.
import type { Core } from "../core-wasm/bindings/index.ts";
import { VMLINUX } from "../core-wasm/bindings/index.ts";

/** Runs a few core operations and describes their results, one line each. */
export function coreChecks(core: Core): string[] {
  const lines: string[] = [];
  core.text.init("x86_64");
  const fn = core.text.addFunction(VMLINUX, 96);
  lines.push(`kallsyms: function #${fn} at ${core.text.hexAddress(core.text.funcAddr(fn))}`);
  const snap = core.snapshot();
  core.text.addFunction(VMLINUX, 32);
  const before = core.text.funcCount();
  core.restore(snap);
  lines.push(`snapshot/restore: ${before} functions -> ${core.text.funcCount()} after restore`);
  lines.push(`core memory: ${core.memoryBytes()} bytes`);
  return lines;
}
