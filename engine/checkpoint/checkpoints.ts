// checkpoints.ts: the images of one session's machine at moments of its run, so that a step back
// restores the latest image at or before the moment and runs forward from there instead of
// replaying from boot. An image is exact (graph.ts: every reachable object's contents, the
// core's regions, the modules' QuickJS heaps), so the run from it is the run the session made.
// The number kept is bounded: past the cap, every other one goes (the spacing doubles).
import { Core, CoreInstance } from "../../core-wasm/bindings/index.ts";
import { err, ok, type Result } from "../result.ts";
import { ModuleSandbox } from "../sandbox/sandbox.ts";
import {
  capture,
  type GraphImage,
  type Imager,
  type Restorer,
  restore as restoreGraph,
} from "./graph.ts";

/**
 * About how much memory the images may hold together (past it, every other one goes), and how
 * much one may: a machine whose every image would be larger (100,000 tasks) gets no checkpoints,
 * and step back replays from boot.
 */
const MAX_BYTES = 384 << 20;
const MAX_IMAGE_BYTES = 48 << 20;

/** Most images kept: a 10-minute run with 1,000 busy tasks takes about 400. */
const MAX_CHECKPOINTS = 512;

export interface Checkpoint {
  /** Virtual time of the image. */
  readonly nowNs: number;
  readonly image: GraphImage;
}

/** The core images itself (its linear memory's regions); what holds wasm state is not entered. */
function classify(proto: object): "opaque" | Imager | undefined {
  if (proto === Core.prototype)
    return (o) => {
      const core = o as Core;
      const snap = core.snapshot();
      const restorer: Restorer = () => void core.restore(snap);
      restorer.bytes = snap.regions.reduce((n, r) => n + r.used, 0);
      return ok(restorer);
    };
  const opaque = [
    CoreInstance,
    ModuleSandbox,
    WebAssembly.Memory,
    WebAssembly.Instance,
    WebAssembly.Module,
  ].some((c) => c.prototype === proto);
  return opaque ? "opaque" : undefined;
}

export class Checkpoints {
  /** Oldest first, by virtual time. */
  private list: Checkpoint[] = [];
  /** The image taken last: the next one shares its unchanged contents. */
  private lastImage: GraphImage | undefined;

  /**
   * @param roots what to image (the session and what hangs off it)
   * @param external objects that are not the machine's state and must survive a restore as they
   *   are (the script, into which interactive steps are inserted)
   */
  constructor(
    private readonly roots: readonly object[],
    private readonly external: ReadonlySet<object>,
  ) {}

  get count(): number {
    return this.list.length;
  }

  /** Images the machine now, at `nowNs`. @returns why not, when it cannot be imaged. */
  take(nowNs: number): Result<Checkpoint, string> {
    const image = capture(this.roots, {
      external: this.external,
      classify,
      ...(this.lastImage ? { previous: this.lastImage } : {}),
    });
    if (!image.ok) return image;
    if (image.value.bytes > MAX_IMAGE_BYTES) {
      const mb = (image.value.bytes / 2 ** 20).toFixed(0);
      return err(`the machine is too large to image (about ${mb} MB an image)`);
    }
    this.lastImage = image.value;
    const c = { nowNs, image: image.value };
    // In time order; a newer image of the same moment replaces the older (later ones stay: after
    // a jump back the run goes the same way, so they are its future).
    let i = this.list.length;
    while (i > 0 && this.list[i - 1]!.nowNs > nowNs) i--;
    if (i > 0 && this.list[i - 1]!.nowNs === nowNs) this.list[i - 1] = c;
    else this.list.splice(i, 0, c);
    // Over the count or the memory: every other one goes (the first, at boot, and the last stay).
    while (this.list.length > 2 && (this.list.length > MAX_CHECKPOINTS || this.bytes() > MAX_BYTES))
      this.list = this.list.filter((_, i) => i % 2 === 0 || i === this.list.length - 1);
    return ok(c);
  }

  /** About how much the images hold (each counts what it does not share with earlier ones). */
  bytes(): number {
    return this.list.reduce((n, c) => n + c.image.bytes, 0);
  }

  /** The latest checkpoint at or before `ns`. */
  latestAtOrBefore(ns: number): Checkpoint | undefined {
    for (let i = this.list.length - 1; i >= 0; i--)
      if (this.list[i]!.nowNs <= ns) return this.list[i];
    return undefined;
  }

  /** Puts the machine back as checkpoint `c` found it. */
  restore(c: Checkpoint): void {
    restoreGraph(c.image);
  }

  /** The script changed after `ns`: images of later moments show another future. */
  dropAfter(ns: number): void {
    while (this.list.length > 0 && this.list[this.list.length - 1]!.nowNs > ns) this.list.pop();
  }
}
