// views.ts: the session's two read-only views that are not part of the delta: the entry site of a
// patched function (read from the core now: engine/machine/entry-site.ts) and the comparison of
// the session's scenario with itself under another semantics or architecture (engine/compare),
// both run where the engine lives so that the page receives plain values.
import { compareScenario, summarise, type Configuration } from "../compare/index.ts";
import type { EngineEvent } from "../events.ts";
import { entrySiteView, machineSource } from "../machine/entry-site.ts";
import { err, ok, type Result } from "../result.ts";
import { runScenario } from "../scenario/run.ts";
import type { ScenarioSession } from "../scenario/session.ts";
import type { ComparedRuns, ComparedSide, LogLine, SessionAnswer } from "./protocol.ts";
import type { SessionEnv } from "./session.ts";
import type { CoreSource } from "../../core-wasm/bindings/index.ts";

/**
 * Tasks the entry-site view lists (task list order): the view runs the site once per task, and a
 * page listing 100,000 rows would spend seconds building them. The answer says how many there are.
 */
export const SITE_TASKS = 200;

type LogLines = (e: EngineEvent & { kind: "log" }) => LogLine[];

/** The old functions of every loaded patch, in klp_patches order, each once. */
export function patchedFunctions(s: ScenarioSession): { name: string; id: number }[] {
  const seen = new Map<string, number>();
  for (const p of s.m.klp.patches)
    for (const o of p.objs)
      for (const f of o.funcs)
        if (f.oldFunc >= 0 && !seen.has(f.oldName)) seen.set(f.oldName, f.oldFunc);
  return [...seen].map(([name, id]) => ({ name, id }));
}

function byName(s: ScenarioSession, name: string): { name: string; id: number } | undefined {
  for (const [id, n] of s.m.names) if (n === name) return { name, id };
  return undefined;
}

export function entrySite(
  s: ScenarioSession,
  func: string | undefined,
): NonNullable<SessionAnswer["site"]> {
  const fs = patchedFunctions(s);
  // A function no loaded patch has any more (after unpatching) is still shown: by its kallsyms name.
  const f = func === undefined ? fs[0] : (fs.find((x) => x.name === func) ?? byName(s, func));
  const patched = fs.map((x) => x.name);
  if (!f)
    return {
      patched,
      view: func === undefined ? null : err(`${func}: not in kallsyms (no loaded module has it)`),
    };
  const src = machineSource(s.m);
  const view = entrySiteView({ ...src, tasks: src.tasks.slice(0, SITE_TASKS) }, f.id);
  return { patched, view, taskCount: src.tasks.length };
}

export async function compareSession(
  s: ScenarioSession,
  core: CoreSource,
  env: SessionEnv,
  other: Configuration,
  logLines: LogLines,
): Promise<Result<ComparedRuns, string>> {
  const mine: Required<Configuration> = { semantics: s.scenario.semantics, arch: s.scenario.arch };
  const theirs: Required<Configuration> = { ...mine, ...other };
  const r = await compareScenario(s.scenario, mine, theirs, (sc, over) =>
    runScenario(sc, { core, ...env, ...over }),
  );
  if (!r.ok)
    return err(
      `the ${r.error.side === "a" ? "first" : "second"} run stopped: ${r.error.problems.map((p) => p.message).join("; ")}`,
    );
  const side = (run: typeof r.value.a, config: Required<Configuration>): ComparedSide => ({
    config,
    events: [...run.events],
    log: run.events.flatMap((e) => (e.kind === "log" ? logLines(e) : [])),
    steps: run.steps.map((x) => ({ index: x.index, firstSeq: x.firstSeq, status: x.status })),
  });
  return ok({
    a: side(r.value.a, mine),
    b: side(r.value.b, theirs),
    divergences: r.value.divergences,
    summary: summarise(r.value.divergences),
  });
}
