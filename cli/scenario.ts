// scenario.ts: `klp-play run|encode|decode`. A scenario comes from a file (or - for standard
// input) or a link; every failure is one line on standard error, never a stack trace.
import { readFileSync, writeFileSync } from "node:fs";
import { lineDiff } from "../engine/scenario/check.ts";
import type { ScenarioRun } from "../engine/scenario/run.ts";
import { toChromeTrace } from "../engine/trace/index.ts";
import {
  decodeLink,
  describeLinkError,
  encodeLink,
  linkFits,
  MAX_FRAGMENT,
  type Moment,
} from "../scenarios/link.ts";
import { loadScenario } from "../scenarios/load.ts";
import type { Scenario } from "../scenarios/schema.ts";
import { describeError } from "../scenarios/validate.ts";
import { runInNode } from "./node-run.ts";
import type { ScenarioArgs } from "./scenario-args.ts";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Whether `input` names a link rather than a file. */
function isLink(input: string): boolean {
  return /^https?:\/\//.test(input) || input.startsWith("#") || /^s\d+\./.test(input);
}

/** The scenario in a file or a link, or the one-line reason it cannot be had. */
function scenarioOf(input: string): { s: Scenario; moment: Moment } | string {
  if (isLink(input)) {
    const r = decodeLink(input);
    return r.ok
      ? { s: r.value.scenario, moment: r.value.moment }
      : `link: ${describeLinkError(r.error)}`;
  }
  let text: string;
  try {
    text = readFileSync(input === "-" ? 0 : input, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${input}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`;
  }
  const r = loadScenario(text);
  return r.ok ? { s: r.value, moment: {} } : `${input}: ${describeError(r.error).join("; ")}`;
}

/** Runs one command; @returns the exit status. */
export async function scenarioCommand(a: ScenarioArgs, io: Io): Promise<number> {
  const got = scenarioOf(a.input);
  if (typeof got === "string") {
    io.err(`klp-play: ${got}\n`);
    return 1;
  }
  const { s } = got;
  if (a.cmd === "decode") {
    io.out(`${JSON.stringify(s, null, 2)}\n`);
    return 0;
  }
  if (a.cmd === "encode") {
    const moment: Moment = {};
    if (a.atMs !== null) moment.atMs = a.atMs;
    if (a.event !== null) moment.event = a.event;
    const link = encodeLink(s, moment, a.base ?? undefined);
    if (!linkFits(link)) {
      io.err(
        `klp-play: ${a.input}: the link would be ${link.length} characters, more than a link may carry (${MAX_FRAGMENT} after #); share the file instead\n`,
      );
      return 1;
    }
    io.out(`${link}\n`);
    return 0;
  }
  if (a.check && !s.expect) {
    io.err(`klp-play: ${a.input}: --check: the scenario has no expected log\n`);
    return 2;
  }
  const r = await runInNode(s, {
    ...(a.semantics ? { semantics: a.semantics } : {}),
    ...(a.arch ? { arch: a.arch } : {}),
  });
  if (!r.ok) {
    io.err(`klp-play: ${a.input}: ${r.error.map((p) => `${p.path}: ${p.message}`).join("; ")}\n`);
    return 1;
  }
  const run = r.value;
  // What the script's commands wrote to standard error is not the kernel's: it goes to ours,
  // each line marked with its step, so nothing a step said is lost.
  for (const st of run.steps)
    for (const line of st.stderr.split("\n").filter((l) => l !== ""))
      io.err(`klp-play: script[${st.index}]: ${line}\n`);
  if (run.exited) io.err(`klp-play: the script exited at script[${run.steps.at(-1)?.index}]\n`);
  if (a.trace) {
    const about = {
      scenario: s.title,
      semantics: a.semantics ?? s.semantics,
      arch: a.arch ?? s.arch,
      seed: s.seed,
    };
    writeTrace(a.trace, run, about);
  }
  if (a.check) {
    const diff = lineDiff(s.expect!.log, run.compared);
    if (diff.length === 0) {
      io.out(`ok: ${run.compared.length} lines as expected (${s.expect!.filter} log)\n`);
      return 0;
    }
    io.out(`--- expected\n+++ got\n${diff.map((l) => `${l}\n`).join("")}`);
    io.err(`klp-play: ${a.input}: the log differs from the expected log\n`);
    return 1;
  }
  if (a.json) io.out(run.events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  else io.out(run.dmesg.map((l) => `${l}\n`).join(""));
  return 0;
}

/** --trace: the run's events as a Chrome Trace Event file (open it at ui.perfetto.dev). */
function writeTrace(file: string, run: ScenarioRun, about: Record<string, string | number>): void {
  const trace = toChromeTrace(run.events, { endNs: run.events.at(-1)?.tNs ?? 0, about });
  writeFileSync(file, `${JSON.stringify(trace)}\n`);
}
