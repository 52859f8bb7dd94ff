// vmlinux.ts: a small, realistic vmlinux. Functions are laid into core.text with sizes like a
// Debian 6.x build, their ftrace sites converted to NOPs at boot (ftrace_init), and the procfs files
// and syscalls call them through their entry sites, so a livepatch changes what they do.
import { type Arch, TextFlags, VMLINUX } from "../../core-wasm/bindings/index.ts";
import { SleepFrame } from "./frames.ts";
import { done, type KCode, type KStep, TaskKilled } from "./kcode.ts";
import type { KFunc, Machine } from "./machine.ts";
import type { Task } from "./task.ts";

/** seq_file: show handlers append to `buf` (seq_printf). */
export interface SeqFile {
  buf: string;
}

export interface Vmlinux {
  byName: Map<string, number>;
  /** Ordered (name, id) list: kallsyms order, for sympos look-ups. */
  symbols: { name: string; id: number }[];
}

const CMDLINE = "BOOT_IMAGE=/boot/vmlinuz-6.16.0-klp root=/dev/vda1 ro console=ttyS0";
/** utsname's release and version (uname -r, -v), as /proc/version shows them. */
export const UTS_RELEASE = "6.16.0-klp";
export const UTS_VERSION = "#1 SMP PREEMPT_DYNAMIC";
/** The machine's hostname (uname -n): no init sets one, so the build host /proc/version names. */
export const UTS_NODENAME = "klp-play";
const VERSION = `Linux version ${UTS_RELEASE} (builder@${UTS_NODENAME}) (gcc (Debian 14.2.0-19) 14.2.0, GNU ld (GNU Binutils for Debian) 2.44) ${UTS_VERSION}`;

/** meminfo_proc_show's first lines, deterministic. */
const MEMINFO = [
  "MemTotal:        2014592 kB",
  "MemFree:         1523400 kB",
  "MemAvailable:    1760332 kB",
];

/** A show handler: appends `text` (it never sleeps). */
function seqShow(_m: Machine, _t: Task, arg: unknown, text: string): KCode {
  (arg as SeqFile).buf += text;
  return done(0);
}

/** schedule(): the step the caller prepared; the frame stays on the stack while asleep. */
function schedule(_m: Machine, _t: Task, arg: unknown): KCode {
  return new SleepFrame(arg as KStep);
}

/** Calls one vmlinux function by name from another (a direct call through its entry site). */
function callee(name: string): KFunc {
  return (m, t, arg) => m.call(t, m.fn(name), arg);
}

/** [name, size, body] in link order. */
function table(m: Machine): [string, number, KFunc][] {
  const getpid = m.arch === "arm64" ? "__arm64_sys_getpid" : "__x64_sys_getpid";
  return [
    ["do_idle", 0x1f0, (_m, t) => done(t.pid)],
    ["cpu_startup_entry", 0x30, callee("do_idle")],
    ["schedule", 0xa0, schedule],
    ["schedule_timeout", 0x110, callee("schedule")],
    ["msleep", 0x50, callee("schedule_timeout")],
    ["msleep_interruptible", 0x60, callee("schedule_timeout")],
    ["kthread", 0x120, (_m, _t, arg) => (arg as () => KCode)()],
    ["kthreadd", 0x1c0, callee("schedule")],
    ["worker_thread", 0x2d0, callee("schedule")],
    ["process_one_work", 0x260, (_m, _t, arg) => (arg as () => KCode)()],
    [getpid, 0x20, (_m, t) => done(t.pid)],
    ["do_wait", 0x1a0, callee("schedule")],
    ["seq_read_iter", 0x3f0, (mm, t, arg) => mm.call(t, (arg as { show: number }).show, arg)],
    ["cmdline_proc_show", 0x30, (mm, t, a) => seqShow(mm, t, a, `${CMDLINE}\n`)],
    ["version_proc_show", 0x40, (mm, t, a) => seqShow(mm, t, a, `${VERSION}\n`)],
    ["meminfo_proc_show", 0x5b0, (mm, t, a) => seqShow(mm, t, a, `${MEMINFO.join("\n")}\n`)],
  ];
}

