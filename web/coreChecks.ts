// coreChecks.ts: questions the foundation page asks the core, each answered by a real core call.
import type { Core } from "../core-wasm/bindings/index.ts";
import { hexBytes, SiteKind, VMLINUX } from "../core-wasm/bindings/index.ts";

const hex = (b: Uint8Array | number): string =>
  typeof b === "number" ? `error ${b}` : hexBytes(b);

/** What each step of text_poke_bp_batch() (smp_text_poke_batch_process()) does. */
const X86_STEPS = [
  "",
  "write int3 over the first byte",
  "sync all CPUs",
  "write bytes 1..4",
  "sync all CPUs",
  "write the new first byte",
  "sync all CPUs",
];

/** Patches one x86-64 entry site through the int3 protocol and lists the bytes after each step. */
function x86SiteSteps(core: Core): string[] {
  core.text.init("x86_64");
  const fn = core.text.addFunction(VMLINUX, 96);
  const addr = core.text.hexAddress(core.text.siteAddr(fn));
  const lines = [
    `x86_64 function #${fn}: build-time site at ${addr}: ${hex(core.text.siteBytes(fn))}`,
  ];
  core.text.ftraceInit(VMLINUX);
  lines.push(`after ftrace init: ${hex(core.text.siteBytes(fn))}`);
  const tramp = core.text.trampAlloc();
  core.text.queue(fn, SiteKind.makeCall, tramp);
  for (let step = core.text.pokeStep(); step > 0; step = core.text.pokeStep()) {
    lines.push(`step ${step}, ${X86_STEPS[step]}: ${hex(core.text.siteBytes(fn))}`);
  }
  lines.push(`a call now goes to ${core.text.hexAddress(core.text.exec(fn))} (the ops trampoline)`);
  return lines;
}

/** Runs a few core operations and describes their results, one line each. */
export function coreChecks(core: Core): string[] {
  const lines = x86SiteSteps(core);
  const snap = core.snapshot();
  core.text.queue(0, SiteKind.makeNop, 0);
  core.text.pokeFinish();
  const nopped = hex(core.text.siteBytes(0));
  core.restore(snap);
  lines.push(`snapshot, make-nop (${nopped}), restore: ${hex(core.text.siteBytes(0))}`);
  lines.push(`core memory: ${core.memoryBytes()} bytes`);
  return lines;
}
