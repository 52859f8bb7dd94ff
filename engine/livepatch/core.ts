// core.ts: the livepatch core (kernel/livepatch/core.c): klp_enable_patch with its checks,
// __klp_enable_patch, __klp_disable_patch, the enabled/force store handlers, freeing, and the
// switch points the rest of the machine reports (return to user space, the idle loop, the v6.16+
// scheduler hook for freezable tasks).
import { EBUSY, EINVAL, ENODEV } from "../../core-wasm/bindings/index.ts";
import type { SwitchReason } from "../events.ts";
import { LogLevel } from "../log.ts";
import type { Machine } from "../machine/machine.ts";
import type { LoadedModule } from "../machine/module.ts";
import type { TimerHandle } from "../machine/scheduler.ts";
import type { Task } from "../machine/task.ts";
import { warnSplat } from "../machine/warn.ts";
import type { PrintkArg } from "../printk.ts";
import type { KlpPatchDef } from "./api.ts";
import { prePatchCallback, preUnpatchCallback } from "./callbacks.ts";
import { freeObjectLoaded, initPatch, objectsFrom } from "./init.ts";
import { moduleComing, moduleGoing } from "./modules.ts";
import { patchObject, unpatchFunc, unpatchObject } from "./patch.ts";
import { KlpShadow } from "./shadow.ts";
import { isPatchCompatible } from "./state.ts";
import {
  isPatchCompatibleProposed,
  patchDisableBlocked,
  statesPrePatch,
  statesPreUnpatch,
  statesPreUnpatchReplaced,
} from "./states.ts";
import { patchDir, removeFuncDir, removeObjectDir } from "./sysfs.ts";
import {
  cancelTransition,
  forceTransition,
  initTransition,
  reverseTransition,
  startTransition,
  tryCompleteTransition,
} from "./transition.ts";
import { type KlpPatch, objectLoaded, objName } from "./types.ts";
import { KLP_MSG } from "./messages.ts";

export class Livepatch {
  /** klp_patches, oldest first. */
  readonly patches: KlpPatch[] = [];
  transitionPatch: KlpPatch | null = null;
  signalsCnt = 0;
  /** x86-64 per-ops trampolines by patched function id. */
  readonly tramps = new Map<number, number>();
  readonly shadow: KlpShadow;
  private work: TimerHandle | null = null;
  private nextId = 1;
  private readonly warned = new Set<string>();
  /** klp_states_pre_unpatch_replaced_called: one flag for the whole livepatch core (states.ts). */
  statesPreUnpatchReplacedCalled = false;

  constructor(readonly m: Machine) {
    this.shadow = new KlpShadow(m);
  }

  /** The machine runs the proposed states series (pmladek) rather than mainline. */
  get proposed(): boolean {
    return this.m.semantics === "proposed";
  }

  /** pr_<level> with pr_fmt "livepatch: ". */
  pr(level: LogLevel, fmt: string, ...args: PrintkArg[]): void {
    this.m.pr(level, "livepatch: ", fmt, ...args);
  }

  notice(fmt: string, ...args: PrintkArg[]): void {
    this.pr(LogLevel.Notice, fmt, ...args);
  }

  /** pr_debug: printed when dynamic debug is on for kernel/livepatch (the default here). */
  debug(fmt: string, ...args: PrintkArg[]): void {
    if (this.m.debug) this.pr(LogLevel.Debug, fmt, ...args);
  }

  /** WARN_ON(): a splat naming the function and its source file; the machine carries on. */
  warnOn(what: string, file = "kernel/livepatch/core.c"): void {
    warnSplat(this.m, { file, line: 1, func: what.split(":")[0] ?? what }, "");
  }

  /** WARN_ON_ONCE() at `func` (in `file`). */
  warnOnce(func: string, message: string, file = "kernel/livepatch/transition.c"): void {
    if (this.warned.has(func)) return;
    this.warned.add(func);
    warnSplat(this.m, { file, line: 1, func }, message);
  }

