// transition.ts: the consistency model's driver (kernel/livepatch/transition.c). The per-task
// state, the stack check and the sweeps run in the core (core.tasks); this file sequences them,
// prints what the kernel prints, retries through the delayed work, sends fake signals, and
// completes, cancels, reverses or forces a transition.
import { LogLevel } from "../log.ts";
import type { Task } from "../machine/task.ts";
import { postPatchCallback, postUnpatchCallback } from "./callbacks.ts";
import type { Livepatch } from "./core.ts";
import { unpatchObject } from "./patch.ts";
import {
  statesPostPatch,
  statesPostPatchReplaced,
  statesPostUnpatch,
  statesPostUnpatchReplaced,
} from "./states.ts";
import { KLP_PATCHED, KLP_UNPATCHED, type KlpPatch, objectLoaded } from "./types.ts";
import { KLP_MSG } from "./messages.ts";

/** SIGNALS_TIMEOUT: failed attempts between rounds of fake signals. */
export const SIGNALS_TIMEOUT = 15;

const dir = (target: number): string =>
  target === KLP_PATCHED ? KLP_MSG.patching : KLP_MSG.unpatching;

/** klp_init_transition(patch, target). */
export function initTransition(lp: Livepatch, patch: KlpPatch, target: 0 | 1): void {
  if (lp.transitionPatch) lp.warnOnce("klp_init_transition", "");
  lp.transitionPatch = patch;
  lp.debug(KLP_MSG.initializing, patch.name, dir(target));
  const notIdle = lp.m.core.tasks.initTransition(target);
  if (notIdle > 0) lp.warnOnce("klp_init_transition", "");
  for (const obj of patch.objs) {
    for (const f of obj.funcs) {
      f.transition = true;
      if (f.entry >= 0) lp.m.core.ops.setTransition(f.entry, true);
    }
  }
  lp.m.events.emit({ kind: "transition", patch: patch.name, phase: "init", target });
}

/** klp_start_transition(): every task not in the target state becomes pending. */
export function startTransition(lp: Livepatch): void {
  const patch = lp.transitionPatch!;
  const target = lp.m.core.tasks.targetState();
  lp.notice(KLP_MSG.starting, patch.name, dir(target));
  lp.m.core.tasks.startTransition();
  lp.signalsCnt = 0;
  lp.m.events.emit({
    kind: "transition",
    patch: patch.name,
    phase: "start",
    target: target as 0 | 1,
  });
}

/** Tasks by core id. */
function byCoreId(lp: Livepatch): Map<number, Task> {
  return new Map(lp.m.tasks.all().map((t) => [t.coreId, t]));
}

/** Reports one attempt's failures (the per-task pr_debug lines are switchable) and kicks idle CPUs. */
function reportFailures(lp: Livepatch, tasks: Map<number, Task>): void {
  for (const f of lp.m.core.tasks.failures()) {
    const t = tasks.get(f.task);
    if (!t) continue;
    const func = f.func >= 0 ? (lp.m.names.get(f.func) ?? null) : null;
    lp.m.events.emit({ kind: "task-blocked", pid: t.pid, comm: t.comm, errno: f.errno, func });
    if (lp.m.debugSwitchTask) {
      const fn = "klp_try_switch_task";
      if (f.errno === -16) lp.debug(KLP_MSG.taskRunning, fn, t.comm, t.pid);
      else if (f.errno === -22) lp.debug(KLP_MSG.taskUnreliable, fn, t.comm, t.pid);
      else if (f.errno === -98) lp.debug(KLP_MSG.taskSleeping, fn, t.comm, t.pid, func);
      else lp.debug(KLP_MSG.taskUnknownError, fn, f.errno, t.comm, t.pid);
    }
    // wake_up_if_idle(): the idle loop passes its switch point.
    if (t.kind === "idle") lp.m.sched.after(0, () => lp.idleSwitch(t));
  }
}

/**
 * klp_try_complete_transition(): one attempt over every task. @returns true when the transition
 * completed.
 */
export function tryCompleteTransition(lp: Livepatch): boolean {
  const patch = lp.transitionPatch;
  if (!patch) return false;
  const tasks = byCoreId(lp);
  const target = lp.m.core.tasks.targetState() as 0 | 1;
  lp.m.events.emit({ kind: "transition", patch: patch.name, phase: "attempt", target });
  const before = [...tasks.values()].filter((t) => lp.m.core.tasks.pending(t.coreId) === 1);
  const left = lp.m.core.tasks.sweep(patch.id);
  for (const t of before)
    if (lp.m.core.tasks.pending(t.coreId) === 0) lp.noteSwitch(t, "stack-check");
  if (left !== 0) {
    reportFailures(lp, tasks);
    if (lp.signalsCnt && lp.signalsCnt % SIGNALS_TIMEOUT === 0) sendSignals(lp);
    lp.signalsCnt++;
    lp.scheduleRetry();
    return false;
  }
  completeTransition(lp);
  if (!patch.enabled) lp.freePatchAsync(patch);
  else if (patch.replace) freeReplacedPatches(lp, patch);
  return true;
}

/**
 * klp_free_replaced_patches_async(): frees the patches older than `patch` and stops at it; a
 * patch stacked on top of it (whose disable was just reversed) stays installed.
 */
function freeReplacedPatches(lp: Livepatch, patch: KlpPatch): void {
  const end = lp.patches.indexOf(patch);
  for (const old of lp.patches.slice(0, end < 0 ? 0 : end)) lp.freePatchAsync(old);
}

