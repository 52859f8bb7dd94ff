// speaker-livepatch.ts: the proposed series' test_klp_speaker_livepatch and
// test_klp_speaker_livepatch2 (the same source under another name), and the sample
// livepatch-speaker-fix (the same code for livepatch-speaker-mod alone). Mirrors (pmladek/linux)
// tools/testing/selftests/livepatch/test_modules/test_klp_speaker_livepatch.c@c21504b92d6471db18664f4394a97ea60c4e860e,
// test_klp_speaker_livepatch2.c@c21504b92d6471db18664f4394a97ea60c4e860e and
// samples/livepatch/livepatch-speaker-fix.c@66e19f98a45d31ea6143e8853c8419dfbf726861.
//
// It patches speaker_welcome() and block_doors_func() in each speaker module. The parameters
// `applause` and `applause2` declare the states 10 and 11, each is_shadow with per-state
// callbacks keeping an applause text in a shadow variable of that id on the NULL object (so it
// survives an atomic replace); the patched greeting prints every existing applause text.
import { ENOMEM } from "../core-wasm/bindings/index.ts";
import type { KlpObjectDef, KlpStateCallbacks, KlpStateDef } from "../engine/livepatch/api.ts";
import { LogLevel } from "../engine/log.ts";
import { done, type KCode } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef, ModuleFuncDef } from "../engine/machine/module.ts";
import type { Task } from "../engine/machine/task.ts";
import { intParam, prInfo } from "./common.ts";
import type { Hall } from "./speaker.ts";

const APPLAUSE_NUM = 2;
const APPLAUSE_START_ID = 10;
/** APPLAUSE_STR_SIZE: the shadow data size; snprintf keeps one byte for the NUL. */
const APPLAUSE_STR_SIZE = 16;
/** shadow_object: the applause shadow variables hang off the NULL address. */
const SHADOW_OBJECT = 0;

/** The applause text stored in shadow data `ref` (NUL-terminated). */
function readApplause(m: Machine, ref: number): string {
  const b = m.core.shadow.readBytes(ref);
  const end = b.indexOf(0);
  return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
}

/** snprintf(applause, APPLAUSE_STR_SIZE, ...): truncated, NUL-terminated. */
function writeApplause(m: Machine, ref: number, text: string): void {
  const b = new Uint8Array(APPLAUSE_STR_SIZE);
  b.set(new TextEncoder().encode(text).subarray(0, APPLAUSE_STR_SIZE - 1));
  m.core.shadow.writeBytes(ref, b);
}

/** __lp_speaker_welcome(): the applause texts of states 10 and 11 that exist, then the greeting. */
function lpWelcome(name: string, fn: string, speakerId: string) {
  return (m: Machine, _t: Task, arg: unknown): KCode => {
    let applause = "";
    for (let idx = 0; idx < APPLAUSE_NUM; idx++) {
      const ref = m.klp.shadow.get(SHADOW_OBJECT, APPLAUSE_START_ID + idx);
      if (ref) applause += readApplause(m, ref);
    }
    // The buffer holds both texts and the space: the truncation warning cannot trigger.
    if (applause) applause += " ";
    const context = typeof arg === "string" ? arg : "";
    prInfo(m, name, "%s%s: %sLadies and gentleman, ...%s\n", fn, speakerId, applause, context);
    return done(0);
  };
}

/** __lp_block_doors_func(): the fixed message, then the target's do_block_doors via the hall. */
function lpBlockDoors(name: string, fn: string, speakerId: string) {
  return function* (m: Machine, t: Task, arg: unknown): KCode {
    prInfo(m, name, "%s: Going to block doors%s (fixed).\n", fn, speakerId);
    yield* m.call(t, (arg as Hall).doBlockDoors);
    return 0;
  };
}

/** state_id_to_idx_str(): "" for state 10, "2" for state 11. */
function idxStr(m: Machine, name: string, id: number): string {
  const idx = id - APPLAUSE_START_ID;
  if (idx < 0 || idx >= APPLAUSE_NUM) {
    const fn = "state_id_to_idx_str";
    m.pr(LogLevel.Err, `${name}: `, "%s: Applause table index out of scope: %d\n", fn, idx);
    return "";
  }
  return idx === 0 ? "" : String(idx + 1);
}

/** The applause shadow variable of state `id`, or 0 with the module's complaint. */
function applauseRef(m: Machine, name: string, fn: string, id: number): number {
  const ref = m.klp.shadow.get(SHADOW_OBJECT, id);
  if (!ref) {
    const fmt = "%s: failed to get shadow variable with the applause description: %lu\n";
    m.pr(LogLevel.Err, `${name}: `, fmt, fn, id);
  }
  return ref;
}

/** allocate_applause(): a new shadow variable holding "[]" or "[2]". @returns 0 or -ENOMEM. */
function allocateApplause(m: Machine, name: string, id: number): number {
  const ref = m.klp.shadow.alloc(SHADOW_OBJECT, id, APPLAUSE_STR_SIZE);
  if (!ref) {
    const fmt = "%s: failed to allocated shadow variable for storing an applause description\n";
    m.pr(LogLevel.Err, `${name}: `, fmt, "allocate_applause");
    return -ENOMEM;
  }
  writeApplause(m, ref, `[${idxStr(m, name, id)}]`);
  return 0;
}

