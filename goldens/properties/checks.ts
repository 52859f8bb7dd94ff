// checks.ts: the machine's invariants after a step, comparing three views that are kept apart: the
// core (patch_state, TIF_PATCH_PENDING, func_stacks, entry-site bytes, the shadow table), the
// engine (its task table, /proc/<pid>/patch_state, klp_patches) and the event stream replayed by
// EventModel.
import { SiteState } from "../../core-wasm/bindings/index.ts";
import type { Machine } from "../../engine/machine/machine.ts";
import { type EventModel, taskKey } from "./eventModel.ts";
import { siteMismatch, tracerCoverage } from "./sites.ts";

const KLP = "/sys/kernel/livepatch";

function transitions(m: Machine): string | null {
  const dirs = m.vfs.listDir(KLP);
  const patches = typeof dirs === "number" ? [] : dirs;
  const busy = patches.filter((p) => m.vfs.readFile(`${KLP}/${p}/transition`) === "1\n");
  if (busy.length > 1) return `two transitions: ${busy.join(", ")}`;
  const tp = m.klp.transitionPatch;
  if ((tp?.name ?? null) !== (busy[0] ?? null))
    return `transition file says ${busy[0] ?? "none"}, klp_transition_patch is ${tp?.name ?? "none"}`;
  return null;
}

/** Every live task: the core's state and flag equal the event model's and /proc's. */
function tasks(m: Machine, model: EventModel): string | null {
  const { core } = m;
  const live = m.tasks.all().filter((t) => t.state !== "dead");
  if (core.tasks.liveCount() !== live.length)
    return `core has ${core.tasks.liveCount()} live tasks, the engine ${live.length}`;
  if (model.tasks.size !== live.length)
    return `events account for ${model.tasks.size} tasks, the engine has ${live.length}`;
  for (const t of live) {
    const state = core.tasks.patchState(t.coreId);
    const pending = core.tasks.pending(t.coreId) === 1;
    const view = model.tasks.get(taskKey(t.pid, t.comm));
    if (!view) return `task ${t.pid} (${t.comm}) missing from the events`;
    if (view.state !== state || view.pending !== pending)
      return `task ${t.pid} (${t.comm}): core ${state}/${pending}, events ${view.state}/${view.pending}`;
    if (!m.klp.transitionPatch && (state !== -1 || pending))
      return `task ${t.pid} has state ${state}/${pending} outside a transition`;
    if (t.kind === "idle") continue;
    const proc = m.vfs.readFile(`/proc/${t.pid}/patch_state`);
    if (proc !== `${state}\n`)
      return `/proc/${t.pid}/patch_state reads ${String(proc)}, core ${state}`;
  }
  return null;
}

/**
 * klp_ops: each function's func_stack, head first, is the pushed klp_funcs of the patches on
 * klp_patches, newest patch on top; its site is what the ops covering it need: the klp ops when
 * the stack is not empty, the function tracer's when its filter covers the function (sites.ts).
 */
function funcStacks(m: Machine): string | null {
  const { core } = m;
  const want = new Map<number, number[]>();
  for (const p of m.klp.patches)
    for (const obj of p.objs)
      for (const f of obj.funcs) {
        if (f.entry < 0 || f.oldFunc < 0 || core.ops.patched(f.entry) !== 1) continue;
        if (!obj.patched) return `${p.name}: ${f.oldName} pushed though its object is unpatched`;
        if (core.ops.patchOf(f.entry) !== p.id)
          return `${p.name}: entry ${f.entry} of another patch`;
        want.set(f.oldFunc, [f.entry, ...(want.get(f.oldFunc) ?? [])]);
      }
  if (core.text.pokeCount() !== 0) return "an entry-site batch was left half done";
  const traced = tracerCoverage(m);
  for (let fn = 0; fn < core.text.funcCount(); fn++) {
    const site = core.text.siteState(fn);
    if (site !== SiteState.nop && site !== SiteState.call) continue;
    const got = core.ops.stack(fn).join(",");
    const exp = (want.get(fn) ?? []).join(",");
    const name = m.names.get(fn) ?? `fn${fn}`;
    if (got !== exp) return `${name}: func_stack [${got}], the patches say [${exp}]`;
    const bad = siteMismatch(m, fn, { klp: got !== "", tracer: traced(fn) });
    if (bad) return `${name}: ${bad}`;
  }
  return null;
}

/** @returns a description of the first broken invariant, or null. */
export function brokenInvariant(m: Machine, model: EventModel): string | null {
  if (model.violations.length > 0) return model.violations[0]!;
  if (core(m) !== model.shadowLive)
    return `core holds ${core(m)} shadow variables, the events say ${model.shadowLive}`;
  return transitions(m) ?? tasks(m, model) ?? funcStacks(m);
}

function core(m: Machine): number {
  return m.core.shadow.count();
}