/** klp_send_signals(): kthreads are woken if interruptible, user tasks get TIF_NOTIFY_SIGNAL. */
function sendSignals(lp: Livepatch): void {
  if (lp.signalsCnt === SIGNALS_TIMEOUT) lp.notice(KLP_MSG.signaling);
  const patch = lp.transitionPatch!;
  lp.m.events.emit({
    kind: "transition",
    patch: patch.name,
    phase: "signal",
    target: lp.m.core.tasks.targetState() as 0 | 1,
  });
  for (const t of lp.m.tasks.all()) {
    if (t.kind === "idle" || lp.m.core.tasks.pending(t.coreId) !== 1) continue;
    if (t.kind === "kthread") lp.m.tasks.wake(t, true);
    else lp.m.tasks.signalUser(t);
  }
}

/** klp_unpatch_replaced_patches + klp_discard_nops, at a replace patch's PATCHED completion. */
function retireReplaced(lp: Livepatch, patch: KlpPatch): void {
  for (const old of lp.patches) {
    if (old === patch) break;
    old.enabled = false;
    for (const obj of old.objs) unpatchObject(lp, obj);
  }
  lp.discardNops(patch);
}

/**
 * Proposed state callbacks after the task states are reset (klp_complete_transition): PATCHED runs
 * the new states' post_patch; UNPATCHED first re-enables what a replace tore down
 * (klp_states_post_patch_replaced), then the patch's own post_unpatch.
 */
function statesAtCompletion(lp: Livepatch, patch: KlpPatch, target: number): void {
  if (!lp.proposed) return;
  if (target === KLP_PATCHED) return statesPostPatch(lp, patch);
  if (patch.replace) statesPostPatchReplaced(lp, patch);
  statesPostUnpatch(lp, patch);
}

/** klp_complete_transition(). */
export function completeTransition(lp: Livepatch): void {
  const patch = lp.transitionPatch!;
  const target = lp.m.core.tasks.targetState();
  lp.debug(KLP_MSG.completing, patch.name, dir(target));
  if (patch.replace && target === KLP_PATCHED) {
    retireReplaced(lp, patch);
    // klp_states_post_unpatch_replaced: the replaced patches' own post_unpatch (proposed).
    if (lp.proposed) statesPostUnpatchReplaced(lp, patch);
  }
  if (target === KLP_UNPATCHED) for (const obj of patch.objs) unpatchObject(lp, obj);
  for (const obj of patch.objs) {
    for (const f of obj.funcs) {
      f.transition = false;
      if (f.entry >= 0) lp.m.core.ops.setTransition(f.entry, false);
    }
  }
  if (lp.m.core.tasks.completeTransition() > 0) lp.warnOnce("klp_complete_transition", "");
  statesAtCompletion(lp, patch, target);
  for (const obj of patch.objs) {
    if (!objectLoaded(obj)) continue;
    if (target === KLP_PATCHED) postPatchCallback(lp, patch, obj);
    else postUnpatchCallback(lp, patch, obj);
  }
  lp.notice(KLP_MSG.complete, patch.name, dir(target));
  lp.m.events.emit({
    kind: "transition",
    patch: patch.name,
    phase: "complete",
    target: target as 0 | 1,
  });
  lp.transitionPatch = null;
}

/** klp_cancel_transition(): an enable failed before the transition started. */
export function cancelTransition(lp: Livepatch): void {
  const patch = lp.transitionPatch!;
  if (lp.m.core.tasks.cancelTransition() < 0) {
    lp.warnOnce("klp_cancel_transition", "");
    return;
  }
  lp.debug(KLP_MSG.canceling, patch.name);
  lp.m.events.emit({ kind: "transition", patch: patch.name, phase: "cancel", target: 0 });
  completeTransition(lp);
}

/** klp_reverse_transition(): no attempt now, the pending delayed work makes the next one. */
export function reverseTransition(lp: Livepatch): void {
  const patch = lp.transitionPatch!;
  const target = lp.m.core.tasks.targetState();
  lp.debug(
    KLP_MSG.reversing,
    patch.name,
    target === KLP_PATCHED ? KLP_MSG.patchingToUnpatching : KLP_MSG.unpatchingToPatching,
  );
  lp.m.events.emit({
    kind: "transition",
    patch: patch.name,
    phase: "reverse",
    target: (1 - target) as 0 | 1,
  });
  patch.enabled = !patch.enabled;
  lp.m.core.tasks.reverseTransition();
  lp.notice(KLP_MSG.starting, patch.name, dir(1 - target));
  lp.signalsCnt = 0;
}

/** klp_force_transition(): every pending task takes the target; patches going away are pinned. */
export function forceTransition(lp: Livepatch): void {
  const patch = lp.transitionPatch!;
  lp.pr(LogLevel.Warning, KLP_MSG.forcing);
  const pending = lp.m.tasks.all().filter((t) => lp.m.core.tasks.pending(t.coreId) === 1);
  lp.m.core.tasks.forceTransition();
  for (const t of pending) lp.noteSwitch(t, "force");
  const target = lp.m.core.tasks.targetState();
  lp.m.events.emit({
    kind: "transition",
    patch: patch.name,
    phase: "force",
    target: target as 0 | 1,
  });
  if (target === KLP_UNPATCHED) patch.forced = true;
  else if (patch.replace) for (const p of lp.patches) if (p !== patch) p.forced = true;
}
