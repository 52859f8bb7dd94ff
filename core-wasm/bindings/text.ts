// text.ts: typed door to the emulated kernel text (assembly/text.ts, kallsyms.ts) and its ftrace
// entry sites (assembly/site.ts).
import type { CoreInstance } from "./instance.ts";

const NAMES = [
  "text_init",
  "text_flags",
  "text_add_object",
  "text_add_function",
  "text_remove_object",
  "text_ftrace_init",
  "text_symbol",
  "text_tramp_alloc",
  "text_tramp_free",
  "text_tramp_count",
  "text_arena_base",
  "text_arena_offset",
  "text_func_arena_offset",
  "text_prefix_len",
  "text_site_offset",
  "text_site_len",
  "text_write_byte",
  "text_patch_insn",
  "text_plt_resolve",
  "text_encode_x86_call",
  "text_encode_arm64_bl",
  "site_queue",
  "site_poke_step",
  "site_poke_finish",
  "site_poke_count",
  "site_poke_phase",
  "site_poke_abort",
  "site_exec",
  "site_exec_final",
  "site_ops",
  "site_addr",
  "site_queued",
  "site_state",
  "site_bug_func",
  "site_bug_len",
  "site_bug_expected",
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

/** Bytes as the kernel prints them in ftrace_bug() and as the entry-site view shows them: "e8 db f6 bc 00". */
export function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");
}

/** Symbols of the entry code and ftrace data (assembly/text.ts SYM_*). */
export const TextSymbol = {
  fentry: 0,
  ftraceCaller: 1,
  ftraceRegsCaller: 2,
  ftraceStub: 3,
  klpFtraceHandler: 4,
  ftraceNopOps: 5,
  ftraceListOps: 6,
  /** arm64: global_ops, the function tracer's ops (a CALL_OPS literal when it alone traces a site). */
  globalOps: 7,
} as const;
export type TextSymbolId = (typeof TextSymbol)[keyof typeof TextSymbol];

/** site_queue kinds (FTRACE_UPDATE_MAKE_CALL / MODIFY_CALL / MAKE_NOP). */
export const SiteKind = { makeCall: 1, modifyCall: 2, makeNop: 3 } as const;
export type SiteKindId = (typeof SiteKind)[keyof typeof SiteKind];

/** site_state values (assembly/site.ts). */
export const SiteState = { build: 1, nop: 2, call: 3, poking: 4, bad: 5 } as const;

/** What site_exec answers for a site no CPU would run as an entry (or an unknown function). */
export const SITE_EXEC_BAD = 1;

/** A failed verification, as ftrace_bug reports it. */
export interface SiteMismatch {
  funcId: number;
  /** The bytes ftrace expected at rec->ip (ftrace_expected). */
  expected: Uint8Array;
  /** The bytes found there. */
  actual: Uint8Array;
}

/** Whether an i32 the core returned is an error (the kernel's IS_ERR_VALUE: -4095..-1). */
function isErr(r: number): boolean {
  return r < 0 && r >= -4095;
}

export class KernelText {
  private readonly x;

  constructor(private readonly core: CoreInstance) {
    this.x = core.fns(NAMES);
  }

  /** Starts an empty text for `arch` (TextFlags of that arch only). @returns 0 or -errno. */
  init(arch: Arch, flags = 0): number {
    return this.x.text_init(arch === "arm64" ? 1 : 0, flags);
  }

  /** The flags given to init. */
  flags(): number {
    return this.x.text_flags();
  }

  /** A module's text object, created at load (arm64: with its ftrace PLT). @returns the id or -errno. */
  addObject(): number {
    return this.x.text_add_object();
  }

  /** Adds a function with its build-time entry bytes. @returns the new function's id or -errno. */
  addFunction(obj: number, size: number): number {
    return this.x.text_add_function(obj, size);
  }

  /** @returns 0 or -errno (-EBUSY while a pending poke batch holds one of its sites). */
  removeObject(obj: number): number {
    return this.x.text_remove_object(obj);
  }

  /**
   * ftrace's boot / module-load conversion of an object's sites (x86: call __fentry__ -> NOP5;
   * arm64: literal := &ftrace_nop_ops, NOP -> mov x9, x30). @returns the number converted or
   * -errno (-EINVAL on a byte mismatch: see lastMismatch()).
   */
  ftraceInit(obj: number): number {
    return this.x.text_ftrace_init(obj);
  }

  /** Address token of an entry-code or ftrace data symbol; 0 when the arch has none. */
  symbol(sym: TextSymbolId): number {
    return this.x.text_symbol(sym) >>> 0;
  }

  /** x86: a new per-ops ftrace trampoline. @returns its address token, or -errno. */
  trampAlloc(): number {
    const r = this.x.text_tramp_alloc();
    return isErr(r) ? r : r >>> 0;
  }

  /** @returns 0, -EINVAL (not a live trampoline) or -EBUSY (a site still calls it). */
  trampFree(addr: number): number {
    return this.x.text_tramp_free(addr);
  }

  trampCount(): number {
    return this.x.text_tramp_count();
  }

  /**
   * A copy of the `len` bytes of text at `addr` (inside one function, its CALL_OPS literal
   * included, or one module PLT). @returns the bytes, or -errno (-EFAULT: not text).
   */
  bytes(addr: number, len: number): Uint8Array | number {
    const off = this.x.text_arena_offset(addr, len);
    if (off < 0) return off;
    const base = this.x.text_arena_base() >>> 0;
    return this.core.bytes().slice(base + off, base + off + len);
  }

