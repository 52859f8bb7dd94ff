// shadow.ts: typed door to the shadow-variable table (assembly/shadow.ts).
//
// A shadow variable is addressed by its `ref` (a positive number the core hands out); its data
// lives in the core's memory and is read and written through the accessors below. Hot-path
// methods make exactly one core call and allocate nothing.
import { EEXIST } from "./errno.ts";
import type { CoreInstance } from "./instance.ts";

const NAMES = [
  "shadow_get",
  "shadow_alloc",
  "shadow_get_or_alloc",
  "shadow_last_created",
  "shadow_prepare",
  "shadow_attach",
  "shadow_discard",
  "shadow_free",
  "shadow_detach",
  "shadow_free_all_collect",
  "shadow_report_obj",
  "shadow_report_ref",
  "shadow_free_all_commit",
  "shadow_size",
  "shadow_data_addr",
  "shadow_data_offset",
  "shadow_count",
  "shadow_capacity",
  "shadow_max_size",
  "shadow_overhead_bytes",
  "shadow_set_max_count",
  "shadow_check",
] as const;

/** A constructor as in klp_shadow_ctor_t: gets the new, not yet visible data; non-zero fails. */
export type ShadowCtor = (obj: number, ref: number) => number;
/** A destructor as in klp_shadow_dtor_t. */
export type ShadowDtor = (obj: number, ref: number) => void;

export class ShadowTable {
  private readonly x;
  private readonly core: CoreInstance;
  /** What the last constructor returned when it failed (0 otherwise). */
  lastCtorError = 0;

  constructor(core: CoreInstance) {
    this.core = core;
    this.x = core.fns(NAMES);
  }

  /** klp_shadow_get. @returns the ref, or 0 when absent. */
  get(obj: number, id: number): number {
    return this.x.shadow_get(obj, id) >>> 0;
  }

  /** klp_shadow_alloc without ctor. @returns the ref or -EEXIST/-EINVAL/-ENOSPC/-ENOMEM. */
  alloc(obj: number, id: number, size: number): number {
    return this.x.shadow_alloc(obj, id, size);
  }

  /** klp_shadow_get_or_alloc without ctor; see lastCreated(). @returns a ref or -errno. */
  getOrAlloc(obj: number, id: number, size: number): number {
    return this.x.shadow_get_or_alloc(obj, id, size);
  }

  /** Whether the last getOrAlloc() created its variable. */
  lastCreated(): boolean {
    return this.x.shadow_last_created() === 1;
  }

  /**
   * klp_shadow_alloc / klp_shadow_get_or_alloc with a constructor, in the kernel's order: look
   * up, allocate zeroed, run `ctor` on the unlinked data, link only if it returned 0.
   * @returns the ref; for an existing variable -EEXIST (alloc) or its ref (getOrAlloc, ctor not
   * run; lastCreated() is then false); 0 when the ctor failed (its value in lastCtorError);
   * -EINVAL/-ENOSPC/-ENOMEM.
   */
  allocWithCtor(
    obj: number,
    id: number,
    size: number,
    ctor: ShadowCtor,
    getOrAlloc = false,
  ): number {
    this.lastCtorError = 0;
    const found = this.get(obj, id);
    if (found !== 0) return getOrAlloc ? this.getOrAlloc(obj, id, size) : -EEXIST;
    const ref = this.prepare(size);
    if (ref < 0) return ref;
    const err = ctor(obj, ref);
    if (err !== 0) {
      this.discard(ref);
      this.lastCtorError = err;
      return 0;
    }
    const res = this.attach(obj, id, ref);
    if (res < 0) {
      this.discard(ref);
      return res;
    }
    return ref;
  }

  /** kzalloc step: a zeroed, unlinked block. @returns its ref or -EINVAL/-ENOSPC/-ENOMEM. */
  prepare(size: number): number {
    return this.x.shadow_prepare(size);
  }

  /** Links a prepared block as <obj, id>. @returns 0 or -EEXIST/-EINVAL/-ENOSPC/-ENOMEM. */
  attach(obj: number, id: number, ref: number): number {
    return this.x.shadow_attach(obj, id, ref);
  }

  /** Frees a prepared block (ctor failed). @returns 0 or -EINVAL. */
  discard(ref: number): number {
    return this.x.shadow_discard(ref);
  }

  /** klp_shadow_free without a dtor. @returns the freed ref, or 0 if absent. */
  free(obj: number, id: number): number {
    return this.x.shadow_free(obj, id) >>> 0;
  }

  /** Unlinks <obj, id> keeping its data readable (then discard()). @returns the ref or 0. */
  detach(obj: number, id: number): number {
    return this.x.shadow_detach(obj, id) >>> 0;
  }

