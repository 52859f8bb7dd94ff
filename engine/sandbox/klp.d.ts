// klp.d.ts: the kernel API that sandboxed module code imports from "linux" (kernelApi.ts and
// klpApi.ts, workApi.ts and sysApi.ts implement it), typed after include/linux/livepatch.h (of
// both trees: struct klp_state as mainline has it and as the proposed series, pmladek/linux
// livepatch.h@663800cffbdf5a2992fa94835f3848dc6f7351bd, has it), printk.h, seq_file.h,
// moduleparam.h, kthread.h, delay.h, wait.h, completion.h and workqueue.h, for editors. Pointers
// are numbers: a seq_file is a handle valid while the call that received it runs, a task is its
// pid, a work item or a completion a handle, a function pointer a function id (func_ptr), shadow
// data a ref into the core's memory read and written with the shadow_* accessors. A module
// describes itself with its default export, a ModuleDescription.

declare module "linux" {
  /** A value a sleeping body yields: `yield msleep(100);` (a generator function body). */
  export interface Sleep {
    readonly $klp_sleep:
      "msleep" | "msleep_interruptible" | "schedule" | "wait_event_interruptible" | "call";
  }

  /** A body of kernel code: plain (never sleeps) or a generator yielding sleeps. */
  export type KernelCode<R> = R | Generator<Sleep, R, number>;

  export type ModuleState =
    "MODULE_STATE_LIVE" | "MODULE_STATE_COMING" | "MODULE_STATE_GOING" | "MODULE_STATE_UNFORMED";

  /** What a callback sees of its struct klp_object (plain data; name null is vmlinux). */
  export interface KlpObjectView {
    readonly name: string | null;
    readonly mod: { readonly name: string; readonly state: ModuleState } | null;
  }

  /** struct klp_func: new_func is one of the module's functions, by body or by name. */
  export interface KlpFunc {
    old_name: string;
    new_func: ((...args: never[]) => unknown) | string;
    old_sympos?: number;
  }

  /** struct klp_callbacks: pre_patch returns 0 or -errno; a throw refuses the patch (-EINVAL). */
  export interface KlpCallbacks {
    pre_patch?: (obj: KlpObjectView) => number;
    post_patch?: (obj: KlpObjectView) => void;
    pre_unpatch?: (obj: KlpObjectView) => void;
    post_unpatch?: (obj: KlpObjectView) => void;
  }

  /** struct klp_object: name null (or absent) is vmlinux. */
  export interface KlpObject {
    name?: string | null;
    funcs: KlpFunc[];
    callbacks?: KlpCallbacks;
  }

  /** What a state callback sees of its struct klp_patch (proposed series): the module's name. */
  export interface KlpPatchView {
    readonly name: string;
  }

  /**
   * struct klp_state_callbacks (proposed series): run only when the state is being enabled
   * (pre_patch, post_patch) or disabled (pre_unpatch, post_unpatch), receiving the state.
   * pre_patch returns 0 or -errno; a throw refuses the patch (-EINVAL). shadow_dtor is what
   * klp_shadow_free_all() runs on the state's shadow variables when it is_shadow.
   */
  export interface KlpStateCallbacks {
    pre_patch?: (patch: KlpPatchView, state: KlpState) => number;
    post_patch?: (patch: KlpPatchView, state: KlpState) => void;
    pre_unpatch?: (patch: KlpPatchView, state: KlpState) => void;
    post_unpatch?: (patch: KlpPatchView, state: KlpState) => void;
    shadow_dtor?: KlpShadowDtor;
  }

  /**
   * struct klp_state. Mainline reads `version` (absent: 0) and `data`; the proposed series
   * (pmladek/linux) drops versions and reads `callbacks`, `block_disable` (the state cannot be
   * disabled: neither a disable nor a replace without it) and `is_shadow` (the state owns the
   * shadow variables of its id, freed with it). Each tree ignores the other's fields. What a
   * callback receives, and `data`, are copies: klp_state_set_data keeps a change.
   */
  export interface KlpState {
    id: number;
    version?: number;
    data?: unknown;
    callbacks?: KlpStateCallbacks;
    block_disable?: boolean;
    is_shadow?: boolean;
  }

