// livepatch-shadow-mod: a buggy module for the shadow variable demo. A work item allocates a
// "dummy" every second (and leaks a second allocation), another frees the expired dummies every
// three seconds. livepatch-shadow-fix1 and -fix2 replace dummy_alloc, dummy_free and dummy_check.
// Mirrors samples/livepatch/livepatch-shadow-mod.c@0b5eca67bd2d0e6f6d0ccdc316aced0cc4bf2e9f.
import {
  GFP_KERNEL,
  INIT_DELAYED_WORK,
  type ModuleDescription,
  cancel_delayed_work_sync,
  jiffies,
  kaddr,
  kcall,
  kfree,
  kzalloc,
  msecs_to_jiffies,
  pr_info,
  schedule_delayed_work,
} from "linux";

const ALLOC_PERIOD = 1;
const CLEANUP_PERIOD = 3 * ALLOC_PERIOD;
const EXPIRE_PERIOD = 4 * CLEANUP_PERIOD;

/**
 * struct dummy, passed by value between this module and its livepatches: `obj` is its allocation
 * (the shadow variables' object, kaddr(obj) its address).
 */
interface Dummy {
  obj: number;
  jiffies_expire: number;
}

/** dummy_list, newest first (list_add). */
let dummy_list: Dummy[] = [];

function dummy_alloc(): Dummy | null {
  const obj = kzalloc(16, GFP_KERNEL);
  if (!obj) return null;
  const d: Dummy = { obj, jiffies_expire: jiffies() + msecs_to_jiffies(1000 * EXPIRE_PERIOD) };
  // Oops, forgot to save leak!
  kzalloc(4, GFP_KERNEL);
  pr_info("%s: dummy @ %p, expires @ %lx\n", "dummy_alloc", kaddr(d.obj), d.jiffies_expire);
  return d;
}

function dummy_free(d: Dummy): number {
  pr_info("%s: dummy @ %p, expired = %lx\n", "dummy_free", kaddr(d.obj), d.jiffies_expire);
  kfree(d.obj);
  return 0;
}

/** dummy_check(d, jiffies): one argument crosses a call, so both travel together. */
function dummy_check({ d, j }: { d: Dummy; j: number }): boolean {
  // time_after(jiffies, d->jiffies_expire)
  return j > d.jiffies_expire;
}

const alloc_dwork = INIT_DELAYED_WORK(alloc_work_func);
const cleanup_dwork = INIT_DELAYED_WORK(cleanup_work_func);

function alloc_work_func(): number {
  const d = kcall<Dummy | null>(dummy_alloc);
  if (!d) return 0;
  dummy_list.unshift(d);
  schedule_delayed_work(alloc_dwork, msecs_to_jiffies(1000 * ALLOC_PERIOD));
  return 0;
}

function cleanup_work_func(): number {
  const j = jiffies();
  pr_info("%s: jiffies = %lx\n", "cleanup_work_func", j);
  for (const d of [...dummy_list]) {
    // Kick out and free any expired dummies.
    if (kcall<boolean>(dummy_check, { d, j })) {
      dummy_list = dummy_list.filter((x) => x.obj !== d.obj);
      kcall(dummy_free, d);
    }
  }
  schedule_delayed_work(cleanup_dwork, msecs_to_jiffies(1000 * CLEANUP_PERIOD));
  return 0;
}

export default {
  functions: [
    { name: "dummy_alloc", size: 0x80, body: dummy_alloc },
    { name: "dummy_free", size: 0x40, body: dummy_free },
    { name: "dummy_check", size: 0x30, body: dummy_check },
    { name: "alloc_work_func", size: 0x70, body: alloc_work_func },
    { name: "cleanup_work_func", size: 0xa0, body: cleanup_work_func },
  ],
  init: () => {
    schedule_delayed_work(alloc_dwork, msecs_to_jiffies(1000 * ALLOC_PERIOD));
    schedule_delayed_work(cleanup_dwork, msecs_to_jiffies(1000 * CLEANUP_PERIOD));
    return 0;
  },
  exit: () => {
    // Wait for any dummies at work, then clean up the residual ones.
    cancel_delayed_work_sync(alloc_dwork);
    cancel_delayed_work_sync(cleanup_dwork);
    for (const d of dummy_list) kcall(dummy_free, d);
    dummy_list = [];
  },
} satisfies ModuleDescription;
