// encode.ts: entry-site bytes as tests expect them, encoded from the architectures' rules here
// rather than by the engine, so that a test holding the core's bytes against them can fail.
import { hexBytes } from "../../core-wasm/bindings/text.ts";

/** x86-64's 5-byte NOP at an ftrace site (nopl 0x0(%rax,%rax,1)). */
export const X86_NOP5 = "0f 1f 44 00 00";
/** arm64's NOP word. */
export const ARM64_NOP = "1f 20 03 d5";

/** A 32-bit word, little-endian, as hex bytes. */
export function le32(w: number): string {
  return hexBytes(Uint8Array.of(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24));
}

/** e8 rel32: the call at `site` (5 bytes) to `target`; addresses are the low 32 bits. */
export function x86Call(site: number, target: number): string {
  return `e8 ${le32((target - (site + 5)) | 0)}`;
}
