// Random command sequences on the simulated machine (built-in modules loaded, disabled, reversed,
// forced, removed; target modules coming and going mid-transition; virtual time passing), with the
// machine's invariants checked after every step. Fixed seed, printed; KLP_SEED overrides.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SiteState } from "../core-wasm/bindings/index.ts";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import { bootPlayground, type Playground } from "../modules/playground.ts";

const SEED = Number(process.env.KLP_SEED ?? 0x6b6c7031);
console.log(`fast-check seed ${SEED}`);

const PATCHES = ["test_klp_livepatch", "test_klp_atomic_replace", "test_klp_callbacks_demo"];
const TARGETS = ["test_klp_callbacks_mod", "test_klp_callbacks_busy"];
const KLP = "/sys/kernel/livepatch";

const command = fc.oneof(
  fc.constantFrom(...PATCHES).map((p) => `insmod test_modules/${p}.ko`),
  fc.constantFrom(...PATCHES).map((p) => `rmmod ${p}`),
  fc.constantFrom(...PATCHES).map((p) => `echo 0 > ${KLP}/${p}/enabled`),
  fc.constantFrom(...PATCHES).map((p) => `echo 1 > ${KLP}/${p}/enabled`),
  fc.constantFrom(...PATCHES).map((p) => `echo 1 > ${KLP}/${p}/force`),
  fc.constantFrom(...TARGETS).map((t) => `insmod test_modules/${t}.ko`),
  fc.constantFrom(...TARGETS).map((t) => `rmmod ${t}`),
  // A kthread sleeping in a function the patches touch stalls their transitions until released.
  fc.constant("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y"),
  fc.constant("echo N > /sys/module/test_klp_callbacks_busy/parameters/block_transition"),
  fc.constantFrom("sleep 1", "sleep 5", "sleep 16", "cat /proc/cmdline"),
);

/** The machine's invariants; @returns a description of the first one broken, or null. */
function brokenInvariant({ m, sh }: Playground): string | null {
  const dirs = m.vfs.listDir(KLP);
  const patches = typeof dirs === "number" ? [] : dirs;
  const inTransition = patches.filter((p) => sh.run(`cat ${KLP}/${p}/transition`).stdout === "1\n");
  if (inTransition.length > 1) return `two transitions: ${inTransition.join(", ")}`;
  const core = m.core;
  for (const t of m.tasks.all()) {
    if (t.state === "dead") continue;
    const state = core.tasks.patchState(t.coreId);
    const pending = core.tasks.pending(t.coreId);
    if (inTransition.length === 0 && (state !== -1 || pending !== 0)) {
      return `task ${t.pid} has state ${state}/${pending} outside a transition`;
    }
  }
  if (core.text.pokeCount() !== 0) return "an entry-site batch was left half done";
  for (let fn = 0; fn < core.text.funcCount(); fn++) {
    const site = core.text.siteState(fn);
    if (site !== SiteState.nop && site !== SiteState.call) continue;
    const patched = core.ops.depth(fn) > 0;
    if (patched !== (site === SiteState.call)) {
      return `function ${fn}: func_stack depth ${core.ops.depth(fn)} but site state ${site}`;
    }
  }
  return null;
}

/**
 * A patch forced while it was being removed keeps its module reference forever
 * (klp_force_transition() marks it forced; klp_free_patch_finish() then skips module_put()).
 */
function forcedWhileUnpatching(pg: Playground, c: string, status: number, wasEnabled: string) {
  const m = /^echo 1 > \/sys\/kernel\/livepatch\/(\w+)\/force$/.exec(c);
  return m && status === 0 && wasEnabled === "0\n" ? m[1]! : null;
}

async function runScript(commands: string[]): Promise<{ log: string[]; broken: string | null }> {
  const pg = await bootPlayground({ core: await coreBytes() });
  const pinned = new Set<string>();
  for (const c of commands) {
    const target = /livepatch\/(\w+)\/force$/.exec(c)?.[1];
    const wasEnabled = target ? pg.sh.run(`cat ${KLP}/${target}/enabled`).stdout : "";
    const status = pg.sh.run(c).status;
    const forced = forcedWhileUnpatching(pg, c, status, wasEnabled);
    if (forced) pinned.add(forced);
    if (forced) stats.pinned++;
    if (/force$/.test(c) && status === 0) stats.forced++;
    const removed = /^rmmod (\w+)$/.exec(c)?.[1];
    if (removed && pinned.has(removed) && status === 0) {
      return { log: pg.m.log.dmesg(), broken: `${removed} was forced yet unloaded` };
    }
    const broken = brokenInvariant(pg);
    if (broken) return { log: pg.m.log.dmesg(), broken: `after "${c}": ${broken}` };
  }
  return { log: pg.m.log.dmesg(), broken: null };
}

const stats = { forced: 0, pinned: 0 };

describe("the machine under random command sequences", () => {
  it("keeps its invariants after every step, and replays identically", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 40, maxLength: 40 }), async (commands) => {
        const a = await runScript(commands);
        expect(a.broken).toBeNull();
        const b = await runScript(commands);
        expect(b.log).toEqual(a.log);
      }),
      { seed: SEED, numRuns: 200 },
    );
    // The sequences must reach the interesting states, or the property proves little.
    console.log(`forced transitions: ${stats.forced}, of them while unpatching: ${stats.pinned}`);
    expect(stats.forced).toBeGreaterThan(0);
  }, 600_000);
});
