// tracks.ts: the trace's processes and threads (Perfetto's tracks) and the events on them. Every
// track that receives an event gets a name (process_name / thread_name metadata), and a B/E track
// holds at most one open slice at a time, so slices never overlap on a track; whatever is still
// open when the run ends is closed there and marked so.
import { type TraceArgs, type TraceEvent, us } from "./format.ts";

/**
 * Perfetto keys threads by tid alone (Linux tids are unique system-wide), so every tid here is
 * unique across processes: process k has pid k * PID_STRIDE, its threads pid + 1, pid + 2...;
 * only the Tasks process uses the simulated pids (all below the stride) as tids.
 */
export const PID_STRIDE = 10_000_000;

/** One trace process per kind of thing the timeline shows, in this order. */
export const PROCESSES = {
  tasks: { pid: 1 * PID_STRIDE, name: "Tasks" },
  transitions: { pid: 2 * PID_STRIDE, name: "Livepatch transitions" },
  callbacks: { pid: 3 * PID_STRIDE, name: "Livepatch callbacks" },
  shadow: { pid: 4 * PID_STRIDE, name: "Shadow variables" },
  modules: { pid: 5 * PID_STRIDE, name: "Modules" },
  text: { pid: 6 * PID_STRIDE, name: "Kernel text (entry sites)" },
  log: { pid: 7 * PID_STRIDE, name: "Kernel log" },
} as const;

export type ProcessKey = keyof typeof PROCESSES;

export interface Track {
  pid: number;
  tid: number;
}

interface OpenSlice {
  track: Track;
  name: string;
  tNs: number;
  /** Where its B event is in `out`. */
  at: number;
}

/** Begin and end args of one slice, merged (the end's win). */
function merged(a?: TraceArgs, b?: TraceArgs): { args?: TraceArgs } {
  return a || b ? { args: { ...a, ...b } } : {};
}

export class TrackTable {
  readonly out: TraceEvent[] = [];
  private readonly threads = new Map<string, Track & { name: string; sort: number }>();
  private readonly nextTid = new Map<number, number>();
  private readonly open = new Map<string, OpenSlice>();

  /**
   * The thread `key` of process `p`, created on first use. `tid` keeps a meaningful number (a
   * task's pid) where there is one; otherwise tids count from the process's pid + 1 in order of
   * first use.
   */
  thread(p: ProcessKey, key: string, name: string, tid?: number): Track {
    const full = `${p}/${key}`;
    const known = this.threads.get(full);
    if (known) return known;
    const pid = PROCESSES[p].pid;
    const n = this.nextTid.get(pid) ?? 1;
    this.nextTid.set(pid, n + 1);
    const t = { pid, tid: tid ?? pid + n, name, sort: n };
    this.threads.set(full, t);
    return t;
  }

  private static key(t: Track): string {
    return `${t.pid}/${t.tid}`;
  }

  isOpen(t: Track): boolean {
    return this.open.has(TrackTable.key(t));
  }

  /** Opens a slice on `t`, first closing the one still open there (a track never nests). */
  begin(t: Track, tNs: number, name: string, args?: TraceArgs): void {
    if (this.isOpen(t)) this.end(t, tNs, { ended: "superseded" });
    this.open.set(TrackTable.key(t), { track: t, name, tNs, at: this.out.length });
    this.push({ name, ph: "B", ts: us(tNs), pid: t.pid, tid: t.tid, ...(args ? { args } : {}) });
  }

  /**
   * Closes the open slice on `t`, if any. One that took no virtual time becomes a complete slice
   * of duration 0 in place of its B: Perfetto sorts an E before a B of the same timestamp, which
   * would leave a B/E pair of one instant unclosed.
   */
  end(t: Track, tNs: number, args?: TraceArgs): void {
    const o = this.open.get(TrackTable.key(t));
    if (!o) return;
    this.open.delete(TrackTable.key(t));
    if (tNs === o.tNs) {
      const b = this.out[o.at]!;
      this.out[o.at] = { ...b, ph: "X", dur: 0, ...merged(b.args, args) };
      return;
    }
    this.push({
      name: o.name,
      ph: "E",
      ts: us(tNs),
      pid: t.pid,
      tid: t.tid,
      ...(args ? { args } : {}),
    });
  }

  instant(t: Track, tNs: number, name: string, args?: TraceArgs): void {
    this.push({
      name,
      ph: "i",
      s: "t",
      ts: us(tNs),
      pid: t.pid,
      tid: t.tid,
      ...(args ? { args } : {}),
    });
  }

  /** A complete slice (X). */
  complete(t: Track, tNs: number, durNs: number, name: string, args?: TraceArgs): void {
    this.push({
      name,
      ph: "X",
      ts: us(tNs),
      dur: us(durNs),
      pid: t.pid,
      tid: t.tid,
      ...(args ? { args } : {}),
    });
  }

  push(e: TraceEvent): void {
    this.out.push(e);
  }

  /** Closes every slice still open, at `tNs`, marked as open at the end of the run. */
  closeAll(tNs: number): void {
    for (const o of [...this.open.values()]) this.end(o.track, tNs, { open_at_end: true });
  }

  /** process_name / thread_name (and sort index) records for every track used. */
  metadata(): TraceEvent[] {
    const used = new Set(this.out.map((e) => `${e.pid}/${e.tid}`));
    const pids = new Set(this.out.map((e) => e.pid));
    const meta: TraceEvent[] = [];
    for (const p of Object.values(PROCESSES)) {
      if (!pids.has(p.pid)) continue;
      // tid = pid: the process's main thread, which no other event uses.
      meta.push(md("process_name", p.pid, p.pid, { name: p.name }));
      meta.push(md("process_sort_index", p.pid, p.pid, { sort_index: p.pid / PID_STRIDE }));
    }
    for (const t of this.threads.values()) {
      if (!used.has(`${t.pid}/${t.tid}`)) continue;
      meta.push(md("thread_name", t.pid, t.tid, { name: t.name }));
      meta.push(md("thread_sort_index", t.pid, t.tid, { sort_index: t.sort }));
    }
    return meta;
  }
}

function md(name: string, pid: number, tid: number, args: TraceArgs): TraceEvent {
  return { name, ph: "M", ts: 0, pid, tid, args };
}
