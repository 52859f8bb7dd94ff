// tasks.ts: the scenario's background tasks. A user task repeats a getpid system call through its
// entry site, or a read of a /proc or /sys file, every `every_ms` of virtual time and returns to
// user space in between, as a busy user program would. A `call` task enters one kernel function
// (a module's, once it is loaded): from a kthread's loop with an msleep between two calls, or
// from a user process's system call, the next one `every_ms` after the last returned (or was
// interrupted by a signal). A sleep inside the function keeps it on the task's stack.
import { GuardedFrame, SeqFrame } from "../machine/frames.ts";
import { type KCode, msleep } from "../machine/kcode.ts";
import type { Machine } from "../machine/machine.ts";
import type { Task } from "../machine/task.ts";
import type { TaskSpec } from "../../scenarios/schema.ts";

/** The architecture's getpid entry, as SYSCALL_DEFINE0(getpid) names it. */
function getpidSymbol(m: Machine): string {
  return m.arch === "arm64" ? "__arm64_sys_getpid" : "__x64_sys_getpid";
}

/** The id of the loaded function named `name` (the latest load of its module), or -1. */
function functionId(m: Machine, name: string): number {
  let found = -1;
  for (const [id, n] of m.names) if (n === name && m.bodies.has(id)) found = id;
  return found;
}

function userAct(m: Machine, t: Task, spec: TaskSpec): void {
  if (t.state === "dead") return;
  if ("syscall" in spec.does) {
    m.tasks.start(t, m.call(t, m.fn(getpidSymbol(m))));
  } else if ("read" in spec.does) {
    const prev = m.current;
    m.current = t;
    try {
      m.vfs.readFile(spec.does.read);
    } finally {
      m.current = prev;
    }
    m.tasks.returnToUser(t);
  }
  m.sched.after(spec.every_ms * 1e6, () => userAct(m, t, spec));
}

/** A kthread's loop: calls `name` (once a module has it loaded), then msleep(everyMs), forever. */
class CallLoop extends SeqFrame {
  /** Whether the msleep comes next (the call of `name` has run). */
  private called = false;

  constructor(
    private readonly m: Machine,
    private readonly t: Task,
    private readonly name: string,
    private readonly everyMs: number,
  ) {
    super();
  }

  protected advance(): KCode {
    const { m, t } = this;
    if (!this.called) {
      this.called = true;
      const id = functionId(m, this.name);
      if (id >= 0) return m.call(t, id);
    }
    this.called = false;
    return m.call(t, m.fn("msleep"), msleep(this.everyMs));
  }
}

/**
 * A user process's system call of function `id`; when it ends (returns, or is unwound when a
 * fake signal interrupts its sleep: -EINTR), the next one is due `everyMs` later.
 */
class UserCall extends GuardedFrame {
  constructor(
    private readonly m: Machine,
    private readonly t: Task,
    private readonly id: number,
    private readonly name: string,
    private readonly everyMs: number,
  ) {
    super();
  }

  protected enter(): boolean {
    return true;
  }

  protected callee(): KCode {
    return this.m.call(this.t, this.id);
  }

  protected leave(): void {
    again(this.m, this.t, this.name, this.everyMs);
  }
}

function again(m: Machine, t: Task, name: string, everyMs: number): void {
  m.sched.after(everyMs * 1e6, () => userCall(m, t, name, everyMs));
}

/** A user process whose system call runs `name`; the next call starts `everyMs` after it ends. */
function userCall(m: Machine, t: Task, name: string, everyMs: number): void {
  if (t.state === "dead") return;
  const id = functionId(m, name);
  if (id < 0) again(m, t, name, everyMs);
  else m.tasks.start(t, new UserCall(m, t, id, name, everyMs));
}

/** One spec per task: a spec with a count becomes that many, named `<comm><i>` (i from 0). */
export function expandTasks(specs: readonly TaskSpec[]): TaskSpec[] {
  return specs.flatMap((spec) => {
    if (spec.count === undefined) return [spec];
    const { count, ...one } = spec;
    return Array.from({ length: count }, (_, i) => ({ ...one, comm: `${spec.comm}${i}` }));
  });
}

/** Starts the tasks in order (same pids every run), spread over the CPUs. */
export function startTasks(m: Machine, specs: readonly TaskSpec[], cpus: number): void {
  const kthreadd = m.tasks.all().find((t) => t.comm === "kthreadd") ?? null;
  // Read once: the getter walks the whole task list, which 100,000 forks would make quadratic.
  const shell = m.shell;
  expandTasks(specs).forEach((spec, i) => {
    if ("call" in spec.does && spec.does.from === "user") {
      const t = m.tasks.fork(shell, spec.comm);
      t.cpu = i % cpus;
      userCall(m, t, spec.does.call, spec.every_ms);
      return;
    }
    if ("call" in spec.does) {
      const name = spec.does.call;
      const t = m.tasks.create(spec.comm, "kthread", i % cpus, kthreadd);
      m.tasks.start(
        t,
        m.call(t, m.fn("kthread"), () => new CallLoop(m, t, name, spec.every_ms)),
      );
      return;
    }
    const t = m.tasks.fork(shell, spec.comm);
    t.cpu = i % cpus;
    userAct(m, t, spec);
  });
}
