// livepatch-shadow-fix2: on top of fix1, counts the dummy_check calls of each dummy in an
// SV_COUNTER shadow variable and reports the count when the dummy is freed (which keeps fix1's
// leak fix). Mirrors samples/livepatch/livepatch-shadow-fix2.c@0b77b97066628deef03a6eac7b29e5c3756f4ab0.
import {
  GFP_NOWAIT,
  type KlpShadowDtor,
  type ModuleDescription,
  kaddr,
  kfree,
  klp_enable_patch,
  klp_shadow_free,
  klp_shadow_free_all,
  klp_shadow_get,
  klp_shadow_get_or_alloc,
  pr_info,
  shadow_read_i32,
  shadow_read_u64,
  shadow_write_i32,
} from "linux";

const SV_LEAK = 1;
const SV_COUNTER = 2;

/** struct dummy of livepatch-shadow-mod, by value. */
interface Dummy {
  obj: number;
  jiffies_expire: number;
}

function livepatch_fix2_dummy_check({ d, j }: { d: Dummy; j: number }): boolean {
  // Patch: in-flight dummies without an SV_COUNTER shadow variable get a new one.
  const shadow_count = klp_shadow_get_or_alloc(d.obj, SV_COUNTER, 4, GFP_NOWAIT, null);
  if (shadow_count) shadow_write_i32(shadow_count, 0, shadow_read_i32(shadow_count, 0) + 1);
  return j > d.jiffies_expire;
}

const livepatch_fix2_dummy_leak_dtor: KlpShadowDtor = (obj, shadow_leak) => {
  const leak = Number(shadow_read_u64(shadow_leak, 0));
  kfree(leak);
  pr_info(
    "%s: dummy @ %p, prevented leak @ %p\n",
    "livepatch_fix2_dummy_leak_dtor",
    kaddr(obj),
    kaddr(leak),
  );
};

function livepatch_fix2_dummy_free(d: Dummy): number {
  // Patch: the memory leak patch of fix1.
  if (klp_shadow_get(d.obj, SV_LEAK))
    klp_shadow_free(d.obj, SV_LEAK, livepatch_fix2_dummy_leak_dtor);
  else pr_info("%s: dummy @ %p leaked!\n", "livepatch_fix2_dummy_free", kaddr(d.obj));
  // Patch: display the final count of dummy_check calls and detach the counter.
  const shadow_count = klp_shadow_get(d.obj, SV_COUNTER);
  if (shadow_count) {
    pr_info(
      "%s: dummy @ %p, check counter = %d\n",
      "livepatch_fix2_dummy_free",
      kaddr(d.obj),
      shadow_read_i32(shadow_count, 0),
    );
    klp_shadow_free(d.obj, SV_COUNTER, null);
  }
  kfree(d.obj);
  return 0;
}

export default {
  livepatch: true,
  functions: [
    { name: "livepatch_fix2_dummy_check", size: 0x60, body: livepatch_fix2_dummy_check },
    { name: "livepatch_fix2_dummy_free", size: 0x80, body: livepatch_fix2_dummy_free },
  ],
  init: () =>
    klp_enable_patch({
      objs: [
        {
          name: "livepatch_shadow_mod",
          funcs: [
            { old_name: "dummy_check", new_func: livepatch_fix2_dummy_check },
            { old_name: "dummy_free", new_func: livepatch_fix2_dummy_free },
          ],
        },
      ],
    }),
  // Cleans up any SV_COUNTER shadow variables left.
  exit: () => klp_shadow_free_all(SV_COUNTER, null),
} satisfies ModuleDescription;
