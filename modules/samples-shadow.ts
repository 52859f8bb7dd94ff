// samples-shadow.ts: samples/livepatch's shadow variable demo: livepatch-shadow-mod (work that
// allocates a "dummy" every second and leaks a second allocation, and frees expired dummies every
// three seconds), livepatch-shadow-fix1 (keeps the leaked pointer in an SV_LEAK shadow variable
// and frees it with the dummy) and livepatch-shadow-fix2 (also counts dummy_check calls per
// dummy in an SV_COUNTER shadow variable).
import { done, type KCode, type KStep } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleCtx, ModuleDef } from "../engine/machine/module.ts";
import type { Task } from "../engine/machine/task.ts";
import { prInfo } from "./common.ts";

const MOD = "livepatch_shadow_mod";
const ALLOC_PERIOD = 1;
const CLEANUP_PERIOD = 3 * ALLOC_PERIOD;
const EXPIRE_PERIOD = 4 * CLEANUP_PERIOD;
const SV_LEAK = 1;
const SV_COUNTER = 2;

/** struct dummy: its address, the shadow table key of that address, jiffies_expire. */
export interface Dummy {
  addr: bigint;
  key: number;
  expire: number;
}

/** kzalloc(): distinct direct-map addresses per machine (the key is the shadow obj token). */
const slabs = new WeakMap<Machine, number>();
const addrOf = (key: number): bigint => 0xffff_8880_0400_0000n + BigInt(key);
function kzalloc(m: Machine): { addr: bigint; key: number } {
  const n = (slabs.get(m) ?? 0) + 1;
  slabs.set(m, n);
  const key = 0x100000 + n * 0x40;
  return { addr: addrOf(key), key };
}

const msecsToJiffies = (m: Machine, ms: number): number => Math.ceil((ms * m.clock.hz) / 1000);

/** Runs kernel code that does not sleep to its end in the current task. */
function runNow<T>(code: KCode): T {
  let r = code.next();
  while (!r.done) r = code.next();
  return r.value as T;
}

/** A kworker-like kthread running `work` every `periodS` seconds until stopped. */
function periodic(ctx: ModuleCtx, comm: string, periodS: number, work: (t: Task) => KCode) {
  return ctx.kthreadRun(comm, function* (t) {
    const idle: KStep = { sleepNs: periodS * 1e9, interruptible: true, freezable: false };
    for (;;) {
      yield* ctx.m.call(t, ctx.m.fn("schedule_timeout"), idle);
      if (t.shouldStop) return 0;
      yield* work(t);
    }
  });
}

export function livepatchShadowMod(): ModuleDef {
  let dummies: Dummy[] = [];
  let workers: Task[] = [];
  return {
    name: MOD,
    functions: [
      {
        name: "dummy_alloc",
        size: 0x80,
        body: (m) => {
          const d: Dummy = { ...kzalloc(m), expire: 0 };
          d.expire = m.clock.jiffies() + msecsToJiffies(m, 1000 * EXPIRE_PERIOD);
          kzalloc(m); // the leak: allocated and forgotten
          prInfo(m, MOD, "%s: dummy @ %p, expires @ %lx\n", "dummy_alloc", d.addr, d.expire);
          return done(d);
        },
      },
      {
        name: "dummy_free",
        size: 0x40,
        body: (m, _t, arg) => {
          const d = arg as Dummy;
          prInfo(m, MOD, "%s: dummy @ %p, expired = %lx\n", "dummy_free", d.addr, d.expire);
          return done(0);
        },
      },
      {
        name: "dummy_check",
        size: 0x30,
        body: (_m, _t, arg) => {
          const { d, j } = arg as { d: Dummy; j: number };
          return done(j > d.expire);
        },
      },
    ],
    init: (ctx) => {
      const m = ctx.m;
      dummies = [];
      workers = [
        periodic(ctx, "kworker/0:1", ALLOC_PERIOD, function* (t) {
          const d = (yield* ctx.call(t, "dummy_alloc")) as Dummy | null;
          if (d) dummies.unshift(d);
          return 0;
        }),
        periodic(ctx, "kworker/1:1", CLEANUP_PERIOD, function* (t) {
          const j = m.clock.jiffies();
          prInfo(m, MOD, "%s: jiffies = %lx\n", "cleanup_work_func", j);
          for (const d of [...dummies]) {
            if ((yield* ctx.call(t, "dummy_check", { d, j })) === true) {
              dummies = dummies.filter((x) => x !== d);
              yield* ctx.call(t, "dummy_free", d);
            }
          }
          return 0;
        }),
      ];
      return 0;
    },
    exit: (ctx) => {
      for (const w of workers) if (w.state !== "dead") ctx.kthreadStop(w);
      workers = [];
      const t = ctx.m.current;
      if (!t) return;
      for (const d of dummies) runNow(ctx.call(t, "dummy_free", d));
      dummies = [];
    },
  };
}