  /** A copy of the patched instruction at rec->ip (x86 5 bytes, arm64 4), or -ENOENT. */
  siteBytes(funcId: number): Uint8Array | number {
    return this.funcBytes(
      funcId,
      this.x.text_prefix_len() + this.x.text_site_offset(),
      this.x.text_site_len(),
    );
  }

  /**
   * A copy of a function's entry: from its CALL_OPS literal (arm64) or its address through the
   * patched instruction. @returns the bytes or -ENOENT.
   */
  entryBytes(funcId: number): Uint8Array | number {
    const len = this.x.text_prefix_len() + this.x.text_site_offset() + this.x.text_site_len();
    return this.funcBytes(funcId, 0, len);
  }

  private funcBytes(funcId: number, from: number, len: number): Uint8Array | number {
    const off = this.x.text_func_arena_offset(funcId);
    if (off < 0) return off;
    const base = (this.x.text_arena_base() >>> 0) + off + from;
    return this.core.bytes().slice(base, base + len);
  }

  /** Overwrites one byte of text (a stray write), to show what a malformed arena does. */
  writeByte(addr: number, value: number): number {
    return this.x.text_write_byte(addr, value);
  }

  /**
   * arm64 aarch64_insn_patch_text of the instruction word at `addr` (a kprobe's BRK and its
   * restore). @returns 0 or -errno (-EINVAL on x86 or misaligned, -EFAULT not text, -EBUSY the
   * site's instruction while a poke batch holds it).
   */
  patchInsn(addr: number, insn: number): number {
    return this.x.text_patch_insn(addr, insn >>> 0);
  }

  /** arm64: where the module PLT at `addr` jumps; 0 when `addr` is no PLT. */
  pltResolve(addr: number): number {
    return this.x.text_plt_resolve(addr) >>> 0;
  }

  /** `call target` at the x86-64 address 0xffffffff_<site>: its 5 bytes, or -ERANGE. */
  encodeX86Call(site: number, target: number): Uint8Array | number {
    const rel = this.x.text_encode_x86_call(site, target);
    if (rel < 0) return rel;
    return Uint8Array.of(0xe8, rel & 0xff, (rel >>> 8) & 0xff, (rel >>> 16) & 0xff, rel >>> 24);
  }

  /** `bl target` at the arm64 address 0xffff8000_<pc>: the instruction word, or -ERANGE. */
  encodeArm64Bl(pc: number, target: number): number {
    return this.x.text_encode_arm64_bl(pc, target);
  }

  /**
   * Verifies and queues a site update (see assembly/site.ts site_queue for target and aux).
   * @returns 0 or -errno.
   */
  queue(funcId: number, kind: SiteKindId, target: number, aux = 0): number {
    return this.x.site_queue(funcId, kind, target, aux);
  }

  /** Performs the next step of the pending batch. @returns the step (x86 1..6, arm64 1..2), 0 when idle. */
  pokeStep(): number {
    return this.x.site_poke_step();
  }

  /** Runs the remaining steps. @returns how many ran. */
  pokeFinish(): number {
    return this.x.site_poke_finish();
  }

  pokeCount(): number {
    return this.x.site_poke_count();
  }

  pokePhase(): number {
    return this.x.site_poke_phase();
  }

  /** Drops a batch no step of which has run. @returns the sites dropped, or -EBUSY once started. */
  pokeAbort(): number {
    return this.x.site_poke_abort();
  }

  /**
   * What a CPU executing the site does now: the call's destination token (trampoline,
   * ftrace_caller, PLT, or __fentry__ before ftrace init), 0 for a fall-through, SITE_EXEC_BAD.
   * The hot path of every simulated call.
   */
  exec(funcId: number): number {
    return this.x.site_exec(funcId) >>> 0;
  }

  /** As exec, following a module PLT to its destination. */
  execFinal(funcId: number): number {
    return this.x.site_exec_final(funcId) >>> 0;
  }

  /** arm64 CALL_OPS: the ops token in the site's literal; 0 otherwise. */
  siteOps(funcId: number): number {
    return this.x.site_ops(funcId) >>> 0;
  }

  /** rec->ip of a function, or 0. */
  siteAddr(funcId: number): number {
    return this.x.site_addr(funcId) >>> 0;
  }

  /** 1 when the site is in the pending batch, 0 when not, or -ENOENT. */
  siteQueued(funcId: number): number {
    return this.x.site_queued(funcId);
  }

  /** SiteState value or -ENOENT. */
  siteState(funcId: number): number {
    return this.x.site_state(funcId);
  }

  /** The failed verification of the last queue / ftraceInit call, or null. */
  lastMismatch(): SiteMismatch | null {
    const f = this.x.site_bug_func();
    if (f === 0) return null;
    const len = this.x.site_bug_len();
    const words = new Uint32Array([
      this.x.site_bug_expected(0) >>> 0,
      this.x.site_bug_expected(1) >>> 0,
    ]);
    const expected = new Uint8Array(words.buffer).slice(0, len);
    const actual = this.siteBytes(f - 1);
    return {
      funcId: f - 1,
      expected,
      actual: typeof actual === "number" ? new Uint8Array(0) : actual,
    };
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
