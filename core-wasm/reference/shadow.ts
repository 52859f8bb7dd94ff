// shadow.ts (reference): the shadow-variable table as one would write it in plain TypeScript,
// without WebAssembly: a Map from obj to a Map from id to a zeroed Uint8Array. It has the same
// semantics as core-wasm/bindings/shadow.ts and serves as the tests' oracle and the benchmarks'
// baseline. Errors are the same negative errno values.
import { EEXIST, EINVAL, ENOSPC } from "../bindings/errno.ts";

/** Same cap as the core (assembly/shadow_heap.ts SHADOW_MAX_SIZE). */
export const REFERENCE_MAX_SIZE = 1 << 20;

export type RefCtor = (obj: number, data: Uint8Array) => number;
export type RefDtor = (obj: number, data: Uint8Array) => void;

export class ShadowReference {
  private readonly byObj = new Map<number, Map<number, Uint8Array>>();
  private live = 0;
  private maxCount = 0;
  /** Whether the last getOrAlloc() created its variable. */
  lastCreated = false;
  /** What the last failing constructor returned. */
  lastCtorError = 0;

  /** klp_shadow_get. */
  get(obj: number, id: number): Uint8Array | undefined {
    return this.byObj.get(obj >>> 0)?.get(id >>> 0);
  }

  /** klp_shadow_alloc: new zeroed data, or -EEXIST/-EINVAL/-ENOSPC; 0 when the ctor failed. */
  alloc(obj: number, id: number, size: number, ctor?: RefCtor): Uint8Array | number {
    if (this.get(obj, id)) return -EEXIST;
    return this.create(obj, id, size, ctor);
  }

  /** klp_shadow_get_or_alloc: existing data (ctor not run) or new data. */
  getOrAlloc(obj: number, id: number, size: number, ctor?: RefCtor): Uint8Array | number {
    const found = this.get(obj, id);
    this.lastCreated = false;
    if (found) return found;
    const made = this.create(obj, id, size, ctor);
    this.lastCreated = typeof made !== "number";
    return made;
  }

  private create(obj: number, id: number, size: number, ctor?: RefCtor): Uint8Array | number {
    this.lastCtorError = 0;
    if (!Number.isInteger(size) || size < 0 || size > REFERENCE_MAX_SIZE) return -EINVAL;
    if (this.maxCount !== 0 && this.live >= this.maxCount) return -ENOSPC;
    const data = new Uint8Array(size);
    if (ctor) {
      const err = ctor(obj, data);
      if (err !== 0) {
        this.lastCtorError = err;
        return 0;
      }
    }
    let ids = this.byObj.get(obj >>> 0);
    if (!ids) {
      ids = new Map();
      this.byObj.set(obj >>> 0, ids);
    }
    ids.set(id >>> 0, data);
    this.live++;
    return data;
  }

  /** klp_shadow_free: unlink, then the dtor on the data. @returns whether something was freed. */
  free(obj: number, id: number, dtor?: RefDtor): boolean {
    const ids = this.byObj.get(obj >>> 0);
    const data = ids?.get(id >>> 0);
    if (!ids || !data) return false;
    ids.delete(id >>> 0);
    if (ids.size === 0) this.byObj.delete(obj >>> 0);
    this.live--;
    dtor?.(obj >>> 0, data);
    return true;
  }

  /** klp_shadow_free_all, destructors in obj order. @returns how many were freed. */
  freeAll(id: number, dtor?: RefDtor): number {
    const objs: number[] = [];
    for (const [obj, ids] of this.byObj) if (ids.has(id >>> 0)) objs.push(obj);
    objs.sort((a, b) => a - b);
    let freed = 0;
    for (const obj of objs) if (this.free(obj, id, dtor)) freed++;
    return freed;
  }

  count(): number {
    return this.live;
  }

  /** Caps the count (then -ENOSPC); 0 removes the cap. */
  setMaxCount(n: number): void {
    this.maxCount = n;
  }
}
