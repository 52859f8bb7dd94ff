// selftests.ts: every runnable case of a golden selftest file (../shared/golden/selftests-*.json)
// as a scenario: the same helper calls the golden harness runs (goldens/steps.ts), one step per
// call, and the golden's expected log under the selftest filter, citing the case's source file at
// its commit. Mainline's cases run under mainline semantics; the proposed series' cases under
// "proposed" with that tree's built-ins, except those its records mark superseded (their script is
// deleted by the series).
import { readFileSync } from "node:fs";
import type { Semantics } from "../../engine/machine/machine.ts";
import { caseScript, type GoldenCase, quote, stepScript } from "../../goldens/steps.ts";
import { builtinRef } from "../../scenarios/builtins.ts";
import { CURRENT_VERSION, FORMAT, type Scenario } from "../../scenarios/schema.ts";

interface Source {
  repo: string;
  commit: string;
}
type Case = GoldenCase & { source: Source; superseded?: string | null };

const golden = (semantics: Semantics): URL =>
  new URL(`../../../shared/golden/selftests-${semantics}.json`, import.meta.url);

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function toScenario(c: Case, semantics: Semantics): Scenario {
  // caseScript is what the golden harness runs; the scenario runs the same lines step by step.
  const steps = c.steps.map(stepScript).filter((l) => l !== "");
  if (["setup_config", `start_test ${quote(c.title)}`, ...steps].join("\n") !== caseScript(c))
    throw new Error(`${c.title}: steps differ from the golden harness's script`);
  const modules = c.modules.map((name) => {
    const ref = builtinRef(name, semantics);
    if (!ref) throw new Error(`${c.title}: no built-in ${name} in the ${semantics} tree`);
    return ref;
  });
  const pidList = c.expected_log.some((l) => l.includes("<PID_LIST>"));
  return {
    format: FORMAT,
    version: CURRENT_VERSION,
    title: `${c.file}: ${c.title}`,
    teaches: `The kernel selftest case "${c.title}" of ${c.file}, step for step: the helper calls of functions.sh and the log its check_result compares.`,
    dramatises: [
      {
        repo: c.source.repo,
        path: `tools/testing/selftests/livepatch/${c.file}`,
        commit: c.source.commit,
      },
    ],
    semantics,
    arch: "x86_64",
    seed: 1,
    machine: { cpus: 2, tasks: [], livepatch_debug: true },
    modules,
    script: [
      { run: "setup_config" },
      { run: `start_test ${quote(c.title)}`, note: c.title },
      ...steps.map((run) => ({ run })),
    ],
    expect: {
      filter: "selftest",
      log: c.expected_log,
      ...(pidList ? { vars: ["PID_LIST"] } : {}),
    },
  };
}

/**
 * The selftest scenarios of the golden file for `semantics` by file name (`<script>--<title>`);
 * cases marked superseded are left out.
 */
export function selftestScenarios(semantics: Semantics = "mainline"): Map<string, Scenario> {
  const cases = JSON.parse(readFileSync(golden(semantics), "utf8")) as Case[];
  const out = new Map<string, Scenario>();
  for (const c of cases) {
    if (c.superseded) continue;
    const name = `${c.file.replace(/\.sh$/, "")}--${slug(c.title)}`;
    if (out.has(name)) throw new Error(`duplicate scenario name ${name}`);
    out.set(name, toScenario(c, semantics));
  }
  return out;
}