  /** struct klp_patch (its module is the one calling klp_enable_patch). */
  export interface KlpPatch {
    objs: KlpObject[];
    states?: KlpState[];
    replace?: boolean;
  }

  /** A module parameter (module_param): shown under /sys/module/<m>/parameters/<name>. */
  export interface ModuleParam {
    name: string;
    type: "int" | "bool" | "charp";
    /** sysfs permission, e.g. 0o644 (default); 0 hides the file. */
    perm?: number;
    value: number | boolean | string;
    set?: ModuleParamOps["set"];
    get?: ModuleParamOps["get"];
  }

  /** A function of the module: its kallsyms name, text size (default 0x40) and body. */
  export interface ModuleFunction {
    name: string;
    size?: number;
    /**
     * Called with the kernel caller's argument: a seq_file handle for show handlers, a work
     * handle for work functions, what kcall passed.
     */
    body: (arg: never) => KernelCode<unknown>;
  }

  /**
   * module_param_cb's kernel_param_ops: `set` runs after the value was parsed and stored, in
   * the writer's context (it may start work and wait for it), returning 0 or -errno; `get`
   * returns the text a read shows (the kernel's get prints into the buffer).
   */
  export interface ModuleParamOps {
    set?: (value: number | boolean | string) => number;
    get?: () => string | void;
  }

  /** The module's default export. */
  export interface ModuleDescription {
    /** MODULE_INFO(livepatch, "Y"). */
    livepatch?: boolean;
    params?: ModuleParam[];
    functions?: ModuleFunction[];
    /** module_init: 0 or -errno; a throw fails the load (-EINVAL, -ENOMEM when out of memory). */
    init?: () => number;
    /** module_exit. */
    exit?: () => void;
  }

  // printk.h: formats are the kernel's (vsprintf); pr_* prefix "<module>: " (pr_fmt).
  export function printk(fmt: string, ...args: unknown[]): void;
  export function pr_emerg(fmt: string, ...args: unknown[]): void;
  export function pr_alert(fmt: string, ...args: unknown[]): void;
  export function pr_crit(fmt: string, ...args: unknown[]): void;
  export function pr_err(fmt: string, ...args: unknown[]): void;
  export function pr_warn(fmt: string, ...args: unknown[]): void;
  export function pr_notice(fmt: string, ...args: unknown[]): void;
  export function pr_info(fmt: string, ...args: unknown[]): void;
  /** Dynamic debug is off for module code: prints nothing. */
  export function pr_debug(fmt: string, ...args: unknown[]): void;
  export const KERN_EMERG: string;
  export const KERN_ALERT: string;
  export const KERN_CRIT: string;
  export const KERN_ERR: string;
  export const KERN_WARNING: string;
  export const KERN_NOTICE: string;
  export const KERN_INFO: string;
  export const KERN_DEBUG: string;

  // seq_file.h
  export function seq_printf(m: number, fmt: string, ...args: unknown[]): number;
  export function seq_puts(m: number, s: string): number;

  /** The current value of one of this module's parameters. */
  export function module_param(name: string): number | boolean | string | undefined;

  // delay.h, sched.h, wait.h: yield the result from a generator body.
  export function msleep(ms: number): Sleep;
  export function msleep_interruptible(ms: number): Sleep;
  export function schedule(): Sleep;
  export function wait_event_interruptible(condition: () => boolean): Sleep;

  // kthread.h: tasks are pids.
  export function kthread_run<D>(
    threadfn: (data: D) => KernelCode<number>,
    data: D,
    namefmt: string,
    ...args: unknown[]
  ): number;
  export function kthread_should_stop(): boolean;
  /** @returns the thread function's return value, or -EINVAL for no such kthread. */
  export function kthread_stop(pid: number): number;
  export function current_pid(): number;
  export function current_comm(): string;

