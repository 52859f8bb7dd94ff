// tasks.ts: the task list and the run loop of kernel code (kernel/fork.c, kernel/sched/core.c as
// far as livepatch sees them). Kernel bodies are resumable frames (kcode.ts); a task runs until
// its body yields a sleep, and a wake-up schedules it to run again at the current virtual time.
import { type KCode, type KStep, TaskKilled } from "./kcode.ts";
import type { Machine } from "./machine.ts";
import { Task, type TaskKind } from "./task.ts";

export class TaskTable {
  private readonly byPid = new Map<number, Task>();
  private nextPid = 1;

  constructor(private readonly m: Machine) {}

  /** Tasks in pid order (idle tasks first), as for_each_process_thread walks them. */
  all(): Task[] {
    return [...this.byPid.values()];
  }

  get(pid: number): Task | undefined {
    return this.byPid.get(pid);
  }

  /**
   * A new task. Pids are handed out in creation order (idle tasks share pid 0), so the same
   * boot and the same commands give the same pids.
   */
  create(comm: string, kind: TaskKind, cpu: number, parent: Task | null): Task {
    const coreId = this.m.core.tasks.alloc();
    if (coreId < 0) throw new Error(`core: task_alloc failed (${coreId})`);
    const pid = kind === "idle" ? 0 : this.nextPid++;
    const t = new Task(pid, comm, kind, cpu, coreId, parent?.pid ?? 0);
    // klp_copy_process(): the child inherits patch_state and TIF_PATCH_PENDING.
    if (parent) this.m.core.tasks.copyProcess(coreId, parent.coreId);
    // Idle tasks are keyed apart: they all have pid 0.
    this.byPid.set(kind === "idle" ? -1 - cpu : pid, t);
    if (kind !== "idle") this.m.vfs.addProcPid(t);
    const ppid = parent?.pid ?? 0;
    this.m.events.emit({ kind: "task", pid, comm, op: "fork", ppid, taskKind: kind });
    return t;
  }

  /** fork() from `parent`: a user task with the parent's livepatch state. */
  fork(parent: Task, comm: string): Task {
    return this.create(comm, "user", parent.cpu, parent);
  }

  /** do_exit(): the task leaves the task list. */
  exit(t: Task, code = 0): void {
    if (t.state === "dead") return;
    t.sleep?.timer?.cancel();
    t.state = "dead";
    t.exitCode = code;
    this.byPid.delete(t.kind === "idle" ? -1 - t.cpu : t.pid);
    this.m.core.tasks.free(t.coreId);
    this.m.vfs.removeProcPid(t);
    this.m.events.emit({ kind: "task", pid: t.pid, comm: t.comm, op: "exit" });
  }

  /** Starts kernel code in `t` and runs it until it sleeps or ends. */
  start(t: Task, body: KCode): void {
    t.body = body;
    this.run(t, undefined);
  }

  /** Runs the task's body from where it slept. */
  run(t: Task, value: unknown): void {
    if (!t.body || t.state === "dead") return;
    const prev = this.m.current;
    this.m.current = t;
    t.state = "running";
    t.sleep = null;
    let r: IteratorResult<KStep, unknown>;
    try {
      r = t.body.next(value);
    } catch (e) {
      if (!(e instanceof TaskKilled)) throw e;
      // An Oops killed the task (make_task_dead): its frames are unwound, it exits.
      t.body = null;
      this.exit(t, 11);
      return;
    } finally {
      this.m.current = prev;
    }
    if (r.done) this.finish(t, r.value);
    else this.sleep(t, r.value);
  }

  /** The body returned `value`: a kthread exits with it (what kthread_stop() returns). */
  private finish(t: Task, value: unknown): void {
    t.body = null;
    if (t.kind === "kthread") this.exit(t, typeof value === "number" ? value : 0);
    else this.returnToUser(t);
  }

  /** schedule(): the task sleeps; the v6.16+ hook may switch a freezable one first. */
  private sleep(t: Task, step: KStep): void {
    t.state = "sleeping";
    const timer =
      step.sleepNs === null ? null : this.m.sched.after(step.sleepNs, () => this.wake(t, false));
    t.sleep = { interruptible: step.interruptible, freezable: step.freezable, timer };
    if (step.freezable) this.m.klp.schedTrySwitch(t);
  }

  /**
   * try_to_wake_up(): a sleeping task becomes runnable and runs at the current time, after what
   * is already due. With `interruptibleOnly` (wake_up_state(TASK_INTERRUPTIBLE)) an
   * uninterruptible sleeper stays asleep. @returns whether it was woken.
   */
  wake(t: Task, interruptibleOnly: boolean): boolean {
    if (t.state !== "sleeping" || !t.sleep) return false;
    if (interruptibleOnly && !t.sleep.interruptible) return false;
    t.sleep.timer?.cancel();
    t.sleep = null;
    t.state = "runnable";
    this.m.sched.after(0, () => this.run(t, undefined));
    return true;
  }

  /**
   * A fake signal to a user task (set_notify_signal): an interruptible sleep in a syscall ends
   * (-EINTR, the syscall restarts later) and the task passes exit_to_user_mode(); a task in user
   * space is kicked there. An uninterruptible sleeper only keeps the flag.
   */
  signalUser(t: Task): void {
    t.notifySignal = true;
    if (t.state === "sleeping" && t.sleep?.interruptible && t.body) {
      t.sleep.timer?.cancel();
      t.sleep = null;
      const body = t.body;
      t.body = null;
      const prev = this.m.current;
      this.m.current = t;
      try {
        body.return(undefined); // unwinds: each function's frame is popped
      } finally {
        this.m.current = prev;
      }
      this.m.sched.after(0, () => this.returnToUser(t));
    } else if (t.state === "user") {
      this.m.sched.after(0, () => this.returnToUser(t));
    }
  }

  /** wake_up_process(): wakes a sleeper whatever its sleep state. */
  wakeUp(t: Task): boolean {
    return this.wake(t, false);
  }

  /** exit_to_user_mode(): a pending task switches here (klp_update_patch_state). */
  returnToUser(t: Task): void {
    if (t.kind !== "user" || t.state === "dead") return;
    t.state = "user";
    t.notifySignal = false;
    if (this.m.core.tasks.updatePatchState(t.coreId) === 1) this.m.klp.noteSwitch(t, "user-return");
  }
}
