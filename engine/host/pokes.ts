// pokes.ts: the entry site at every text-poke stage. The kernel rewrites a site in stages (x86-64:
// int3 over the first byte, then bytes 1-4, then the first byte; arm64 with CALL_OPS: the ops
// literal, then the instruction word), and the engine emits a "site" event per stage
// (livepatch/patch.ts: pokeSite). All stages of one update run inside one batch of kernel code,
// so a session paused between events can never be paused between them. To make each stage
// observable without touching the kernel's code path (no log line, event or golden changes), the
// session listens to its machine's site events and, at each one, keeps what the core holds at
// that instant: the entry-site view (machine/entry-site.ts) and, separately, a raw read of the
// text arena over the function's entry by address (TextApi.bytes, not the per-function copy the
// view reads), so that a test can hold one against the other at every stage.
import { type Restorer, SNAPSHOT } from "../checkpoint/graph.ts";
import type { EngineEvent } from "../events.ts";
import { machineEntrySite, type EntrySiteView } from "../machine/entry-site.ts";
import type { Machine } from "../machine/machine.ts";
import { err, ok, type Result } from "../result.ts";
import type { ScenarioSession } from "../scenario/session.ts";
import type { SessionAnswer } from "./protocol.ts";
import { patchedFunctions } from "./views.ts";

/** A raw read of kernel text: its first byte's full address (hex, no 0x) and the bytes (hex). */
export interface TextRead {
  addr: string;
  bytes: string;
}

interface Stage {
  func: string;
  view: Result<EntrySiteView, string>;
  /** The entry's bytes as the arena held them, and the token of their first byte. */
  start: number;
  raw: Uint8Array;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

/** The token (low 32 bits) of a full kernel address, or null when it is not this machine's. */
function tokenOf(m: Machine, addr: string): number | null {
  if (!/^[0-9a-f]{16}$/.test(addr)) return null;
  const token = parseInt(addr.slice(8), 16) >>> 0;
  return m.core.text.hexAddress(token) === addr ? token : null;
}

/** Where a function's entry starts (its CALL_OPS literal on arm64) and how long it is. */
function entryRange(m: Machine, fn: number): { start: number; len: number } | null {
  const { text } = m.core;
  const entry = text.entryBytes(fn);
  const site = text.siteBytes(fn);
  const siteAddr = text.siteAddr(fn);
  if (typeof entry === "number" || typeof site === "number" || siteAddr === 0) return null;
  const funcAddr = text.funcAddr(fn);
  const prefix = entry.length - ((siteAddr - funcAddr) >>> 0) - site.length;
  return { start: (funcAddr - prefix) >>> 0, len: entry.length };
}

function funcId(m: Machine, name: string): number | null {
  for (const [id, n] of m.names) if (n === name) return id;
  return null;
}

/** Reads `len` bytes of text at `addr` from the core now. */
export function readText(m: Machine, addr: string, len: number): Result<TextRead, string> {
  const token = tokenOf(m, addr);
  if (token === null) return err(`${addr}: not a kernel address of this machine`);
  if (!Number.isInteger(len) || len < 1 || len > 64) return err("len: 1 to 64 bytes");
  const b = m.core.text.bytes(token, len);
  return typeof b === "number"
    ? err(`${addr}: not kernel text (${b})`)
    : ok({ addr, bytes: hex(b) });
}

export class PokeStages {
  private readonly stages = new Map<number, Stage>();

  constructor(private readonly m: Machine) {
    m.events.subscribe((e) => {
      if (e.kind === "site") this.capture(e);
    });
  }

  /**
   * A checkpoint leaves the stages as they are: each is what the machine held right after event
   * `seq`, and a run of the same script is the same at every seq, so a stage kept from a later
   * or an abandoned moment is the one a replay records again. A changed script (a line run after
   * a jump back) records each of its own site events anew, and only those are asked for.
   */
  [SNAPSHOT](): Result<Restorer, string> {
    return ok(() => {});
  }

  private capture(e: EngineEvent & { kind: "site" }): void {
    const fn = funcId(this.m, e.func);
    const range = fn === null ? null : entryRange(this.m, fn);
    if (fn === null || range === null) return;
    const raw = this.m.core.text.bytes(range.start, range.len);
    if (typeof raw === "number") return;
    this.stages.set(e.seq, {
      func: e.func,
      view: machineEntrySite(this.m, fn),
      start: range.start,
      raw,
    });
  }

  /** The entry-site answer for site event `seq`: the view right after it, or why there is none. */
  site(s: ScenarioSession, seq: number): NonNullable<SessionAnswer["site"]> {
    const view = this.stages.get(seq)?.view;
    return {
      patched: patchedFunctions(s).map((f) => f.name),
      view: view ?? err(`event ${seq}: not a text-poke stage of this session`),
    };
  }

  /** `len` bytes at `addr` as the arena held them right after site event `seq`. */
  read(seq: number, addr: string, len: number): Result<TextRead, string> {
    const s = this.stages.get(seq);
    if (!s) return err(`event ${seq}: not a text-poke stage of this session`);
    const token = tokenOf(this.m, addr);
    const from = token === null ? -1 : (token - s.start) >>> 0;
    if (token === null || from + len > s.raw.length || len < 1)
      return err(`${addr}: outside ${s.func}'s entry, the text kept at event ${seq}`);
    return ok({ addr, bytes: hex(s.raw.subarray(from, from + len)) });
  }
}
