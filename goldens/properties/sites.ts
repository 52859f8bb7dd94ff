// sites.ts: the bytes an entry site must hold, computed here from the architectures' encodings
// (not asked of the core): x86-64 NOP5 or `call <the function's trampoline>`
// (arch/x86/kernel/ftrace.c: ftrace_nop_replace, ftrace_call_replace); arm64 NOP or
// `bl ftrace_caller`, directly or through a module PLT (arch/arm64/kernel/ftrace.c).
import { TextSymbol } from "../../core-wasm/bindings/index.ts";
import type { Machine } from "../../engine/machine/machine.ts";

const X86_NOP5 = "0f 1f 44 00 00";
const ARM64_NOP = "1f 20 03 d5";

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

function le32(w: number): string {
  return hex(Uint8Array.of(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24));
}

/** e8 rel32: the call at `site` (5 bytes) to `target`; addresses are the low 32 bits. */
function x86Call(site: number, target: number): string {
  return `e8 ${le32((target - (site + 5)) | 0)}`;
}

/** The destination of an arm64 `bl` word at `pc`, or null when it is no bl. */
function arm64BlTarget(pc: number, word: number): number | null {
  if ((word & 0xfc000000) >>> 0 !== 0x94000000) return null;
  const imm = (word << 6) >> 6; // sign-extended imm26
  return (pc + imm * 4) >>> 0;
}

/**
 * Checks function `fn`'s site against what its func_stack requires (`patched`: it has a klp_ops).
 * @returns a description of the mismatch, or null.
 */
export function siteMismatch(m: Machine, fn: number, patched: boolean): string | null {
  const { text } = m.core;
  const bytes = text.siteBytes(fn);
  if (typeof bytes === "number") return `site bytes unreadable (${bytes})`;
  const got = hex(bytes);
  const site = text.siteAddr(fn);
  if (m.arch === "x86_64") {
    if (!patched) return got === X86_NOP5 ? null : `expected NOP5, found ${got}`;
    const tramp = m.klp.tramps.get(fn);
    if (tramp === undefined) return "patched without a trampoline";
    const want = x86Call(site, tramp);
    return got === want ? null : `expected ${want} (call trampoline), found ${got}`;
  }
  if (!patched) return got === ARM64_NOP ? null : `expected NOP, found ${got}`;
  const word = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24);
  const dst = arm64BlTarget(site, word);
  const caller = text.symbol(TextSymbol.ftraceCaller);
  if (dst === null) return `expected bl ftrace_caller, found ${got}`;
  if (dst === caller || text.pltResolve(dst) === caller) return null;
  return `bl to ${dst.toString(16)}, not ftrace_caller`;
}
