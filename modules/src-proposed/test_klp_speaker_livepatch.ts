// test_klp_speaker_livepatch (proposed series), also built as test_klp_speaker_livepatch2 (the
// same source under another name) and as the sample livepatch_speaker_fix (the same code for
// livepatch_speaker_mod alone). It patches speaker_welcome() and block_doors_func() of each
// speaker; the parameters `applause` and `applause2` add the states 10 and 11, each is_shadow
// with per-state callbacks keeping an applause text in the shadow variable of that id on the NULL
// object (so that it outlives an atomic replace); the patched greeting prints every applause text
// there is. Mirrors (pmladek/linux)
// tools/testing/selftests/livepatch/test_modules/test_klp_speaker_livepatch.c@c21504b92d6471db18664f4394a97ea60c4e860e,
// test_klp_speaker_livepatch2.c@c21504b92d6471db18664f4394a97ea60c4e860e and
// samples/livepatch/livepatch-speaker-fix.c@66e19f98a45d31ea6143e8853c8419dfbf726861.
import {
  GFP_KERNEL,
  type KlpObject,
  type KlpState,
  type ModuleDescription,
  type ModuleFunction,
  type Sleep,
  THIS_MODULE,
  call_ptr,
  container_of,
  klp_enable_patch,
  klp_shadow_alloc,
  klp_shadow_get,
  module_param,
  pr_err,
  pr_info,
  shadow_read_u8,
  shadow_write_u8,
} from "linux";

const ENOMEM = 12;
const APPLAUSE_NUM = 2;
const APPLAUSE_START_ID = 10;
/** The shadow data's size; snprintf keeps one byte of it for the NUL. */
const APPLAUSE_STR_SIZE = 16;
/** shadow_object: the applause shadow variables hang off the NULL address. */
const shadow_object = 0;

/** struct hall of the speaker (its header): the function pointer block_doors_func calls. */
interface Hall {
  do_block_doors: number;
}

