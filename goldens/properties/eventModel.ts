// eventModel.ts: what the event stream alone says about a run, for the property tests. It replays
// the events into its own view of every task's patch_state and TIF_PATCH_PENDING (the rules of
// kernel/livepatch/transition.c: klp_init_transition, klp_start_transition, klp_reverse_transition,
// klp_complete_transition, klp_copy_process), the live shadow variables (allocs minus frees), the
// livepatch modules that must stay pinned (klp_force_transition's forced flag, which
// klp_free_patch_finish honours by skipping module_put) and the callback pairing. The checks then
// compare that view with the core and the engine; a rule broken while replaying is recorded.
import type { EngineEvent } from "../../engine/events.ts";
import type { Machine } from "../../engine/machine/machine.ts";

const KLP = "/sys/kernel/livepatch";

export interface TaskView {
  state: number;
  pending: boolean;
}

/** The key of a task in the model: idle tasks all have pid 0, their comm tells them apart. */
export function taskKey(pid: number, comm: string): string {
  return pid === 0 ? comm : String(pid);
}

export class EventModel {
  readonly tasks = new Map<string, TaskView>();
  shadowLive = 0;
  /** Livepatch modules whose patch was forced off or replaced by a forced replace. */
  readonly pinned = new Set<string>();
  /** Mainline: `patch/object` pairs whose pre_patch returned 0 (post_unpatch may run once). */
  private readonly armed = new Set<string>();
  /** Proposed: state ids whose pre_patch succeeded and whose post_unpatch has not run yet. */
  private readonly liveStates = new Set<number>();
  readonly violations: string[] = [];
  /** Counters that show the sequences reached the interesting states. */
  readonly seen = {
    forced: 0,
    pinned: 0,
    reversed: 0,
    signals: 0,
    prePatchFailed: 0,
    postUnpatch: 0,
    statePostUnpatch: 0,
    shadowAllocs: 0,
    /** Proposed: ids that left without post_unpatch (spec §10.4). */
    stateLeaked: 0,
  };

  constructor(
    private readonly m: Machine,
    /** What a pre_patch callback of `patch` returns, read before it runs (the module's param). */
    private readonly preRet: (patch: string) => number,
  ) {
    for (const t of m.tasks.all()) {
      const state = m.core.tasks.patchState(t.coreId);
      this.tasks.set(taskKey(t.pid, t.comm), { state, pending: false });
    }
    m.events.subscribe((e) => this.apply(e));
  }

  private fail(e: EngineEvent, what: string): void {
    this.violations.push(`event ${e.seq} (${e.kind}): ${what}`);
  }

  private apply(e: EngineEvent): void {
    switch (e.kind) {
      case "task": {
        const key = taskKey(e.pid, e.comm);
        if (e.op === "exit") {
          this.tasks.delete(key);
          break;
        }
        // klp_copy_process(): the child starts with its parent's state and pending flag.
        const ppid = this.m.tasks.get(e.pid)?.ppid ?? 0;
        const parent = [...this.m.tasks.all()].find((t) => t.pid === ppid && ppid !== 0);
        const from = parent ? this.tasks.get(taskKey(parent.pid, parent.comm)) : undefined;
        this.tasks.set(key, from ? { ...from } : { state: -1, pending: false });
        break;
      }
      case "transition":
        this.transition(e);
        break;
      case "task-switch": {
        const t = this.tasks.get(taskKey(e.pid, e.comm));
        if (!t) return this.fail(e, `switch of unknown task ${e.pid}`);
        if (!t.pending) this.fail(e, `task ${e.pid} switched without TIF_PATCH_PENDING`);
        t.state = e.state;
        t.pending = false;
        break;
      }
      case "shadow":
        this.shadowLive += e.op === "alloc" ? 1 : -1;
        if (e.op === "alloc") this.seen.shadowAllocs++;
        if (this.shadowLive < 0) this.fail(e, "more shadow frees than allocs");
        break;
      case "callback":
        if (e.state === undefined) this.objectCallback(e);
        else this.stateCallback(e, e.state);
        break;
      case "module":
        if (e.op === "unload" && this.pinned.has(e.name))
          this.fail(e, `${e.name} was forced yet unloaded`);
        if (e.op !== "load")
          for (const k of [...this.armed]) if (k.startsWith(`${e.name}/`)) this.armed.delete(k);
        break;
      default:
        break;
    }
  }

