// view.ts: the machine as a workbench shows it, read from the engine's own state (klp_patches,
// the module list, the task table and the core's per-task patch state), as plain data that a
// structured clone carries across the Worker boundary. Nothing here is computed for show: every
// field is a value the kernel model holds or an event it emitted.
import type { Machine } from "../machine/machine.ts";
import { patchPending, patchState } from "../machine/task.ts";

export interface PatchView {
  /** The patch's module name (its /sys/kernel/livepatch/<name> directory). */
  name: string;
  enabled: boolean;
  replace: boolean;
  forced: boolean;
  /** The patch in transition (klp_transition_patch). */
  inTransition: boolean;
  /** klp_states (proposed: block_disable refuses a disable). */
  states: { id: number; version: number; blockDisable: boolean }[];
  /** Patched functions by old name, per object ("vmlinux" or a module). */
  objects: { name: string; funcs: string[]; patched: boolean }[];
}

export interface ModuleView {
  name: string;
  state: string;
  refcnt: number;
  livepatch: boolean;
}

export interface TaskView {
  pid: number;
  comm: string;
  kind: "user" | "kthread" | "idle";
  /** running, runnable, sleeping, user, dead. */
  run: string;
  /** The core's patch_state: -1 KLP_TRANSITION_IDLE, 0 unpatched, 1 patched. */
  patchState: number;
  pending: boolean;
  /** The task's kernel functions, innermost first (at most STACK_SHOWN of them). */
  stack: string[];
  interruptible: boolean | null;
  /** The last klp_try_switch_task failure of this transition: errno and the function, if any. */
  blocked: { errno: number; func: string | null } | null;
}

export interface MachineView {
  nowNs: number;
  /** The transition in progress: its patch and target (1 patching, 0 unpatching). */
  transition: { patch: string; target: number } | null;
  /** klp_patches, oldest first (the stack's bottom first). */
  patches: PatchView[];
  /** Loaded modules, newest first (lsmod). */
  modules: ModuleView[];
  /** The window of the task list the page asked for (task table order), from `taskOffset` on. */
  tasks: TaskView[];
  /** Index in the task list of `tasks[0]`. */
  taskOffset: number;
  /** Tasks in the machine; `tasks` holds at most the window's limit of them. */
  taskCount: number;
}

/** Which tasks a view carries: `limit` of them from `offset` (a page shows a window of 100,000). */
export interface TaskWindow {
  offset: number;
  limit: number;
}

export const DEFAULT_TASK_WINDOW: TaskWindow = { offset: 0, limit: 500 };

/** Kernel frames a task's view carries: enough to see the patched function under the sleep. */
const STACK_SHOWN = 6;

export function machineView(
  m: Machine,
  blocked: ReadonlyMap<number, { errno: number; func: string | null }>,
  window: TaskWindow = DEFAULT_TASK_WINDOW,
): MachineView {
  const tp = m.klp.transitionPatch;
  const patches = m.klp.patches.map((p): PatchView => ({
    name: p.mod.name,
    enabled: p.enabled,
    replace: p.replace,
    forced: p.forced,
    inTransition: p === tp,
    states: p.states.map((s) => ({
      id: s.id,
      version: s.version ?? 0,
      blockDisable: s.block_disable === true,
    })),
    objects: p.objs.map((o) => ({
      name: o.name ?? "vmlinux",
      funcs: o.funcs.map((f) => f.oldName),
      patched: o.patched,
    })),
  }));
  const modules = m.modules.list().map((mod): ModuleView => ({
    name: mod.name,
    state: mod.state,
    refcnt: mod.refcnt,
    livepatch: mod.def.livepatch === true,
  }));
  const all = m.tasks.all().filter((t) => t.state !== "dead");
  // A window past the end (the list shrank) shows its last rows rather than none.
  const offset = Math.max(0, Math.min(window.offset, all.length - window.limit));
  const tasks = all.slice(offset, offset + window.limit).map((t): TaskView => {
    const asleep = t.state === "sleeping";
    const stack = t.fns
      .slice(-STACK_SHOWN)
      .reverse()
      .map((id) => m.names.get(id) ?? `#${id}`);
    return {
      pid: t.pid,
      comm: t.comm,
      kind: t.kind,
      run: t.state,
      patchState: patchState(m.core, t),
      pending: patchPending(m.core, t),
      stack,
      interruptible: asleep ? (t.sleep?.interruptible ?? null) : null,
      blocked: blocked.get(t.pid) ?? null,
    };
  });
  return {
    nowNs: m.clock.nowNs(),
    transition: tp ? { patch: tp.mod.name, target: m.core.tasks.targetState() } : null,
    patches,
    modules,
    tasks,
    taskOffset: offset,
    taskCount: all.length,
  };
}
