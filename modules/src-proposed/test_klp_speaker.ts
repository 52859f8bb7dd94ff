// test_klp_speaker (proposed series), also built as test_klp_speaker2 (SPEAKER_ID "(2)") and as
// the sample livepatch_speaker_mod (the same code under other names): a virtual speaker whose
// greeting speaker_welcome() a reader of `welcome` triggers, and whose `block_doors` parameter
// queues a work item that sleeps in do_block_doors() (reached through the hall's function
// pointer) while the doors stay blocked, keeping block_doors_func() on the worker's stack so
// that it blocks a transition. Mirrors (pmladek/linux)
// tools/testing/selftests/livepatch/test_modules/test_klp_speaker.c@a07cd07e1b1d3b10c83fb0d40729e6637380fa17,
// test_klp_speaker.h@a07cd07e1b1d3b10c83fb0d40729e6637380fa17,
// test_klp_speaker2.c@dd22f30e0fecf413622db43252cc770415c21379 and
// samples/livepatch/livepatch-speaker-mod.c@66e19f98a45d31ea6143e8853c8419dfbf726861.
import {
  INIT_WORK,
  type ModuleDescription,
  type Sleep,
  THIS_MODULE,
  call_ptr,
  container_of,
  complete,
  flush_work,
  func_ptr,
  init_completion,
  kcall,
  msleep,
  pr_err,
  pr_info,
  reinit_completion,
  schedule_work,
  wait_for_completion,
} from "linux";

const EBUSY = 16;
const EINVAL = 22;
/** test_klp_speaker2.c defines SPEAKER_ID before including this source. */
const SPEAKER_ID = THIS_MODULE.name === "test_klp_speaker2" ? "(2)" : "";
/** The init and exit functions' prefix: the sample has its own, speaker2 keeps the selftest's. */
const FN =
  THIS_MODULE.name === "livepatch_speaker_mod" ? "livepatch_speaker_mod" : "test_klp_speaker";

/** struct hall (test_klp_speaker.h): what block_doors_func() reaches through container_of. */
interface Hall {
  do_block_doors: number;
}

function speaker_welcome(context: string): number {
  pr_info("%s%s: Hello, World!%s\n", "speaker_welcome", SPEAKER_ID, context);
  return 0;
}

// DECLARE_COMPLETION(started_blocking_doors) and the module's static flags.
const started_blocking_doors = init_completion();
let block_doors = false;
let show_over = false;
let block_doors_work = 0;

function* do_block_doors(): Generator<Sleep, number, number> {
  pr_info("%s: Started blocking doors.\n", "do_block_doors");
  complete(started_blocking_doors);
  // Busy-waits until block_doors is cleared or the module goes.
  while (block_doors && !show_over) yield msleep(20);
  if (!block_doors) {
    pr_info("%s: Stopped blocking doors.\n", "do_block_doors");
    // Through the entry site: the process that blocked the transition shows the patched text.
    kcall(speaker_welcome, " <--- from blocked doors");
  }
  return 0;
}

/** Compiled without sibling-call optimisation: it stays on the stack and blocks a transition. */
function* block_doors_func(work: number): Generator<Sleep, number, number> {
  const hall = container_of<Hall>(work);
  pr_info("%s: Going to block doors%s.\n", "block_doors_func", SPEAKER_ID);
  if (hall) yield call_ptr(hall.do_block_doors);
  return 0;
}

/** block_doors_work_init(): INIT_WORK once, from the set hook at load or from init. */
function block_doors_work_init(): void {
  if (block_doors_work) return;
  const hall: Hall = { do_block_doors: func_ptr(do_block_doors) };
  block_doors_work = INIT_WORK(block_doors_func, hall);
}

function block_doors_set(value: number | boolean | string): number {
  const block = value === true;
  if (block === block_doors) {
    if (block) {
      pr_err("%s: The doors are already blocked.\n", "block_doors_set");
      return -EBUSY;
    }
    pr_err("%s: The doors are not being blocked.\n", "block_doors_set");
    return -EINVAL;
  }
  // Set before the work is scheduled, so that it stays blocked.
  block_doors = block;
  if (block) {
    reinit_completion(started_blocking_doors);
    block_doors_work_init();
    schedule_work(block_doors_work);
    // Keeps the messages in order: returns once the work has said it started.
    wait_for_completion(started_blocking_doors);
  } else {
    flush_work(block_doors_work);
  }
  return 0;
}

export default {
  params: [
    // welcome_get(): the reader greets; the file reads empty.
    {
      name: "welcome",
      type: "charp",
      perm: 0o400,
      value: "",
      get: () => void kcall(speaker_welcome, ""),
    },
    {
      name: "block_doors",
      type: "bool",
      perm: 0o600,
      value: false,
      set: block_doors_set,
      get: () => {
        pr_info(block_doors ? "The doors are blocked.\n" : "The doors are not blocked.\n");
      },
    },
  ],
  functions: [
    { name: "speaker_welcome", size: 0x60, body: speaker_welcome },
    { name: "do_block_doors", size: 0x80, body: do_block_doors },
    { name: "block_doors_func", size: 0x40, body: block_doors_func },
  ],
  init: () => {
    pr_info("%s\n", `${FN}_init`);
    block_doors_work_init();
    return 0;
  },
  exit: () => {
    pr_info("%s\n", `${FN}_exit`);
    // Makes sure that do_block_doors() is not running.
    show_over = true;
    flush_work(block_doors_work);
  },
} satisfies ModuleDescription;
