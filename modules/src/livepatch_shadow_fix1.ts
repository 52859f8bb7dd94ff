// livepatch-shadow-fix1: fixes livepatch-shadow-mod's leak: the new dummy_alloc keeps the extra
// allocation's pointer in an SV_LEAK shadow variable of the dummy, the new dummy_free frees it
// with the dummy (and reports the dummies allocated before the fix as leaked). Mirrors
// samples/livepatch/livepatch-shadow-fix1.c@2555693dd85c7a726eed570736bf6e1c4c7116ed.
import {
  GFP_KERNEL,
  type KlpShadowCtor,
  type KlpShadowDtor,
  type ModuleDescription,
  jiffies,
  kaddr,
  kfree,
  klp_enable_patch,
  klp_shadow_alloc,
  klp_shadow_free,
  klp_shadow_free_all,
  klp_shadow_get,
  kzalloc,
  msecs_to_jiffies,
  pr_err,
  pr_info,
  shadow_read_u64,
  shadow_write_u64,
} from "linux";

const EINVAL = 22;
/** Shadow variable id of the leaked pointer. */
const SV_LEAK = 1;
/** As in livepatch-shadow-mod. */
const EXPIRE_PERIOD = 4 * 3;

/** struct dummy of livepatch-shadow-mod, by value. */
interface Dummy {
  obj: number;
  jiffies_expire: number;
}

/** The shadow data holds the leaked allocation (a pointer: 8 bytes). */
const shadow_leak_ctor: KlpShadowCtor<number> = (_obj, shadow_leak, leak) => {
  if (!leak) return -EINVAL;
  shadow_write_u64(shadow_leak, 0, BigInt(leak));
  return 0;
};

function livepatch_fix1_dummy_alloc(): Dummy | null {
  const obj = kzalloc(16, GFP_KERNEL);
  if (!obj) return null;
  const d: Dummy = { obj, jiffies_expire: jiffies() + msecs_to_jiffies(1000 * EXPIRE_PERIOD) };
  // Patch: save the extra memory location into a SV_LEAK shadow variable.
  const leak = kzalloc(4, GFP_KERNEL);
  if (!leak) {
    kfree(obj);
    return null;
  }
  if (!klp_shadow_alloc(d.obj, SV_LEAK, 8, GFP_KERNEL, shadow_leak_ctor, leak)) {
    pr_err(
      "%s: failed to allocate shadow variable for the leaking pointer: dummy @ %p, leak @ %p\n",
      "livepatch_fix1_dummy_alloc",
      kaddr(d.obj),
      kaddr(leak),
    );
    kfree(leak);
    kfree(obj);
    return null;
  }
  pr_info(
    "%s: dummy @ %p, expires @ %lx\n",
    "livepatch_fix1_dummy_alloc",
    kaddr(d.obj),
    d.jiffies_expire,
  );
  return d;
}

const livepatch_fix1_dummy_leak_dtor: KlpShadowDtor = (obj, shadow_leak) => {
  const leak = Number(shadow_read_u64(shadow_leak, 0));
  kfree(leak);
  pr_info(
    "%s: dummy @ %p, prevented leak @ %p\n",
    "livepatch_fix1_dummy_leak_dtor",
    kaddr(obj),
    kaddr(leak),
  );
};

function livepatch_fix1_dummy_free(d: Dummy): number {
  // Patch: free the saved SV_LEAK shadow variable; dummies from before the fix have none.
  if (klp_shadow_get(d.obj, SV_LEAK))
    klp_shadow_free(d.obj, SV_LEAK, livepatch_fix1_dummy_leak_dtor);
  else pr_info("%s: dummy @ %p leaked!\n", "livepatch_fix1_dummy_free", kaddr(d.obj));
  kfree(d.obj);
  return 0;
}

export default {
  livepatch: true,
  functions: [
    { name: "livepatch_fix1_dummy_alloc", size: 0xa0, body: livepatch_fix1_dummy_alloc },
    { name: "livepatch_fix1_dummy_free", size: 0x60, body: livepatch_fix1_dummy_free },
  ],
  init: () =>
    klp_enable_patch({
      objs: [
        {
          name: "livepatch_shadow_mod",
          funcs: [
            { old_name: "dummy_alloc", new_func: livepatch_fix1_dummy_alloc },
            { old_name: "dummy_free", new_func: livepatch_fix1_dummy_free },
          ],
        },
      ],
    }),
  // Cleans up any SV_LEAK shadow variables left.
  exit: () => klp_shadow_free_all(SV_LEAK, livepatch_fix1_dummy_leak_dtor),
} satisfies ModuleDescription;
