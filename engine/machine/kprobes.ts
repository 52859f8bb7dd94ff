// kprobes.ts: the kprobe table of kernel/kprobes.c (cited below as K =
// kernel/kprobes.c@85f3caa9557976930f9825d6342d05d020976e3e): one probe point per address, which
// is the lone kprobe or, once a second kprobe registers there, an aggr_kprobe whose list holds
// them all (register_aggr_kprobe, add_new_kprobe). A point is armed once, however many kprobes
// it has: on x86-64 (KPROBES_ON_FTRACE) as an entry in kprobe_ftrace_ops' or kprobe_ipmodify_ops'
// filter (ftrace.ts armKprobe), on arm64 as BRK64_OPCODE_KPROBES written over the probed
// instruction (arch/arm64/kernel/probes/kprobes.c@031616c434db05ce766f76c62865f55698e0924f
// arch_arm_kprobe / arch_disarm_kprobe, aarch64_insn_patch_text through the core). The core's
// text holds the BRK; the instruction it replaced (p->opcode) is kept here for the disarm.
// /sys/kernel/debug/kprobes/enabled is kprobes_all_disarmed (arm_all_kprobes/disarm_all_kprobes).
import { EINVAL, ENOENT } from "../../core-wasm/bindings/index.ts";
import { LogLevel } from "../log.ts";
import { A64_BRK_KPROBES } from "./disasm.ts";
import { ftraceOf } from "./ftrace.ts";
import type { Machine } from "./machine.ts";
import type { Task } from "./task.ts";
import { warnSplat } from "./warn.ts";

/** One struct kprobe as a module registered it. */
export interface KprobeStruct {
  /** The struct's identity (its address in the kernel): the same object registered twice. */
  id: string;
  /** The module that registered it (reports). */
  owner: string;
  symbol: string;
  /** pre_handler: runs before the probed instruction; nonzero means "I changed the path". */
  pre: ((t: Task) => number) | null;
  post: ((t: Task) => void) | null;
}

/** A probed address: get_kprobe(addr), the lone kprobe or its aggr_kprobe. */
export interface ProbePoint {
  /** Address token (p->addr). */
  addr: number;
  fn: number;
  /** p->list, head first: add_new_kprobe's list_add_rcu puts each new kprobe at the head. */
  list: KprobeStruct[];
  /** kprobe_aggrprobe(): an aggr_kprobe took the address over when a second kprobe came. */
  aggr: boolean;
  /** p->post_handler is set (for an aggr_kprobe: aggr_post_handler); picks the ftrace ops. */
  post: boolean;
  /** KPROBE_FLAG_FTRACE: p->addr is the ftrace location (check_ftrace_location, x86-64). */
  ftrace: boolean;
  /** Armed now (the BRK is in the text, or the ops filter holds the address). */
  armed: boolean;
  /** arm64 p->opcode: the instruction the BRK replaces, stepped out of line on a hit. */
  opcode: number;
}

export class Kprobes {
  /** kprobe_table: probe points by address token. */
  readonly table = new Map<number, ProbePoint>();
  /** kprobes_all_disarmed: /sys/kernel/debug/kprobes/enabled written 0. */
  allDisarmed = false;
  /** WARN_ON_ONCE / WARN_ONCE sites that have fired this boot. */
  private readonly warned = new Set<string>();

  constructor(private readonly m: Machine) {}

  /** Calls pass through hit() only while some address is probed (the hot path stays bare). */
  private syncHook(): void {
    this.m.kprobeHit = this.table.size === 0 ? null : (t, fn) => this.hit(t, fn);
  }

  /** The point `kp` belongs to (__get_valid_kprobe), or null. */
  private pointOf(kp: KprobeStruct): ProbePoint | null {
    for (const p of this.table.values()) if (p.list.some((k) => k.id === kp.id)) return p;
    return null;
  }

  /** Whether struct `id` is registered. */
  registered(id: string): boolean {
    for (const p of this.table.values()) if (p.list.some((k) => k.id === id)) return true;
    return false;
  }