  /** klp_enable_patch() from the module's init. @returns 0 or -errno. */
  enablePatch(mod: LoadedModule, def: KlpPatchDef): number {
    if (!def || !def.objs) return -EINVAL;
    if (def.objs.some((o) => o.funcs === null)) return -EINVAL;
    if (!mod.def.livepatch) {
      this.pr(LogLevel.Err, KLP_MSG.notLivepatchModule, mod.name);
      return -EINVAL;
    }
    const compatible = this.proposed
      ? isPatchCompatibleProposed(this, def)
      : isPatchCompatible(this, def);
    if (!compatible) {
      this.pr(LogLevel.Err, KLP_MSG.notCompatible, mod.name);
      return -EINVAL;
    }
    if (!this.m.modules.get_(mod)) return -ENODEV;
    const patch: KlpPatch = {
      id: this.nextId++,
      name: mod.name,
      mod,
      objs: objectsFrom(def, this.proposed),
      states: [...(def.states ?? [])],
      replace: def.replace ?? false,
      enabled: false,
      forced: false,
    };
    let rc = initPatch(this, patch);
    if (rc === 0) rc = this.enable(patch);
    if (rc !== 0) {
      this.freeStart(patch);
      this.m.vfs.remove(patchDir(patch));
      this.m.modules.put(mod);
    }
    return rc;
  }

  /**
   * __klp_enable_patch. Proposed: the states' pre_patch (and, for a replace, the replaced
   * patches' pre_unpatch) run once, right after klp_init_transition and before any object is
   * patched; a failure goes straight to the error path without a line of its own.
   */
  private enable(patch: KlpPatch): number {
    if (this.transitionPatch) return -EBUSY;
    if (patch.enabled) {
      this.warnOn("__klp_enable_patch");
      return -EINVAL;
    }
    this.notice(KLP_MSG.enablingPatch, patch.name);
    initTransition(this, patch, 1);
    let ret = this.proposed ? statesPrePatch(this, patch) : 0;
    if (!ret && this.proposed && patch.replace) statesPreUnpatchReplaced(this, patch);
    for (const obj of ret ? [] : patch.objs) {
      if (!objectLoaded(obj)) continue;
      ret = prePatchCallback(this, patch, obj);
      if (ret) {
        this.pr(LogLevel.Warning, KLP_MSG.prePatchFailed, objName(obj));
        break;
      }
      ret = patchObject(this, obj);
      if (ret) {
        this.pr(LogLevel.Warning, KLP_MSG.patchObjectFailed, objName(obj));
        break;
      }
    }
    if (ret) {
      this.pr(LogLevel.Warning, KLP_MSG.enablePatchFailed, patch.name);
      cancelTransition(this);
      return ret;
    }
    startTransition(this);
    patch.enabled = true;
    tryCompleteTransition(this);
    return 0;
  }

  /** __klp_disable_patch; proposed: klp_states_pre_unpatch before the per-object loop. */
  private disable(patch: KlpPatch): number {
    if (!patch.enabled) {
      this.warnOn("__klp_disable_patch");
      return -EINVAL;
    }
    if (this.transitionPatch) return -EBUSY;
    initTransition(this, patch, 0);
    if (this.proposed) statesPreUnpatch(this, patch);
    for (const obj of patch.objs) if (obj.patched) preUnpatchCallback(this, patch, obj);
    startTransition(this);
    patch.enabled = false;
    tryCompleteTransition(this);
    return 0;
  }

  /**
   * enabled_store(). Proposed: an enabled patch with a block_disable state refuses, which also
   * refuses reversing its own patching transition. @returns 0 or -errno.
   */
  enabledStore(patch: KlpPatch, enabled: boolean): number {
    if (patch.enabled === enabled) return -EINVAL;
    if (this.proposed && patch.enabled && patchDisableBlocked(patch)) {
      this.pr(LogLevel.Err, KLP_MSG.disableBlocked, patch.name);
      return -EINVAL;
    }
    if (patch === this.transitionPatch) {
      reverseTransition(this);
      return 0;
    }
    return enabled ? -EINVAL : this.disable(patch);
  }

