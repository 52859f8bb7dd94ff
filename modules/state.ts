// state.ts: test_klp_state (state 1, version 1) and test_klp_state2/_state3 (state 1, version 2,
// taking over an installed state): atomic-replace patches whose vmlinux callbacks save, raise and
// restore console_loglevel, keeping the saved value in the state's data.
import type { KlpStateDef } from "../engine/livepatch/api.ts";
import type { ModuleCtx, ModuleDef } from "../engine/machine/module.ts";
import { prInfo } from "./common.ts";

const CONSOLE_LOGLEVEL_STATE = 1;
/** CONSOLE_LOGLEVEL_MOTORMOUTH. */
const MOTORMOUTH = 15;

/** console_loglevel of each machine (not modelled by the engine; only these modules touch it). */
const loglevels = new WeakMap<object, number>();

/** console_loglevel (CONSOLE_LOGLEVEL_DEFAULT, 7, until a module changes it). */
export const consoleLoglevel = (m: object): number => loglevels.get(m) ?? 7;
export const setConsoleLoglevel = (m: object, v: number): void => void loglevels.set(m, v);

interface Saved {
  loglevel: number;
}

/** The module's four callbacks; `takeOver` asks for the state in an installed patch first. */
function stateCallbacks(ctx: ModuleCtx, name: string, takeOver: boolean) {
  const m = ctx.m;
  const log = (fn: string, msg: string) => prInfo(m, name, "%s: %s\n", fn, msg);
  const state = (): KlpStateDef | null => ctx.klpGetState(CONSOLE_LOGLEVEL_STATE);
  const prev = (): KlpStateDef | null =>
    takeOver ? ctx.klpGetPrevState(CONSOLE_LOGLEVEL_STATE) : null;
  return {
    pre_patch: () => {
      prInfo(m, name, "%s: vmlinux\n", "pre_patch_callback");
      const s = state();
      if (!s) return -22;
      if (prev()) {
        log("allocate_loglevel_state", "space to store console_loglevel already allocated");
        return 0;
      }
      log("allocate_loglevel_state", "allocating space to store console_loglevel");
      s.data = { loglevel: 0 } satisfies Saved;
      return 0;
    },
    post_patch: () => {
      prInfo(m, name, "%s: vmlinux\n", "post_patch_callback");
      const s = state();
      const p = prev();
      if (!s) return;
      if (p) {
        log("fix_console_loglevel", "taking over the console_loglevel change");
        s.data = p.data;
        return;
      }
      log("fix_console_loglevel", "fixing console_loglevel");
      (s.data as Saved).loglevel = loglevels.get(m) ?? 7;
      loglevels.set(m, MOTORMOUTH);
    },
    pre_unpatch: () => {
      prInfo(m, name, "%s: vmlinux\n", "pre_unpatch_callback");
      const s = state();
      if (!s) return;
      if (prev()) {
        log(
          "restore_console_loglevel",
          "passing the console_loglevel change back to the old livepatch",
        );
        return;
      }
      log("restore_console_loglevel", "restoring console_loglevel");
      loglevels.set(m, (s.data as Saved | undefined)?.loglevel ?? 7);
    },
    post_unpatch: () => {
      prInfo(m, name, "%s: vmlinux\n", "post_unpatch_callback");
      const s = state();
      if (!s) return;
      if (prev()) {
        log("free_loglevel_state", "keeping space to store console_loglevel");
        return;
      }
      log("free_loglevel_state", "freeing space for the stored console_loglevel");
      s.data = undefined;
    },
  };
}

function stateModule(name: string, version: number, takeOver: boolean): ModuleDef {
  return {
    name,
    livepatch: true,
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [{ name: null, funcs: [], callbacks: stateCallbacks(ctx, name, takeOver) }],
        states: [{ id: CONSOLE_LOGLEVEL_STATE, version }],
        replace: true,
      }),
  };
}

/** test_klp_state: state 1 version 1. */
export const testKlpState = (): ModuleDef => stateModule("test_klp_state", 1, false);
/** test_klp_state2: state 1 version 2, takes over an installed state. */
export const testKlpState2 = (): ModuleDef => stateModule("test_klp_state2", 2, true);
/** test_klp_state3: built from test_klp_state2's source. */
export const testKlpState3 = (): ModuleDef => stateModule("test_klp_state3", 2, true);
