// run-case.ts: one golden case run as a shell script of helper calls on a fresh machine with the
// given semantics; returns what check_result would compare (the log after the canary, filtered)
// and whether the script died.
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import type { Semantics } from "../engine/machine/machine.ts";
import { bootPlayground } from "../modules/playground.ts";
import { caseScript, type GoldenCase } from "./steps.ts";

export interface CaseRun {
  died: boolean;
  stderr: string;
  log: string[];
}

/** Runs `c`; the getpid loopers' pids in the log read back as <PID_LIST>. */
export async function runCase(c: GoldenCase, semantics: Semantics = "mainline"): Promise<CaseRun> {
  const { sh } = await bootPlayground({ core: await coreBytes(), semantics });
  const r = sh.run(caseScript(c));
  const pids = sh.variable("PID_LIST") ?? "";
  const log = sh
    .run("klp_test_log")
    .stdout.split("\n")
    .filter((l) => l !== "");
  return {
    died: r.exited,
    stderr: r.stderr,
    log: log.map((l) => l.replace(pids || "\u0000", "<PID_LIST>")),
  };
}

/**
 * What a run of `c` leaves to compare with another: the stamped log and every event, in order (the
 * determinism check: the virtual clock and the seeded random source make two runs equal).
 */
export async function stampedRun(
  c: GoldenCase,
  semantics: Semantics = "mainline",
): Promise<{ dmesg: string[]; events: string[] }> {
  const { m, sh } = await bootPlayground({ core: await coreBytes(), semantics });
  const events: string[] = [];
  m.events.subscribe((e) => events.push(JSON.stringify(e)));
  sh.run(caseScript(c));
  return { dmesg: m.log.dmesg(), events };
}