  /** force_store(). @returns 0 or -errno. */
  forceStore(patch: KlpPatch, force: boolean): number {
    if (!force) return 0;
    if (patch !== this.transitionPatch) return -EINVAL;
    forceTransition(this);
    return 0;
  }

  /** Queues klp_transition_work after round_jiffies_relative(HZ), unless already queued. */
  scheduleRetry(): void {
    if (this.work) return;
    const c = this.m.clock;
    const at = c.nsAtJiffies(c.jiffies() + c.roundJiffiesRelative(c.hz, 0));
    this.work = this.m.sched.at(at, () => {
      this.work = null;
      // klp_transition_work runs in a kworker (current for WARNs and the check of itself).
      const prev = this.m.current;
      this.m.current = this.m.tasks.all().find((t) => t.comm === "kworker/0:0") ?? prev;
      try {
        if (this.transitionPatch) tryCompleteTransition(this);
      } finally {
        this.m.current = prev;
      }
    });
  }

  /** klp_free_patch_start: off klp_patches, objects freed (their sysfs goes). */
  private freeStart(patch: KlpPatch): void {
    const i = this.patches.indexOf(patch);
    if (i >= 0) this.patches.splice(i, 1);
    for (const obj of patch.objs) {
      unpatchObject(this, obj);
      freeObjectLoaded(this, obj);
    }
  }

  /** klp_free_patch_async: the patch dir goes and the module reference drops (unless forced). */
  freePatchAsync(patch: KlpPatch): void {
    this.freeStart(patch);
    this.m.sched.after(0, () => {
      this.m.vfs.remove(patchDir(patch));
      if (!patch.forced) this.m.modules.put(patch.mod);
    });
  }

  /** klp_discard_nops: nops and dynamic objects of `patch` are popped and freed. */
  discardNops(patch: KlpPatch): void {
    for (const obj of [...patch.objs]) {
      for (const f of obj.funcs.filter((x) => x.nop)) {
        unpatchFunc(this, f);
        if (f.entry >= 0) this.m.core.ops.freeFunc(f.entry);
        removeFuncDir(this, patch, obj, f);
      }
      obj.funcs = obj.funcs.filter((x) => !x.nop);
      if (obj.dynamic) {
        obj.patched = false;
        removeObjectDir(this, patch, obj);
        patch.objs.splice(patch.objs.indexOf(obj), 1);
      }
    }
  }

  /** A task switched its patch_state. */
  noteSwitch(t: Task, reason: SwitchReason): void {
    const state = this.m.core.tasks.patchState(t.coreId);
    this.m.events.emit({ kind: "task-switch", pid: t.pid, comm: t.comm, state, reason });
  }

  /** do_idle(): the idle task passes klp_update_patch_state at the end of an iteration. */
  idleSwitch(t: Task): void {
    if (this.m.core.tasks.updatePatchState(t.coreId) === 1) this.noteSwitch(t, "idle");
  }

  /** __klp_sched_try_switch() (v6.16+): a freezable task checks its own stack as it sleeps. */
  schedTrySwitch(t: Task): void {
    const patch = this.transitionPatch;
    if (!patch || this.m.core.tasks.pending(t.coreId) !== 1) return;
    if (this.m.core.tasks.trySwitchCurrent(t.coreId, patch.id) === 0)
      this.noteSwitch(t, "sched-hook");
  }

  moduleComing(mod: LoadedModule): number {
    return moduleComing(this, mod);
  }

  moduleGoing(mod: LoadedModule): void {
    moduleGoing(this, mod);
  }
}
