// state-proposed.ts: the proposed series' test_klp_state, test_klp_state2 and test_klp_state3,
// all built from one source. Mirrors
// tools/testing/selftests/livepatch/test_modules/test_klp_state.c@663800cffbdf5a2992fa94835f3848dc6f7351bd
// and test_klp_state3.c@663800cffbdf5a2992fa94835f3848dc6f7351bd (pmladek/linux);
// test_klp_state2.c@0f96231673d1be788812d76b7b6dd3391f5e4a43 still defines a version, which
// patch 04/19 removes together with versioning, leaving it the same as test_klp_state3.
//
// An atomic-replace patch without functions; state 1 is_shadow: pre_patch allocates a shadow
// variable on console_loglevel, post_patch saves the level there and raises it, pre_unpatch
// restores it; the core frees the shadow variable (with the dtor) after post_unpatch.
import { ENOMEM } from "../core-wasm/bindings/index.ts";
import type { KlpStateCallbacks, KlpStateDef } from "../engine/livepatch/api.ts";
import { LogLevel } from "../engine/log.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import { prInfo } from "./common.ts";
import { consoleLoglevel, setConsoleLoglevel } from "../engine/sandbox/sysApi.ts";

const CONSOLE_LOGLEVEL_FIX_ID = 1;
/** CONSOLE_LOGLEVEL_MOTORMOUTH. */
const MOTORMOUTH = 15;
/** The shadow variable's object: a stand-in for &console_loglevel (any fixed address). */
const CONSOLE_LOGLEVEL_OBJ = 0x3f_0040;
/** sizeof(int). */
const INT_SIZE = 4;

function readInt(m: Machine, ref: number): number {
  const b = m.core.shadow.readBytes(ref);
  return new DataView(b.buffer, b.byteOffset, INT_SIZE).getInt32(0, true);
}

function writeInt(m: Machine, ref: number, v: number): void {
  const b = new Uint8Array(INT_SIZE);
  new DataView(b.buffer).setInt32(0, v, true);
  m.core.shadow.writeBytes(ref, b);
}

/** The state's callbacks, printing with module `name`'s prefix. */
function loglevelCallbacks(m: Machine, name: string): KlpStateCallbacks {
  const info = (fn: string, msg: string) => prInfo(m, name, "%s: %s\n", fn, msg);
  const say = (fn: string, id: number, tail = "") =>
    prInfo(m, name, `%s: state %lu${tail}\n`, fn, id);
  const shadow = () => m.klp.shadow.get(CONSOLE_LOGLEVEL_OBJ, CONSOLE_LOGLEVEL_FIX_ID);
  return {
    pre_patch: (_p, s) => {
      say("pre_patch_callback", s.id);
      // allocate_loglevel_state(): the shadow variable must not exist yet.
      const fn = "allocate_loglevel_state";
      const ref = m.klp.shadow.alloc(CONSOLE_LOGLEVEL_OBJ, CONSOLE_LOGLEVEL_FIX_ID, INT_SIZE);
      if (!ref) {
        const fmt = "%s: failed to allocate shadow variable for the original loglevel\n";
        m.pr(LogLevel.Err, `${name}: `, fmt, fn);
        return -ENOMEM;
      }
      info(fn, "allocating space to store console_loglevel");
      return 0;
    },
    post_patch: (_p, s) => {
      say("post_patch_callback", s.id);
      const ref = shadow();
      if (!ref) return;
      info("fix_console_loglevel", "fixing console_loglevel");
      writeInt(m, ref, consoleLoglevel(m));
      setConsoleLoglevel(m, MOTORMOUTH);
    },
    pre_unpatch: (_p, s) => {
      say("pre_unpatch_callback", s.id);
      const ref = shadow();
      if (!ref) return;
      info("restore_console_loglevel", "restoring console_loglevel");
      setConsoleLoglevel(m, readInt(m, ref));
    },
    post_unpatch: (_p, s) => say("post_unpatch_callback", s.id, " (nope)"),
    shadow_dtor: () =>
      info("shadow_conosle_loglevel_dtor", "freeing space for the stored console_loglevel"),
  };
}

/** The patch's one state; `state_block_disable` marks it. */
function loglevelState(m: Machine, name: string, blockDisable: boolean): KlpStateDef {
  return {
    id: CONSOLE_LOGLEVEL_FIX_ID,
    is_shadow: true,
    block_disable: blockDisable,
    callbacks: loglevelCallbacks(m, name),
  };
}

function stateModule(name: string): ModuleDef {
  return {
    name,
    livepatch: true,
    params: [
      { name: "state_block_disable", type: "bool", perm: 0o600, value: false },
      { name: "no_state", type: "bool", perm: 0o600, value: false },
    ],
    init: (ctx) => {
      const state = loglevelState(ctx.m, name, ctx.param("state_block_disable") === true);
      return ctx.klpEnablePatch({
        objs: [{ name: null, funcs: [] }],
        ...(ctx.param("no_state") === true ? {} : { states: [state] }),
        replace: true,
      });
    },
  };
}

/** test_klp_state (proposed form). */
export const testKlpStateProposed = (): ModuleDef => stateModule("test_klp_state");
/** test_klp_state2 (proposed form: the same source). */
export const testKlpState2Proposed = (): ModuleDef => stateModule("test_klp_state2");
/** test_klp_state3 (proposed form: the same source). */
export const testKlpState3Proposed = (): ModuleDef => stateModule("test_klp_state3");
