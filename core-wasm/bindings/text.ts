// text.ts: typed door to the emulated kernel text (assembly/text.ts, assembly/kallsyms.ts).
import type { CoreInstance } from "./instance.ts";

const NAMES = [
  "text_init",
  "text_add_object",
  "text_add_function",
  "text_remove_object",
  "kallsyms_addr_hi",
  "kallsyms_func_count",
  "kallsyms_func_addr",
  "kallsyms_func_size",
  "kallsyms_func_obj",
  "kallsyms_lookup",
] as const;

export type Arch = "x86_64" | "arm64";

/** text_init flags (assembly/text.ts). */
export const TextFlags = {
  x86Ibt: 1,
  arm64CallOps: 2,
  arm64Bti: 4,
  arm64ModulesFar: 8,
} as const;

export const VMLINUX = 0;

export class KernelText {
  private readonly x;

  constructor(core: CoreInstance) {
    this.x = core.fns(NAMES);
  }

  /** Starts an empty text for `arch`. @returns 0 or -errno. */
  init(arch: Arch, flags = 0): number {
    return this.x.text_init(arch === "arm64" ? 1 : 0, flags);
  }

  /** A module's text object, created at load. @returns the object id or -errno. */
  addObject(): number {
    return this.x.text_add_object();
  }

  /** @returns the new function's id or -errno. */
  addFunction(obj: number, size: number): number {
    return this.x.text_add_function(obj, size);
  }

  /** @returns 0 or -errno. */
  removeObject(obj: number): number {
    return this.x.text_remove_object(obj);
  }

  /** Address token (low 32 bits) of a function; 0 when unknown. */
  funcAddr(id: number): number {
    return this.x.kallsyms_func_addr(id) >>> 0;
  }

  /** @returns the size or -ENOENT. */
  funcSize(id: number): number {
    return this.x.kallsyms_func_size(id);
  }

  funcObject(id: number): number {
    return this.x.kallsyms_func_obj(id);
  }

  funcCount(): number {
    return this.x.kallsyms_func_count();
  }

  /** The function containing `addr`, or -ENOENT. */
  lookup(addr: number): number {
    return this.x.kallsyms_lookup(addr);
  }

  /** The full 64-bit address of a token, as a kernel hex string without 0x. */
  hexAddress(token: number): string {
    const hi = (this.x.kallsyms_addr_hi() >>> 0).toString(16).padStart(8, "0");
    return hi + (token >>> 0).toString(16).padStart(8, "0");
  }
}
