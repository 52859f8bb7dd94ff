// shadow.ts: shadow variables (kernel/livepatch/shadow.c: klp_shadow_get, klp_shadow_alloc,
// klp_shadow_get_or_alloc, klp_shadow_free, klp_shadow_free_all) over the core's table. A
// duplicate alloc WARNs with the full splat; a failing constructor is reported with pr_err. The
// data pointers printed with %p are derived from the core's refs, so they repeat for a seed.
import type { ShadowCtor, ShadowDtor } from "../../core-wasm/bindings/shadow.ts";
import { LogLevel } from "../log.ts";
import type { Machine } from "../machine/machine.ts";
import { warnSplat } from "../machine/warn.ts";
import { KLP_MSG } from "./messages.ts";

/** Kernel addresses of shadow data: the direct map plus a deterministic offset per ref. */
const DIRECT_MAP = 0xffff_8880_0000_0000n;

export class KlpShadow {
  constructor(private readonly m: Machine) {}

  /** The kernel pointer of a shadow data ref (0n for none). */
  pointer(ref: number): bigint {
    return ref > 0 ? DIRECT_MAP + 0x1000000n + BigInt(ref) * 0x40n : 0n;
  }

  /** klp_shadow_get. @returns the data ref or 0. */
  get(obj: number, id: number): number {
    return this.m.core.shadow.get(obj, id);
  }

  private alloc_(
    obj: number,
    id: number,
    size: number,
    ctor: ShadowCtor | undefined,
    getOrAlloc: boolean,
  ): number {
    const sh = this.m.core.shadow;
    const noCtor: ShadowCtor = () => 0;
    // __klp_shadow_get_or_alloc looks the variable up first; only a new one is an alloc event.
    const existed = sh.get(obj, id) !== 0;
    const ref = sh.allocWithCtor(obj, id, size, ctor ?? noCtor, getOrAlloc);
    if (ref === -17) {
      warnSplat(
        this.m,
        { file: "kernel/livepatch/shadow.c", line: 137, func: "__klp_shadow_get_or_alloc" },
        this.m.format(KLP_MSG.duplicateShadow, [BigInt(obj), id]),
      );
      return 0;
    }
    if (ref === 0 && sh.lastCtorError !== 0) {
      this.m.pr(
        LogLevel.Err,
        "livepatch: ",
        KLP_MSG.shadowCtorFailed,
        BigInt(obj),
        id,
        sh.lastCtorError,
      );
      return 0;
    }
    if (ref < 0) return 0;
    if (!existed) this.m.events.emit({ kind: "shadow", op: "alloc", obj, id });
    return ref;
  }

  /** klp_shadow_alloc. @returns the data ref, or 0 (duplicate: WARN; ctor failure; no memory). */
  alloc(obj: number, id: number, size: number, ctor?: ShadowCtor): number {
    return this.alloc_(obj, id, size, ctor, false);
  }

  /** klp_shadow_get_or_alloc. @returns the data ref or 0. */
  getOrAlloc(obj: number, id: number, size: number, ctor?: ShadowCtor): number {
    return this.alloc_(obj, id, size, ctor, true);
  }

  /** klp_shadow_free. */
  free(obj: number, id: number, dtor?: ShadowDtor): void {
    const sh = this.m.core.shadow;
    const ref = dtor ? sh.freeWithDtor(obj, id, dtor) : sh.free(obj, id);
    if (ref) this.m.events.emit({ kind: "shadow", op: "free", obj, id });
  }

  /**
   * klp_shadow_free_all: one free event per variable, with its obj, as each goes (the kernel
   * calls klp_shadow_free_struct() per match), marked `all` so consumers can say who freed it.
   */
  freeAll(id: number, dtor?: ShadowDtor): void {
    this.m.core.shadow.freeAll(id, dtor, (obj) =>
      this.m.events.emit({ kind: "shadow", op: "free", obj, id, all: true }),
    );
  }
}