  // livepatch.h
  /**
   * Registers the patch and starts its patching transition; called from the module's init.
   * @returns 0, or -errno (the module then does not load and insmod reports the error).
   */
  export function klp_enable_patch(patch: KlpPatch): number;
  /** klp_get_state(patch, id) for this module's patch (without its callbacks). */
  export function klp_get_state(id: number): KlpState | null;
  /** klp_get_prev_state(id): the state in the patches already installed (without callbacks). */
  export function klp_get_prev_state(id: number): KlpState | null;
  export type KlpShadowCtor<D> = (obj: number, shadowData: number, ctorData: D) => number;
  export type KlpShadowDtor = (obj: number, shadowData: number) => void;
  /** @returns the shadow data ref, 0 for NULL. */
  export function klp_shadow_get(obj: number, id: number): number;
  export function klp_shadow_alloc<D>(
    obj: number,
    id: number,
    size: number,
    gfp: number,
    ctor?: KlpShadowCtor<D> | null,
    ctorData?: D,
  ): number;
  export function klp_shadow_get_or_alloc<D>(
    obj: number,
    id: number,
    size: number,
    gfp: number,
    ctor?: KlpShadowCtor<D> | null,
    ctorData?: D,
  ): number;
  export function klp_shadow_free(obj: number, id: number, dtor?: KlpShadowDtor | null): void;
  export function klp_shadow_free_all(id: number, dtor?: KlpShadowDtor | null): void;
  /** The kernel pointer of shadow data, for %p. */
  export function shadow_pointer(ref: number): bigint;
  export function shadow_read_u8(ref: number, off: number): number;
  export function shadow_read_u32(ref: number, off: number): number;
  export function shadow_read_i32(ref: number, off: number): number;
  export function shadow_read_f64(ref: number, off: number): number;
  export function shadow_write_u8(ref: number, off: number, value: number): void;
  export function shadow_write_u32(ref: number, off: number, value: number): void;
  export function shadow_write_i32(ref: number, off: number, value: number): void;
  export function shadow_write_f64(ref: number, off: number, value: number): void;

  export function shadow_read_u64(ref: number, off: number): bigint;
  export function shadow_write_u64(ref: number, off: number, value: bigint): void;
  /** state->data = data for this module's patch's state `id`. @returns 0 or -EINVAL. */
  export function klp_state_set_data(id: number, data: unknown): number;

  // workqueue.h: a work item is a handle; its function runs in a kworker (through its entry
  // site when it is one of the module's functions) with the handle as its argument.
  export type WorkFunc = (work: number) => KernelCode<unknown>;
  /**
   * `container` is the struct the work is embedded in, as container_of(work) finds it (plain
   * data; function pointers as func_ptr values).
   */
  export function INIT_WORK(fn: WorkFunc, container?: unknown): number;
  /** container_of(work, ...): the struct work `work` (of any module) is embedded in. */
  export function container_of<T>(work: number): T | undefined;
  export function INIT_DELAYED_WORK(fn: WorkFunc): number;
  /** @returns false when the work was already pending. */
  export function schedule_work(work: number): boolean;
  export function schedule_delayed_work(work: number, delayJiffies: number): boolean;
  /** Waits for a pending work to run and a running one to end. @returns whether it waited. */
  export function flush_work(work: number): boolean;
  /** Cancels a pending run and waits for a running one. @returns whether it was pending. */
  export function cancel_delayed_work_sync(work: number): boolean;
  // completion.h: a completion is a handle (DECLARE_COMPLETION: init_completion at top level).
  export function init_completion(): number;
  export function reinit_completion(c: number): void;
  export function complete(c: number): void;
  /**
   * From plain code (a parameter's set hook): the machine runs until `c` completes.
   * @returns false when nothing completed it within the wait's bound.
   */
  export function wait_for_completion(c: number): boolean;
  /** A function pointer to one of the module's functions (the module must be loading). */
  export function func_ptr(fn: (arg: never) => KernelCode<unknown>): number;
  /**
   * `yield call_ptr(p, arg)`: an indirect call (hall->do_block_doors()) of a function of any
   * module through its entry site; it may sleep. The yield gives back its return value.
   */
  export function call_ptr(fn: number, arg?: unknown): Sleep;
  /**
   * Calls one of the module's functions through its entry site, as compiled C calls it, so that
   * a livepatch replacing it runs instead (calling the TypeScript function directly bypasses
   * ftrace). The callee must not sleep. Plain data (numbers, strings, objects) crosses by value.
   */
  export function kcall<R = unknown>(fn: (arg: never) => KernelCode<R>, arg?: unknown): R;