/** Rewrites the applause text of state `id` (set_applause / unset_applause). */
function setApplause(m: Machine, name: string, fn: string, id: number, on: boolean): void {
  const ref = applauseRef(m, name, fn, id);
  if (ref)
    writeApplause(m, ref, on ? `[APPLAUSE${idxStr(m, name, id)}]` : `[${idxStr(m, name, id)}]`);
}

/** The applause state callbacks; pre_patch fails with `prePatchRet` when it is non-zero. */
function applauseCallbacks(m: Machine, name: string, prePatchRet: number): KlpStateCallbacks {
  const say = (fn: string, id: number, tail = "") =>
    prInfo(m, name, `%s: state %lu${tail}\n`, fn, id);
  return {
    pre_patch: (_p, s) => {
      const fn = "applause_pre_patch_callback";
      say(fn, s.id);
      if (prePatchRet) {
        m.pr(LogLevel.Err, `${name}: `, "%s: forcing err: %pe\n", fn, BigInt(prePatchRet));
        return prePatchRet;
      }
      return allocateApplause(m, name, s.id);
    },
    post_patch: (_p, s) => {
      say("applause_post_patch_callback", s.id);
      setApplause(m, name, "set_applause", s.id, true);
    },
    pre_unpatch: (_p, s) => {
      say("applause_pre_unpatch_callback", s.id);
      setApplause(m, name, "unset_applause", s.id, false);
    },
    post_unpatch: (_p, s) => {
      // Only checks the variable: the core frees it because the state is_shadow.
      say("applause_post_unpatch_callback", s.id, " (nope)");
      applauseRef(m, name, "check_applause", s.id);
    },
    shadow_dtor: (_obj, ref) => {
      const fmt = "%s: freeing applause %s (nope)\n";
      prInfo(m, name, fmt, "applause_shadow_dtor", readApplause(m, ref));
    },
  };
}

/** applause_init(): one is_shadow state per enabled applause parameter, in id order. */
function applauseStates(m: Machine, name: string, on: boolean[], ret: number): KlpStateDef[] {
  const states: KlpStateDef[] = [];
  on.forEach((enabled, idx) => {
    if (!enabled) return;
    const callbacks = applauseCallbacks(m, name, ret);
    states.push({ id: APPLAUSE_START_ID + idx, is_shadow: true, callbacks });
  });
  return states;
}

/** One patched speaker module: its object name and the replacements' speaker id and suffix. */
interface Target {
  obj: string;
  /** "" or "(2)", as the replacements print it. */
  id: string;
  /** The replacements are lp_speaker<suffix>_welcome and lp_block_doors_func<suffix>. */
  suffix: string;
}

/** The replacement functions for `t`. */
function replacements(name: string, t: Target): ModuleFuncDef[] {
  const welcome = `lp_speaker${t.suffix}_welcome`;
  const doors = `lp_block_doors_func${t.suffix}`;
  return [
    { name: welcome, size: 0x80, body: lpWelcome(name, welcome, t.id) },
    { name: doors, size: 0x40, body: lpBlockDoors(name, doors, t.id) },
  ];
}

/** The object patching `t`'s two functions. */
function targetObject(t: Target): KlpObjectDef {
  return {
    name: t.obj,
    funcs: [
      { old_name: "speaker_welcome", new_func: `lp_speaker${t.suffix}_welcome` },
      { old_name: "block_doors_func", new_func: `lp_block_doors_func${t.suffix}` },
    ],
  };
}

/** The speaker livepatch built as `name`, patching `targets`. */
function speakerLivepatch(name: string, targets: Target[]): ModuleDef {
  return {
    name,
    livepatch: true,
    params: [
      { name: "applause", type: "bool", perm: 0o400, value: false },
      { name: "applause2", type: "bool", perm: 0o400, value: false },
      { name: "pre_patch_ret", type: "int", perm: 0o400, value: 0 },
      { name: "replace", type: "bool", perm: 0o400, value: false },
    ],
    functions: targets.flatMap((t) => replacements(name, t)),
    init: (ctx) => {
      const on = [ctx.param("applause") === true, ctx.param("applause2") === true];
      const states = applauseStates(ctx.m, name, on, intParam(ctx.param("pre_patch_ret")));
      return ctx.klpEnablePatch({
        objs: targets.map(targetObject),
        ...(states.length ? { states } : {}),
        replace: ctx.param("replace") === true,
      });
    },
  };
}

const SPEAKERS: Target[] = [
  { obj: "test_klp_speaker", id: "", suffix: "" },
  { obj: "test_klp_speaker2", id: "(2)", suffix: "2" },
];

/** test_klp_speaker_livepatch. */
export const testKlpSpeakerLivepatch = (): ModuleDef =>
  speakerLivepatch("test_klp_speaker_livepatch", SPEAKERS);
/** test_klp_speaker_livepatch2: the same source under another name. */
export const testKlpSpeakerLivepatch2 = (): ModuleDef =>
  speakerLivepatch("test_klp_speaker_livepatch2", SPEAKERS);
/** samples/livepatch/livepatch-speaker-fix: livepatch-speaker-mod only. */
export const livepatchSpeakerFix = (): ModuleDef =>
  speakerLivepatch("livepatch_speaker_fix", [{ obj: "livepatch_speaker_mod", id: "", suffix: "" }]);