/** The 8-byte pointer stored in shadow data. */
function put64(m: Machine, ref: number, p: bigint): void {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, p, true);
  m.core.shadow.writeBytes(ref, b);
}
function get64(m: Machine, ref: number): bigint {
  const b = m.core.shadow.readBytes(ref);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

/** The leak destructor of fix1/fix2: frees the saved pointer and says so. */
function leakDtor(m: Machine, mod: string, fn: string) {
  return (obj: number, ref: number): void => {
    prInfo(m, mod, "%s: dummy @ %p, prevented leak @ %p\n", fn, addrOf(obj), get64(m, ref));
  };
}

/** dummy_free with the SV_LEAK fix (and, for fix2, the SV_COUNTER report). */
function fixedFree(mod: string, fnName: string, dtorName: string, counter: boolean) {
  const body = (m: Machine, _t: Task, arg: unknown): KCode => {
    const d = arg as Dummy;
    const sh = m.klp.shadow;
    if (sh.get(d.key, SV_LEAK)) sh.free(d.key, SV_LEAK, leakDtor(m, mod, dtorName));
    else prInfo(m, mod, "%s: dummy @ %p leaked!\n", fnName, d.addr);
    const cnt = counter ? sh.get(d.key, SV_COUNTER) : 0;
    if (cnt) {
      const n = new DataView(m.core.shadow.readBytes(cnt).buffer).getInt32(0, true);
      prInfo(m, mod, "%s: dummy @ %p, check counter = %d\n", fnName, d.addr, n);
      sh.free(d.key, SV_COUNTER);
    }
    return done(0);
  };
  return body;
}

export function livepatchShadowFix1(): ModuleDef {
  const name = "livepatch_shadow_fix1";
  const free = fixedFree(
    name,
    "livepatch_fix1_dummy_free",
    "livepatch_fix1_dummy_leak_dtor",
    false,
  );
  return {
    name,
    livepatch: true,
    functions: [
      {
        name: "livepatch_fix1_dummy_alloc",
        size: 0xa0,
        body: (m) => {
          const d: Dummy = { ...kzalloc(m), expire: 0 };
          d.expire = m.clock.jiffies() + msecsToJiffies(m, 1000 * EXPIRE_PERIOD);
          const leak = kzalloc(m).addr;
          const ref = m.klp.shadow.alloc(d.key, SV_LEAK, 8, (_o, r) => {
            put64(m, r, leak);
            return 0;
          });
          if (!ref) return done(null);
          prInfo(
            m,
            name,
            "%s: dummy @ %p, expires @ %lx\n",
            "livepatch_fix1_dummy_alloc",
            d.addr,
            d.expire,
          );
          return done(d);
        },
      },
      { name: "livepatch_fix1_dummy_free", size: 0x60, body: free },
    ],
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [
          {
            name: MOD,
            funcs: [
              { old_name: "dummy_alloc", new_func: "livepatch_fix1_dummy_alloc" },
              { old_name: "dummy_free", new_func: "livepatch_fix1_dummy_free" },
            ],
          },
        ],
      }),
    exit: (ctx) =>
      ctx.shadow.freeAll(SV_LEAK, leakDtor(ctx.m, name, "livepatch_fix1_dummy_leak_dtor")),
  };
}

export function livepatchShadowFix2(): ModuleDef {
  const name = "livepatch_shadow_fix2";
  const free = fixedFree(name, "livepatch_fix2_dummy_free", "livepatch_fix2_dummy_leak_dtor", true);
  return {
    name,
    livepatch: true,
    functions: [
      {
        name: "livepatch_fix2_dummy_check",
        size: 0x60,
        body: (m, _t, arg) => {
          const { d, j } = arg as { d: Dummy; j: number };
          const ref = m.klp.shadow.getOrAlloc(d.key, SV_COUNTER, 4);
          if (ref) {
            const b = m.core.shadow.readBytes(ref);
            const v = new DataView(b.buffer, b.byteOffset, 4);
            const out = new Uint8Array(4);
            new DataView(out.buffer).setInt32(0, v.getInt32(0, true) + 1, true);
            m.core.shadow.writeBytes(ref, out);
          }
          return done(j > d.expire);
        },
      },
      { name: "livepatch_fix2_dummy_free", size: 0x80, body: free },
    ],
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [
          {
            name: MOD,
            funcs: [
              { old_name: "dummy_check", new_func: "livepatch_fix2_dummy_check" },
              { old_name: "dummy_free", new_func: "livepatch_fix2_dummy_free" },
            ],
          },
        ],
      }),
    exit: (ctx) => ctx.shadow.freeAll(SV_COUNTER),
  };
}
