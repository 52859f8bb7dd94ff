// snapshot.ts: copies the core's state out into host buffers and back (see assembly/snapshot.ts).
//
// Buffers are kept and reused: snapshotting into an existing CoreSnapshot allocates only when a
// region has outgrown its buffer, so taking snapshots repeatedly costs a memcpy per region.
import type { CoreInstance } from "./instance.ts";

const NAMES = [
  "core_region_count",
  "core_region_scratch",
  "core_region_base",
  "core_region_used",
  "core_region_prepare_restore",
] as const;

export interface RegionImage {
  /** Meaningful bytes; `bytes` may be longer (a reused buffer). */
  used: number;
  bytes: Uint8Array;
}

/** A copy of the core's whole state; plain data, structured-clonable. */
export interface CoreSnapshot {
  regions: RegionImage[];
}

export class Snapshots {
  private readonly x;

  constructor(private readonly core: CoreInstance) {
    this.x = core.fns(NAMES);
  }

  /** Copies the state out, into `into`'s buffers when they are large enough. */
  take(into?: CoreSnapshot): CoreSnapshot {
    const count = this.x.core_region_count();
    const scratch = this.x.core_region_scratch();
    const snap: CoreSnapshot = into ?? { regions: [] };
    for (let id = 0; id < count; id++) {
      const used = id === scratch ? 0 : this.x.core_region_used(id);
      let image = snap.regions[id];
      if (!image || image.bytes.length < used) {
        image = { used, bytes: new Uint8Array(Math.max(used, 16)) };
        snap.regions[id] = image;
      }
      image.used = used;
      if (used > 0) {
        const base = this.x.core_region_base(id);
        image.bytes.set(this.core.bytes().subarray(base, base + used));
      }
    }
    snap.regions.length = count;
    return snap;
  }

  /**
   * Puts a snapshot's state back.
   * @returns 0, or a negative errno (-EINVAL for a snapshot of another layout, -ENOMEM) in which
   * case the core may hold a mix of old and new state and should be reset.
   */
  restore(snap: CoreSnapshot): number {
    const count = this.x.core_region_count();
    const scratch = this.x.core_region_scratch();
    if (snap.regions.length !== count) return -22;
    for (let id = 0; id < count; id++) {
      if (id === scratch) continue;
      const image = snap.regions[id];
      if (!image) return -22;
      const err = this.x.core_region_prepare_restore(id, image.used);
      if (err < 0) return err;
      if (image.used > 0) {
        const base = this.x.core_region_base(id);
        this.core.bytes().set(image.bytes.subarray(0, image.used), base);
      }
    }
    return 0;
  }
}
