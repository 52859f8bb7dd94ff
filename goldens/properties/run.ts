// run.ts: runs a command sequence on a fresh playground, checking the invariants after every step,
// and the seed and run counts the property tests share (KLP_SEED, KLP_RUNS override them).
import { coreBytes } from "../../core-wasm/tests/loadCore.ts";
import type { EngineEvent } from "../../engine/events.ts";
import type { ModuleRepository } from "../../engine/machine/commands.ts";
import type { Machine, Semantics } from "../../engine/machine/machine.ts";
import { builtinModules } from "../../modules/index.ts";
import { bootPlayground } from "../../modules/playground.ts";
import { brokenInvariant } from "./checks.ts";
import { EventModel } from "./eventModel.ts";
import { preRetOf, STATE_MODULES, stateModule } from "./stateModules.ts";

export const SEED = Number(process.env.KLP_SEED ?? 0x6b6c7031);
export const RUNS = Number(process.env.KLP_RUNS ?? 200);
export const STEPS = 40;

export type Arch = "x86_64" | "arm64";

export interface Script {
  arch: Arch;
  commands: string[];
}

export interface RunResult {
  log: string[];
  events: readonly EngineEvent[];
  broken: string | null;
  model: EventModel;
}

/**
 * Mainline's built-ins on either machine (the engine's invariants are the subject, not which tree
 * ships a module), plus the state modules of stateModules.ts.
 */
function repository(m: () => Machine): ModuleRepository {
  return (name, mm) => {
    const spec = STATE_MODULES.find((s) => s.name === name);
    return spec ? stateModule(m, spec) : builtinModules(name, mm);
  };
}

/**
 * Runs `script` on a fresh machine; stops at the first broken invariant. `check` false: no
 * invariants, only the log and events (the replay run).
 */
export async function runScript(
  semantics: Semantics,
  script: Script,
  check = true,
): Promise<RunResult> {
  let machine: Machine | null = null;
  const pg = await bootPlayground({
    core: await coreBytes(),
    semantics,
    arch: script.arch,
    modules: repository(() => machine!),
  });
  machine = pg.m;
  const model = new EventModel(pg.m, (patch) => preRetOf(pg.m, patch));
  const done = (broken: string | null): RunResult => ({
    log: pg.m.log.dmesg(),
    events: pg.m.events.since(0),
    broken,
    model,
  });
  const first = brokenInvariant(pg.m, model);
  if (first) return done(`at boot: ${first}`);
  for (const [i, c] of script.commands.entries()) {
    pg.sh.run(c);
    if (!check) continue;
    const broken = brokenInvariant(pg.m, model);
    if (broken) return done(`step ${i} "${c}": ${broken}`);
  }
  return done(null);
}

/** Sums the model's counters over the runs of a property. */
export function addSeen(total: Record<string, number>, model: EventModel): void {
  for (const [k, v] of Object.entries(model.seen)) total[k] = (total[k] ?? 0) + v;
}