/** The applause text in shadow data `ref` (NUL-terminated). */
function read_applause(ref: number): string {
  let s = "";
  for (let i = 0; i < APPLAUSE_STR_SIZE; i++) {
    const c = shadow_read_u8(ref, i);
    if (!c) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** snprintf(applause, APPLAUSE_STR_SIZE, ...): truncated, NUL-terminated. */
function write_applause(ref: number, text: string): void {
  const t = text.slice(0, APPLAUSE_STR_SIZE - 1);
  for (let i = 0; i < t.length; i++) shadow_write_u8(ref, i, t.charCodeAt(i));
  shadow_write_u8(ref, t.length, 0);
}

function __lp_speaker_welcome(caller_func: string, speaker_id: string, context: string): void {
  let entire_applause = "";
  for (let idx = 0; idx < APPLAUSE_NUM; idx++) {
    const applause = klp_shadow_get(shadow_object, APPLAUSE_START_ID + idx);
    if (applause) entire_applause += read_applause(applause);
  }
  // The buffer holds both texts and the space: its truncation warning cannot trigger.
  if (entire_applause) entire_applause += " ";
  pr_info(
    "%s%s: %sLadies and gentleman, ...%s\n",
    caller_func,
    speaker_id,
    entire_applause,
    context,
  );
}

function lp_speaker_welcome(context: string): number {
  __lp_speaker_welcome("lp_speaker_welcome", "", context);
  return 0;
}

function lp_speaker2_welcome(context: string): number {
  __lp_speaker_welcome("lp_speaker2_welcome", "(2)", context);
  return 0;
}

function state_id_to_idx_str(state_id: number): string {
  const idx = state_id - APPLAUSE_START_ID;
  if (idx < 0 || idx >= APPLAUSE_NUM) {
    pr_err("%s: Applause table index out of scope: %d\n", "state_id_to_idx_str", idx);
    return "";
  }
  return idx === 0 ? "" : String(idx + 1);
}

function allocate_applause(id: number): number {
  // A well-known object, so that it stays when a newer livepatch replaces this one; the
  // allocation fails if the variable exists already.
  const applause = klp_shadow_alloc(shadow_object, id, APPLAUSE_STR_SIZE, GFP_KERNEL);
  if (!applause) {
    pr_err(
      "%s: failed to allocated shadow variable for storing an applause description\n",
      "allocate_applause",
    );
    return -ENOMEM;
  }
  write_applause(applause, `[${state_id_to_idx_str(id)}]`);
  return 0;
}

/** set_applause, unset_applause and check_applause: the variable of `id`, or a complaint. */
function get_applause(fn: string, id: number): number {
  const applause = klp_shadow_get(shadow_object, id);
  if (!applause)
    pr_err("%s: failed to get shadow variable with the applause description: %lu\n", fn, id);
  return applause;
}

function set_applause(id: number): void {
  const applause = get_applause("set_applause", id);
  if (applause) write_applause(applause, `[APPLAUSE${state_id_to_idx_str(id)}]`);
}

function unset_applause(id: number): void {
  const applause = get_applause("unset_applause", id);
  if (applause) write_applause(applause, `[${state_id_to_idx_str(id)}]`);
}

function applause_state(id: number): KlpState {
  return {
    id,
    is_shadow: true,
    callbacks: {
      pre_patch: (_patch, state) => {
        const fn = "applause_pre_patch_callback";
        pr_info("%s: state %lu\n", fn, state.id);
        const pre_patch_ret = Number(module_param("pre_patch_ret"));
        if (pre_patch_ret) {
          pr_err("%s: forcing err: %pe\n", fn, BigInt(pre_patch_ret));
          return pre_patch_ret;
        }
        return allocate_applause(state.id);
      },
      post_patch: (_patch, state) => {
        pr_info("%s: state %lu\n", "applause_post_patch_callback", state.id);
        set_applause(state.id);
      },
      pre_unpatch: (_patch, state) => {
        pr_info("%s: state %lu\n", "applause_pre_unpatch_callback", state.id);
        unset_applause(state.id);
      },
      // Only checks the variable: the core frees it because the state is_shadow.
      post_unpatch: (_patch, state) => {
        pr_info("%s: state %lu (nope)\n", "applause_post_unpatch_callback", state.id);
        get_applause("check_applause", state.id);
      },
      shadow_dtor: (_obj, shadow_data) => {
        const fmt = "%s: freeing applause %s (nope)\n";
        pr_info(fmt, "applause_shadow_dtor", read_applause(shadow_data));
      },
    },
  };
}

function* __lp_block_doors_func(
  work: number,
  caller_func: string,
  speaker_id: string,
): Generator<Sleep, number, number> {
  const hall = container_of<Hall>(work);
  pr_info("%s: Going to block doors%s (fixed).\n", caller_func, speaker_id);
  if (hall) yield call_ptr(hall.do_block_doors);
  return 0;
}

/** Compiled without sibling-call optimisation: it stays on the stack and can block a disable. */
function* lp_block_doors_func(work: number): Generator<Sleep, number, number> {
  return yield* __lp_block_doors_func(work, "lp_block_doors_func", "");
}

function* lp_block_doors_func2(work: number): Generator<Sleep, number, number> {
  return yield* __lp_block_doors_func(work, "lp_block_doors_func2", "(2)");
}

const funcs: ModuleFunction[] = [
  { name: "lp_speaker_welcome", size: 0x80, body: lp_speaker_welcome },
  { name: "lp_block_doors_func", size: 0x40, body: lp_block_doors_func },
];
const objs: KlpObject[] = [
  {
    name: "test_klp_speaker",
    funcs: [
      { old_name: "speaker_welcome", new_func: lp_speaker_welcome },
      { old_name: "block_doors_func", new_func: lp_block_doors_func },
    ],
  },
  {
    name: "test_klp_speaker2",
    funcs: [
      { old_name: "speaker_welcome", new_func: lp_speaker2_welcome },
      { old_name: "block_doors_func", new_func: lp_block_doors_func2 },
    ],
  },
];

/** The sample patches livepatch_speaker_mod alone, with the first speaker's replacements. */
const SAMPLE = THIS_MODULE.name === "livepatch_speaker_fix";
if (SAMPLE) {
  objs.splice(0, 2, { name: "livepatch_speaker_mod", funcs: objs[0]?.funcs ?? [] });
} else {
  funcs.push(
    { name: "lp_speaker2_welcome", size: 0x80, body: lp_speaker2_welcome },
    { name: "lp_block_doors_func2", size: 0x40, body: lp_block_doors_func2 },
  );
}

/** applause_init(): one is_shadow state per enabled applause parameter, in id order. */
function applause_states(): KlpState[] {
  const add_applause = [module_param("applause") === true, module_param("applause2") === true];
  return add_applause.flatMap((on, idx) => (on ? [applause_state(APPLAUSE_START_ID + idx)] : []));
}

export default {
  livepatch: true,
  params: [
    { name: "applause", type: "bool", perm: 0o400, value: false },
    { name: "applause2", type: "bool", perm: 0o400, value: false },
    { name: "pre_patch_ret", type: "int", perm: 0o400, value: 0 },
    { name: "replace", type: "bool", perm: 0o400, value: false },
  ],
  functions: funcs,
  init: () => {
    const states = applause_states();
    return klp_enable_patch({
      objs,
      ...(states.length ? { states } : {}),
      replace: module_param("replace") === true,
    });
  },
} satisfies ModuleDescription;
