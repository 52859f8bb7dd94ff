// speaker.ts: the proposed series' target modules test_klp_speaker and test_klp_speaker2 (the
// same source built with the speaker id "(2)"), and the sample livepatch-speaker-mod (the same
// code under other names). Mirrors (pmladek/linux)
// tools/testing/selftests/livepatch/test_modules/test_klp_speaker.c@a07cd07e1b1d3b10c83fb0d40729e6637380fa17,
// test_klp_speaker.h@a07cd07e1b1d3b10c83fb0d40729e6637380fa17,
// test_klp_speaker2.c@dd22f30e0fecf413622db43252cc770415c21379 and
// samples/livepatch/livepatch-speaker-mod.c@66e19f98a45d31ea6143e8853c8419dfbf726861.
//
// Reading the `welcome` parameter makes the reading task call speaker_welcome(). Setting
// `block_doors` queues a work item running block_doors_func(), which calls do_block_doors()
// through the hall's function pointer; that one sleeps in 20 ms steps while the doors stay
// blocked, so block_doors_func() stays on the worker's stack and blocks a transition.
import { EBUSY, EINVAL } from "../core-wasm/bindings/index.ts";
import { done, type KCode, msleep } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleCtx, ModuleDef } from "../engine/machine/module.ts";
import type { Task } from "../engine/machine/task.ts";
import { LogLevel } from "../engine/log.ts";
import { prInfo } from "./common.ts";
import { runNow, runWhile } from "./run.ts";

/** struct hall (test_klp_speaker.h): what block_doors_func() reaches through container_of. */
export interface Hall {
  /** hall->do_block_doors: the target module's do_block_doors() by function id. */
  doBlockDoors: number;
}

/** The module's static variables (a fresh set per load, as a module's .data is). */
interface Speaker {
  name: string;
  id: string;
  blockDoors: boolean;
  showOver: boolean;
  started: boolean;
  worker: Task | null;
}

/** speaker_welcome(context): the original greeting. */
function speakerWelcome(s: Speaker) {
  return (m: Machine, _t: Task, arg: unknown): KCode => {
    const context = typeof arg === "string" ? arg : "";
    prInfo(m, s.name, "%s%s: Hello, World!%s\n", "speaker_welcome", s.id, context);
    return done(0);
  };
}

/** A function of the speaker module by name (a direct call within the module). */
function ownFn(m: Machine, s: Speaker, fn: string): number {
  return m.modules.get(s.name)?.symbols.find((x) => x.name === fn)?.id ?? -1;
}

/** do_block_doors(): signals that it started, sleeps while blocked, then greets if unblocked. */
function doBlockDoors(s: Speaker) {
  return function* (m: Machine, t: Task): KCode {
    prInfo(m, s.name, "%s: Started blocking doors.\n", "do_block_doors");
    s.started = true; // complete(&started_blocking_doors)
    while (s.blockDoors && !s.showOver) yield* m.call(t, m.fn("msleep"), msleep(20));
    if (s.blockDoors) return 0;
    prInfo(m, s.name, "%s: Stopped blocking doors.\n", "do_block_doors");
    yield* m.call(t, ownFn(m, s, "speaker_welcome"), " <--- from blocked doors");
    return 0;
  };
}

/** block_doors_func(work): kept on the stack (no sibling-call optimisation). */
function blockDoorsFunc(s: Speaker) {
  return function* (m: Machine, t: Task, arg: unknown): KCode {
    prInfo(m, s.name, "%s: Going to block doors%s.\n", "block_doors_func", s.id);
    yield* m.call(t, (arg as Hall).doBlockDoors);
    return 0;
  };
}

/** welcome_get(): the reading task greets; the read itself returns nothing. */
function welcomeGet(ctx: ModuleCtx): string {
  const t = ctx.m.current ?? ctx.m.shell;
  runNow(ctx.call(t, "speaker_welcome", ""));
  return "";
}

/** flush_work(): runs the machine until the worker has finished its work. */
function flushWork(ctx: ModuleCtx, s: Speaker): void {
  const w = s.worker;
  if (w) runWhile(ctx.m, () => w.state !== "dead");
  s.worker = null;
}

/** schedule_work() of block_doors_func, then wait_for_completion(&started_blocking_doors). */
function startBlocking(ctx: ModuleCtx, s: Speaker): void {
  const hall: Hall = { doBlockDoors: ownFn(ctx.m, s, "do_block_doors") };
  s.started = false;
  s.worker = ctx.kthreadRun("kworker/0:1", (t) => ctx.call(t, "block_doors_func", hall));
  runWhile(ctx.m, () => !s.started);
}

/** block_doors_set(): refuses the value it already has, else starts or stops blocking. */
function blockDoorsSet(s: Speaker, value: number | boolean | string, ctx: ModuleCtx): number {
  const block = value === true;
  if (block === s.blockDoors) {
    const msg = block ? "The doors are already blocked." : "The doors are not being blocked.";
    ctx.pr(LogLevel.Err, "%s: %s\n", "block_doors_set", msg);
    return block ? -EBUSY : -EINVAL;
  }
  s.blockDoors = block;
  if (block) startBlocking(ctx, s);
  else flushWork(ctx, s);
  return 0;
}

/** block_doors_get(): says whether the doors are blocked; the read returns nothing. */
function blockDoorsGet(s: Speaker, ctx: ModuleCtx): string {
  ctx.pr_info(s.blockDoors ? "The doors are blocked.\n" : "The doors are not blocked.\n");
  return "";
}

/**
 * The speaker module built as `name` with speaker id `id` ("" or "(2)"); its init and exit
 * functions are `<fn>_init` and `<fn>_exit`.
 */
function speakerModule(name: string, id: string, fn: string): ModuleDef {
  const s: Speaker = { name, id, blockDoors: false, showOver: false, started: false, worker: null };
  return {
    name,
    params: [
      { name: "welcome", type: "charp", perm: 0o400, value: "", get: welcomeGet },
      {
        name: "block_doors",
        type: "bool",
        perm: 0o600,
        value: false,
        set: (v, ctx) => blockDoorsSet(s, v, ctx),
        get: (ctx) => blockDoorsGet(s, ctx),
      },
    ],
    functions: [
      { name: "speaker_welcome", size: 0x60, body: speakerWelcome(s) },
      { name: "do_block_doors", size: 0x80, body: doBlockDoors(s) },
      { name: "block_doors_func", size: 0x40, body: blockDoorsFunc(s) },
    ],
    init: (ctx) => {
      ctx.pr_info("%s\n", `${fn}_init`);
      return 0;
    },
    exit: (ctx) => {
      ctx.pr_info("%s\n", `${fn}_exit`);
      s.showOver = true;
      flushWork(ctx, s);
    },
  };
}

const SELFTEST = "test_klp_speaker";

/** test_klp_speaker. */
export const testKlpSpeaker = (): ModuleDef => speakerModule(SELFTEST, "", SELFTEST);
/** test_klp_speaker2: the same source with SPEAKER_ID "(2)". */
export const testKlpSpeaker2 = (): ModuleDef => speakerModule(`${SELFTEST}2`, "(2)", SELFTEST);
/** samples/livepatch/livepatch-speaker-mod. */
export const livepatchSpeakerMod = (): ModuleDef =>
  speakerModule("livepatch_speaker_mod", "", "livepatch_speaker_mod");