  private transition(e: Extract<EngineEvent, { kind: "transition" }>): void {
    const all = [...this.tasks.values()];
    switch (e.phase) {
      case "init":
        // klp_init_transition: every task takes the initial state, nothing pending.
        for (const t of all) {
          if (t.state !== -1 || t.pending) this.fail(e, "a task was not idle before init");
          t.state = 1 - e.target;
          t.pending = false;
        }
        break;
      case "start":
        for (const t of all) t.pending = t.state !== e.target;
        break;
      case "reverse":
        // klp_reverse_transition: pending flags cleared, then set again against the new target.
        this.seen.reversed++;
        for (const t of all) t.pending = t.state !== e.target;
        break;
      case "force":
        this.seen.forced++;
        for (const t of all) if (t.pending) this.fail(e, "a task stayed pending after force");
        this.pinForced(e.patch, e.target);
        break;
      case "complete":
        for (const t of all) {
          if (t.pending) this.fail(e, "a task was pending at completion");
          if (t.state !== e.target) this.fail(e, `a task was in state ${t.state} at completion`);
          t.state = -1;
        }
        break;
      case "signal":
        this.seen.signals++;
        break;
      default:
        break;
    }
  }

  /** klp_force_transition: the patch being removed, or every patch a replace retires, is forced. */
  private pinForced(patch: string, target: number): void {
    if (target === 0) {
      this.pinned.add(patch);
      this.seen.pinned++;
      return;
    }
    if (this.m.vfs.readFile(`${KLP}/${patch}/replace`) !== "1\n") return;
    const dirs = this.m.vfs.listDir(KLP);
    for (const p of typeof dirs === "number" ? [] : dirs) {
      if (p === patch) continue;
      this.pinned.add(p);
      this.seen.pinned++;
    }
  }

  /** Mainline: each post_unpatch closes one pre_patch that returned 0 (klp_post_unpatch_callback). */
  private objectCallback(e: Extract<EngineEvent, { kind: "callback" }>): void {
    const key = `${e.patch}/${e.object}`;
    if (e.callback === "pre_patch") {
      if (this.armed.has(key)) this.fail(e, `pre_patch of ${key} ran twice without post_unpatch`);
      if (this.preRet(e.patch) === 0) this.armed.add(key);
      else this.seen.prePatchFailed++;
    } else if (e.callback === "post_unpatch") {
      this.seen.postUnpatch++;
      if (!this.armed.delete(key))
        this.fail(e, `post_unpatch of ${key} without a successful pre_patch`);
    }
  }

  /**
   * Proposed: a state's pre_patch runs when the id enters the system, its post_unpatch only when
   * the id leaves the last patch that carries it (is_state_in_other_patches).
   */
  private stateCallback(e: Extract<EngineEvent, { kind: "callback" }>, id: number): void {
    if (e.callback === "pre_patch") {
      if (this.liveStates.has(id)) {
        // Spec §10.4 (the series read literally): an id carried by two patches that one replace
        // retires is "in other patches" for both, so it leaves without post_unpatch. That is the
        // only way an id may come back; while any other patch still carries it, it must not.
        const carriers = this.m.klp.patches.filter(
          (p) => p.name !== e.patch && p.states.some((st) => st.id === id),
        );
        if (carriers.length > 0) this.fail(e, `state ${id} introduced twice`);
        else this.seen.stateLeaked++;
        this.liveStates.delete(id);
      }
      if (this.preRet(e.patch) === 0) this.liveStates.add(id);
      else this.seen.prePatchFailed++;
      return;
    }
    if (e.callback !== "post_unpatch") return;
    this.seen.statePostUnpatch++;
    if (!this.liveStates.delete(id))
      this.fail(e, `post_unpatch of state ${id} without a successful pre_patch`);
    const holders = this.m.klp.patches.filter(
      (p) => p.name !== e.patch && p.enabled && p.states.some((s) => s.id === id),
    );
    if (holders.length > 0)
      this.fail(e, `post_unpatch of state ${id} while ${holders[0]!.name} still carries it`);
  }
}