  /**
   * klp_shadow_free with a destructor, in the kernel's order: unlink (shadow_get no longer finds
   * it), run `dtor` on the still valid data, free. @returns the freed ref, or 0 if absent.
   */
  freeWithDtor(obj: number, id: number, dtor: ShadowDtor): number {
    const ref = this.detach(obj, id);
    if (ref === 0) return 0;
    dtor(obj, ref);
    this.discard(ref);
    return ref;
  }

  /**
   * klp_shadow_free_all: frees every variable with `id`, ordered by obj (the kernel walks its
   * hash table); with `dtor`, each is unlinked, destructed and freed before the next, as in
   * klp_shadow_free_struct(). `freed` hears each variable right after it is freed (before the
   * next dtor runs), so a caller can report every one by its real obj.
   * @returns how many were freed, or -ENOMEM.
   */
  freeAll(id: number, dtor?: ShadowDtor, freed?: (obj: number, ref: number) => void): number {
    const n = this.x.shadow_free_all_collect(id);
    if (n < 0) return n;
    if (!dtor) {
      // Nothing runs between collect and commit, so commit frees exactly the listed entries.
      const list: number[] = [];
      if (freed)
        for (let i = 0; i < n; i++)
          list.push(this.x.shadow_report_obj(i) >>> 0, this.x.shadow_report_ref(i) >>> 0);
      const count = this.x.shadow_free_all_commit();
      for (let i = 0; i + 1 < list.length; i += 2) freed?.(list[i]!, list[i + 1]!);
      return count;
    }
    let count = 0;
    for (let i = 0; i < n; i++) {
      const obj = this.x.shadow_report_obj(i) >>> 0;
      const ref = this.x.shadow_report_ref(i) >>> 0;
      // A dtor may have freed (or replaced) a later entry: only the reported variable goes.
      if (this.get(obj, id) !== ref) continue;
      this.detach(obj, id);
      dtor(obj, ref);
      this.discard(ref);
      count++;
      freed?.(obj, ref);
    }
    this.x.shadow_free_all_commit(); // forgets the list; nothing is left to free
    return count;
  }

  /** @returns the data size at `ref`, or -EINVAL. */
  size(ref: number): number {
    return this.x.shadow_size(ref);
  }

  /** Live variables. */
  count(): number {
    return this.x.shadow_count() >>> 0;
  }

  /** Slots in the index. */
  capacity(): number {
    return this.x.shadow_capacity() >>> 0;
  }

  /** Largest size accepted. */
  maxSize(): number {
    return this.x.shadow_max_size() >>> 0;
  }

  /** Table, header, padding and free-block bytes (payload excluded). */
  overheadBytes(): number {
    return this.x.shadow_overhead_bytes();
  }

  /** Caps the count (then -ENOSPC); 0 removes the cap. */
  setMaxCount(n: number): void {
    this.x.shadow_set_max_count(n);
  }

  /** Verifies the table's invariants (tests). @returns 0 or -EUCLEAN. */
  check(): number {
    return this.x.shadow_check();
  }

  /** Absolute address of `len` bytes at `off` in the data at `ref`; throws if out of range. */
  private addr(ref: number, off: number, len: number): number {
    const a = this.x.shadow_data_addr(ref, off, len) >>> 0;
    if (a === 0) throw new RangeError(`shadow: bad access ref=${ref} off=${off} len=${len}`);
    return a;
  }

  readU8(ref: number, off = 0): number {
    return this.core.view().getUint8(this.addr(ref, off, 1));
  }

  writeU8(ref: number, off: number, value: number): void {
    this.core.view().setUint8(this.addr(ref, off, 1), value);
  }

  readU32(ref: number, off = 0): number {
    return this.core.view().getUint32(this.addr(ref, off, 4), true);
  }

  writeU32(ref: number, off: number, value: number): void {
    this.core.view().setUint32(this.addr(ref, off, 4), value, true);
  }

  readI32(ref: number, off = 0): number {
    return this.core.view().getInt32(this.addr(ref, off, 4), true);
  }

  writeI32(ref: number, off: number, value: number): void {
    this.core.view().setInt32(this.addr(ref, off, 4), value, true);
  }

  readF64(ref: number, off = 0): number {
    return this.core.view().getFloat64(this.addr(ref, off, 8), true);
  }

  writeF64(ref: number, off: number, value: number): void {
    this.core.view().setFloat64(this.addr(ref, off, 8), value, true);
  }

  /** A copy of the whole data at `ref`. */
  readBytes(ref: number): Uint8Array {
    const n = this.size(ref);
    if (n < 0) throw new RangeError(`shadow: bad ref ${ref}`);
    const a = this.addr(ref, 0, n);
    return this.core.bytes().slice(a, a + n);
  }

  /** Copies `src` into the data at `ref` from byte `off`. */
  writeBytes(ref: number, src: Uint8Array, off = 0): void {
    const a = this.addr(ref, off, src.length);
    this.core.bytes().set(src, a);
  }
}
