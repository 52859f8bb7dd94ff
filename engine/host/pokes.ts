// pokes.ts: the entry site at every text-poke stage. The kernel rewrites a site in stages (x86-64:
// int3 over the first byte, then bytes 1-4, then the first byte, each step over every site of the
// batch at once; arm64 with CALL_OPS: the ops literal, then the instruction word, record by
// record), and the engine emits a "site" event per site per stage (machine/ftrace-sites.ts:
// applySites). All stages of one update run inside one batch of kernel code, so a session paused
// between events can never be paused between them. To make each stage observable without
// touching the kernel's code path (no log line, event or golden changes), the session listens to
// its machine's site events and, at each one, keeps what the core holds at that instant: the
// entry-site view (machine/entry-site.ts) and, separately, a raw read of the text arena by address
// (TextApi.bytes, not the per-function copy the view reads) over the entry of every function of
// the batch, so that a test can hold one against the other at every stage, and see the other
// sites of the batch at the same stage (x86-64 stage 1: every first byte is int3).
import { type Restorer, SNAPSHOT } from "../checkpoint/graph.ts";
import type { EngineEvent } from "../events.ts";
import { machineEntrySite, type EntrySiteView } from "../machine/entry-site.ts";
import { type PokeBatch, pokeBatch } from "../machine/ftrace-sites.ts";
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

/** One function's entry as the arena held it: the token of its first byte, and the bytes. */
interface KeptEntry {
  start: number;
  raw: Uint8Array;
}

interface Stage {
  func: string;
  view: Result<EntrySiteView, string>;
  /** The entries of every function of the batch (the event's own first); shared by one step. */
  entries: readonly KeptEntry[];
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
  /** The entries kept at the last step seen: the events of one step share them. */
  private kept: { batch: PokeBatch; steps: number; entries: Map<number, KeptEntry> } | null = null;

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

  private keep(fn: number): KeptEntry | null {
    const range = entryRange(this.m, fn);
    const raw = range && this.m.core.text.bytes(range.start, range.len);
    return range && raw && typeof raw !== "number" ? { start: range.start, raw } : null;
  }

  /** The entries of the batch's functions now, read once per step. */
  private batchEntries(fn: number): Map<number, KeptEntry> {
    const batch = pokeBatch(this.m);
    const k = this.kept;
    if (batch && k && k.batch === batch && k.steps === batch.steps) return k.entries;
    const entries = new Map<number, KeptEntry>();
    for (const f of batch?.fns ?? [fn]) {
      const e = this.keep(f);
      if (e) entries.set(f, e);
    }
    this.kept = batch ? { batch, steps: batch.steps, entries } : null;
    return entries;
  }

  private capture(e: EngineEvent & { kind: "site" }): void {
    const fn = funcId(this.m, e.func);
    if (fn === null) return;
    const all = this.batchEntries(fn);
    const own = all.get(fn) ?? this.keep(fn);
    if (!own) return;
    this.stages.set(e.seq, {
      func: e.func,
      view: machineEntrySite(this.m, fn),
      entries: [own, ...[...all.values()].filter((x) => x !== own)],
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

  /**
   * `len` bytes at `addr` as the arena held them right after site event `seq`: within the entry of
   * the event's function or of another function of its batch.
   */
  read(seq: number, addr: string, len: number): Result<TextRead, string> {
    const s = this.stages.get(seq);
    if (!s) return err(`event ${seq}: not a text-poke stage of this session`);
    const token = tokenOf(this.m, addr);
    for (const k of token === null || len < 1 ? [] : s.entries) {
      const from = (token! - k.start) >>> 0;
      if (from + len <= k.raw.length)
        return ok({ addr, bytes: hex(k.raw.subarray(from, from + len)) });
    }
    return err(`${addr}: outside the entries of ${s.func}'s batch, the text kept at event ${seq}`);
  }
}
