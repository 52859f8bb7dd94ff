// hash.ts: the run hash, one short string that two hosts (Node, a browser Worker) compare to
// show they ran the same: FNV-1a 64 over the UTF-8 bytes of the kernel log and of the events in a
// canonical JSON (keys sorted, so the order an object was built in does not matter). Not a
// cryptographic hash: it detects divergence, nobody forges runs.
import type { EngineEvent } from "../events.ts";

/** Bumped whenever what is hashed changes, so old and new hashes never compare equal. */
const VERSION = "klp-run-hash/1";

/** JSON with object keys sorted at every level (the events hold only plain data). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/** FNV-1a 64-bit, in two 32-bit halves (no BigInt on the hot path). */
export class Fnv1a64 {
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;
  private readonly enc = new TextEncoder();

  update(text: string): this {
    const bytes = this.enc.encode(text);
    let { hi, lo } = this;
    for (let i = 0; i < bytes.length; i++) {
      lo = (lo ^ bytes[i]!) >>> 0;
      // (hi:lo) * 0x100000001b3 mod 2^64: lo*0x1b3 in full, plus (hi*0x1b3 + lo<<8) in the high half.
      const t = lo * 0x1b3;
      hi = (Math.imul(hi, 0x1b3) + Math.floor(t / 0x100000000) + (lo << 8)) >>> 0;
      lo = t >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, "0") + this.lo.toString(16).padStart(8, "0");
  }
}

/**
 * The hash of a run: its kernel log lines (as given: with or without timestamps, the same on both
 * sides) and its event stream. @returns "fnv1a64:" and 16 hex digits.
 */
export function runHash(log: readonly string[], events: readonly EngineEvent[]): string {
  const h = new Fnv1a64().update(`${VERSION}\n`);
  for (const line of log) h.update(`${line}\n`);
  h.update("\u0000events\n");
  for (const e of events) h.update(`${canonicalJson(e)}\n`);
  return `fnv1a64:${h.hex()}`;
}