  /** WARN_ON_ONCE()/WARN_ONCE() at `func`: the splat the first time only. */
  warnOnce(func: string, message: string): void {
    if (this.warned.has(func + message)) return;
    this.warned.add(func + message);
    warnSplat(this.m, { file: "kernel/kprobes.c", line: 1, func }, message);
  }

  /**
   * register_kprobe() at `kp.symbol`+0. K: warn_kprobe_rereg refuses a struct already registered
   * with WARN_ON_ONCE and -EINVAL; arch_check_ftrace_location flags an address that is the ftrace
   * location (x86-64: rec->ip is sym+0) and refuses one without KPROBES_ON_FTRACE (arm64: rec->ip
   * is sym+4, so sym+0 is not refused); a second kprobe at an address joins its point
   * (register_aggr_kprobe) and arms nothing more. @returns 0 or -errno.
   */
  register(kp: KprobeStruct): number {
    const { text } = this.m.core;
    const fn = this.m.vmlinux.byName.get(kp.symbol);
    if (fn === undefined) return -ENOENT;
    if (this.pointOf(kp)) {
      this.warnOnce("register_kprobe", "");
      return -EINVAL;
    }
    const addr = text.funcAddr(fn);
    const ftrace = text.siteAddr(fn) === addr;
    if (ftrace && this.m.arch !== "x86_64") return -EINVAL;
    const old = this.table.get(addr);
    if (old) {
      // init_aggr_kprobe keeps the lone kprobe's post handler; add_new_kprobe adds its own. The
      // point stays armed as it was: a post handler joining a point armed on kprobe_ftrace_ops
      // does not move it to kprobe_ipmodify_ops (see unregister for what that costs).
      old.aggr = true;
      old.list.unshift(kp);
      if (kp.post) old.post = true;
      return 0;
    }
    const p: ProbePoint = {
      addr,
      fn,
      list: [kp],
      aggr: false,
      post: kp.post !== null,
      ftrace,
      armed: false,
      opcode: 0,
    };
    if (!ftrace) {
      // arch_prepare_kprobe: p->opcode is the instruction there now.
      const w = text.bytes(addr, 4);
      if (typeof w === "number") return w;
      p.opcode = new DataView(w.buffer).getUint32(0, true);
    }
    this.table.set(addr, p);
    if (!this.allDisarmed) {
      const rc = this.arm(p);
      // K register_kprobe: a point that cannot be armed leaves the table.
      if (rc < 0) {
        this.table.delete(addr);
        return rc;
      }
    }
    this.syncHook();
    return 0;
  }

  /**
   * unregister_kprobe() (K __unregister_kprobe_top): the last kprobe of a point disarms it
   * (__disable_kprobe) and removes it. An aggr_kprobe on ftrace keeps its post handler flag when
   * the kprobe that brought it leaves, to disarm from the ops it was armed on (the 6.x fix in
   * __unregister_kprobe_top); a post handler that joined a point armed without one therefore
   * disarms from kprobe_ipmodify_ops, which fails (WARN_ONCE, -ENOENT): the kprobe then stays
   * registered and armed, as it does in the kernel. An unknown struct is ignored (-EINVAL there).
   */
  unregister(kp: KprobeStruct): void {
    const p = this.pointOf(kp);
    if (!p) return;
    if (p.list.length === 1) {
      if (p.armed && !this.allDisarmed && this.disarm(p) < 0) return;
      this.table.delete(p.addr);
      this.syncHook();
      return;
    }
    const others = p.list.filter((k) => k.id !== kp.id);
    if (kp.post && !p.ftrace && !others.some((k) => k.post)) p.post = false;
    p.list = others;
  }

  /** arm_kprobe(). @returns 0 or -errno. */
  private arm(p: ProbePoint): number {
    if (p.ftrace) {
      const rc = ftraceOf(this.m).armKprobe(p.fn, p.post);
      if (rc === 0) p.armed = true;
      return rc;
    }
    const rc = this.m.core.text.patchInsn(p.addr, A64_BRK_KPROBES);
    if (rc === 0) p.armed = true;
    return rc;
  }

