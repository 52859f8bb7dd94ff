// shadow.ts: shadow variables as async slices, one per lifetime of a <obj, id> pair, from
// klp_shadow_alloc (or get_or_alloc creating it) to klp_shadow_free, or to klp_shadow_free_all(id),
// which reports each variable it freed with its obj (marked `all`). A variable never freed (a
// leak, or one alive when the run stopped) ends with the run, marked so.
import type { EngineEvent } from "../events.ts";
import { type TraceArgs, us } from "./format.ts";
import type { Track, TrackTable } from "./tracks.ts";

type ShadowEvent = Extract<EngineEvent, { kind: "shadow" }>;

const CAT = "klp_shadow";

/** The async id of a shadow variable: the kernel's <obj, id> pair, as %p and %lx print them. */
export function shadowId(obj: number, id: number): string {
  return `<0x${obj.toString(16)}, ${id.toString(16)}>`;
}

export class ShadowTracks {
  /** Live variables in alloc order, by async id <obj, id>: where their "b" is in the output. */
  private readonly live = new Map<string, { tNs: number; at: number }>();
  private readonly track: Track;

  constructor(private readonly tracks: TrackTable) {
    this.track = tracks.thread("shadow", "api", "klp_shadow_*");
  }

  event(e: ShadowEvent): void {
    if (e.op === "alloc") return this.begin(e.obj, e.id, e.tNs);
    const freedBy = e.all ? "klp_shadow_free_all" : "klp_shadow_free";
    this.end(shadowId(e.obj, e.id), e.tNs, { freed_by: freedBy });
  }

  private begin(obj: number, id: number, tNs: number): void {
    const key = shadowId(obj, id);
    // The kernel refuses a duplicate (with a WARN), and the stream then has no alloc event.
    if (this.live.has(key)) this.end(key, tNs, { ended: "superseded" });
    this.live.set(key, { tNs, at: this.tracks.out.length });
    this.emit("b", key, tNs, { obj: `0x${obj.toString(16)}`, id });
  }

  /**
   * Ends the variable's slice. One freed at the instant of its alloc becomes an async instant
   * ("n") in place of its "b": Perfetto sorts an end before a begin of the same timestamp.
   */
  private end(key: string, tNs: number, args: TraceArgs): void {
    const v = this.live.get(key);
    if (!v) return;
    this.live.delete(key);
    if (tNs !== v.tNs) return this.emit("e", key, tNs, args);
    const b = this.tracks.out[v.at]!;
    this.tracks.out[v.at] = { ...b, ph: "n", args: { ...b.args, ...args } };
  }

  private emit(ph: "b" | "e", key: string, tNs: number, args: TraceArgs): void {
    const t = this.track;
    this.tracks.push({
      name: `shadow ${key}`,
      cat: CAT,
      ph,
      id: key,
      ts: us(tNs),
      pid: t.pid,
      tid: t.tid,
      args,
    });
  }

  closeAll(tNs: number): void {
    for (const key of [...this.live.keys()]) this.end(key, tNs, { open_at_end: true });
  }
}