/**
 * The text features the kernel is built with. arm64: DYNAMIC_FTRACE_WITH_CALL_OPS, on by default
 * where arch/arm64/Kconfig selects HAVE_DYNAMIC_FTRACE_WITH_CALL_OPS (DYNAMIC_FTRACE_WITH_ARGS,
 * !CFI_CLANG, and Clang or !CC_OPTIMIZE_FOR_SIZE): each site gets an 8-byte ops literal before
 * the function, which ftrace_rec_update_ops() (arch/arm64/kernel/ftrace.c) stores before the bl.
 * x86-64 is kept without X86_KERNEL_IBT: with it each entry starts with endbr64 and rec->ip moves
 * by 4, which would change every entry-site byte and address the scenarios pin; the core models
 * IBT (TextFlags.x86Ibt), the machine does not offer it yet.
 */
function bootTextFlags(arch: Arch): number {
  return arch === "arm64" ? TextFlags.arm64CallOps : 0;
}

/** Lays vmlinux into core.text, converts its ftrace sites, and starts the boot tasks. */
export function bootVmlinux(m: Machine): Vmlinux {
  const rc = m.core.text.init(m.arch, bootTextFlags(m.arch));
  if (rc < 0) throw new Error(`core: text_init failed (${rc})`);
  const byName = new Map<string, number>();
  const symbols: { name: string; id: number }[] = [];
  for (const [name, size, body] of table(m)) {
    const id = m.core.text.addFunction(VMLINUX, size);
    if (id < 0) throw new Error(`core: text_add_function failed (${id})`);
    byName.set(name, id);
    symbols.push({ name, id });
    m.bodies.set(id, body);
    m.names.set(id, name);
  }
  m.core.text.ftraceInit(VMLINUX);
  const v = { byName, symbols };
  m.vmlinux = v;
  bootTasks(m);
  return v;
}

/** A task asleep in `fn` (its stack: fn -> schedule), as after boot. */
function parkIn(m: Machine, t: Task, fn: string): void {
  t.comm = t.comm || fn;
  m.tasks.start(t, m.call(t, m.fn(fn), { sleepNs: null, interruptible: true, freezable: false }));
}

/** swapper/0, swapper/1, init, kthreadd, per-CPU kworkers and the root shell. */
function bootTasks(m: Machine): void {
  for (const cpu of [0, 1]) {
    const idle = m.tasks.create(`swapper/${cpu}`, "idle", cpu, null);
    idle.state = "running";
  }
  const init = m.tasks.create("systemd", "user", 0, null);
  parkIn(m, init, "do_wait");
  const kthreadd = m.tasks.create("kthreadd", "kthread", 0, null);
  parkIn(m, kthreadd, "kthreadd");
  for (const cpu of [0, 1]) {
    const w = m.tasks.create(`kworker/${cpu}:0`, "kthread", cpu, kthreadd);
    parkIn(m, w, "worker_thread");
  }
  const shell = m.tasks.create("bash", "user", 0, init);
  shell.state = "user";
}

/**
 * Reads a procfs seq file as task `t` does: vfs_read -> seq_read_iter -> the show handler (a
 * vmlinux function by name, or any function by id).
 */
export function readSeq(m: Machine, t: Task, show: string | number): string {
  const seq = { buf: "", show: typeof show === "number" ? show : m.fn(show) };
  const body = m.call(t, m.fn("seq_read_iter"), seq);
  try {
    for (let r = body.next(); !r.done; r = body.next()) {
      /* show handlers do not sleep */
    }
  } catch (e) {
    if (!(e instanceof TaskKilled)) throw e;
    // The reader died in the show handler (an Oops): it exits, the read returns nothing.
    m.tasks.exit(t, 11);
    return "";
  }
  return seq.buf;
}