  // proc_fs.h, kobject.h, sysfs.h
  /** proc_create_single(name, mode, NULL, show): `show` is one of the module's functions. */
  export function proc_create_single(
    name: string,
    mode: number,
    show: (m: number) => number,
  ): boolean;
  export function remove_proc_entry(name: string): void;
  /** kobject_create_and_add(name, kernel_kobj): /sys/kernel/<name>. @returns 0 for NULL. */
  export function kobject_create_and_add(name: string): number;
  /** A kobj_attribute: `show` returns the file's text. */
  export interface KobjAttribute {
    name: string;
    mode: number;
    show: () => string;
  }
  export function sysfs_create_file(kobj: number, attr: KobjAttribute): number;
  export function kobject_put(kobj: number): void;

  // kprobes.h: the object is the struct kprobe (the kernel knows it by its address). Every kprobe
  // on one function shares one probe point; on x86-64 a point whose first kprobe has a post
  // handler needs the function's IPMODIFY ftrace slot.
  export interface Kprobe {
    symbol_name: string;
    /** Runs on each call, newest kprobe first; nonzero stops the rest and skips post handlers. */
    pre_handler?: () => number;
    post_handler?: (() => void) | null;
  }
  /**
   * @returns 0 or -errno (-EBUSY when a livepatch holds the IPMODIFY slot, -EINVAL when this object
   * is already registered, -ENOENT for an unknown symbol).
   */
  export function register_kprobe(kp: Kprobe): number;
  export function unregister_kprobe(kp: Kprobe): void;

  // slab.h: an object is a token (0 is NULL), usable as a shadow variable's object.
  export function kzalloc(size: number, gfp: number): number;
  export function kfree(obj: number): void;
  /** The kernel virtual address of a kzalloc object, for %p. */
  export function kaddr(obj: number): bigint;

  // jiffies.h, printk.h
  export function jiffies(): number;
  export function msecs_to_jiffies(ms: number): number;
  export function console_loglevel(): number;
  export function set_console_loglevel(level: number): void;

  /** WRITE_ONCE on one of this module's parameters. @returns 0 or -EINVAL. */
  export function set_module_param(name: string, value: number | boolean | string): number;

  /** This module (THIS_MODULE->name). */
  export const THIS_MODULE: { readonly name: string };
  /** The machine's architecture (what #if defined(__x86_64__) / __aarch64__ decide). */
  export const ARCH: "x86_64" | "arm64";
  export const MODULE_STATE_LIVE: "MODULE_STATE_LIVE";
  export const MODULE_STATE_COMING: "MODULE_STATE_COMING";
  export const MODULE_STATE_GOING: "MODULE_STATE_GOING";
  export const MODULE_STATE_UNFORMED: "MODULE_STATE_UNFORMED";
  export const GFP_KERNEL: number;
  export const GFP_ATOMIC: number;
  export const GFP_NOWAIT: number;
  export const GFP_NOIO: number;
  export const GFP_NOFS: number;
}