  /** disarm_kprobe(). @returns 0 or -errno (the point stays armed). */
  private disarm(p: ProbePoint): number {
    if (p.ftrace) {
      const rc = ftraceOf(this.m).disarmKprobe(p.fn, p.post);
      if (rc < 0) {
        const at = this.m.names.get(p.fn) ?? "?";
        const size = Math.max(1, this.m.core.text.funcSize(p.fn));
        this.warnOnce(
          "__disarm_kprobe_ftrace",
          `Failed to disarm kprobe-ftrace at ${at}+0x0/0x${size.toString(16)} (${rc})`,
        );
        return rc;
      }
      p.armed = false;
      return 0;
    }
    const rc = this.m.core.text.patchInsn(p.addr, p.opcode);
    if (rc === 0) p.armed = false;
    return rc;
  }

  /**
   * debugfs kprobes/enabled (K arm_all_kprobes / disarm_all_kprobes; the messages and the
   * "kprobes: " pr_fmt are v6.x kernel/kprobes.c's, read from the code index without a commit):
   * nothing when already so; else every point, best effort, and one line.
   * @returns 0 or the last -errno.
   */
  setEnabled(on: boolean): number {
    if (this.allDisarmed === !on) return 0;
    this.allDisarmed = !on;
    let errors = 0;
    let ret = 0;
    for (const p of this.table.values()) {
      const rc = on ? this.arm(p) : this.disarm(p);
      if (rc < 0) {
        errors++;
        ret = rc;
      }
    }
    const total = this.table.size;
    const what = on ? "enabled" : "disabled";
    if (errors === 0) this.m.printk(LogLevel.Info, `kprobes: Kprobes globally ${what}`);
    else
      this.m.printk(
        LogLevel.Warning,
        `kprobes: Kprobes globally ${what}, but failed to ${on ? "enable" : "disable"} ${errors} out of ${total} probes. Please check which kprobes are kept ${on ? "disabled" : "enabled"} via debugfs.`,
      );
    return ret;
  }

  /**
   * Task `t` enters function `fn`: if a point there is live, its handlers run as the kernel runs
   * them. arm64: the CPU executes the BRK the core's text holds (kprobe_handler), x86-64: the site
   * calls ftrace with the kprobe ops on it (kprobe_ftrace_handler). K aggr_pre_handler walks the
   * list head first and stops at the first pre handler returning nonzero, which also skips the
   * single step and every post handler; aggr_post_handler then walks the list again.
   */
  hit(t: Task, fn: number): void {
    const p = this.table.get(this.m.core.text.funcAddr(fn));
    if (!p || !this.live(p)) return;
    for (const k of p.list) if (k.pre && k.pre(t) !== 0) return;
    if (!p.post) return;
    for (const k of p.list) k.post?.(t);
  }

  /** Whether a call of the point's function traps into kprobes now (read from the text). */
  private live(p: ProbePoint): boolean {
    const { text } = this.m.core;
    if (p.ftrace) {
      // kprobe_ftrace_handler runs when the site calls into ftrace with a kprobe ops on it.
      const f = ftraceOf(this.m);
      return f.enabled && f.kprobeCovers(p.fn) && text.exec(p.fn) !== 0;
    }
    const w = text.bytes(p.addr, 4);
    return typeof w !== "number" && new DataView(w.buffer).getUint32(0, true) === A64_BRK_KPROBES;
  }
}

/** The machine's kprobes (made on first use, with ftrace's debugfs files). */
export function kprobesOf(m: Machine): Kprobes {
  let k = m.subsystems.get("kprobes") as Kprobes | undefined;
  if (!k) {
    const kp = new Kprobes(m);
    k = kp;
    m.subsystems.set("kprobes", kp);
    ftraceOf(m);
  }
  return k;
}

/** The machine's kprobes if any were ever used. */
export function kprobesIfAny(m: Machine): Kprobes | null {
  return (m.subsystems.get("kprobes") as Kprobes | undefined) ?? null;
}
