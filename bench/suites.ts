// suites.ts: the benchmark suites, by name. Each takes the core's bytes and returns its metrics.
import { browserSuite } from "./browser.ts";
import { callSuite } from "./call.ts";
import { engineSuite } from "./engine.ts";
import { engineSandboxSuite } from "./engine-sandbox.ts";
import type { Metric } from "./harness.ts";
import { sandboxSuite } from "./sandbox.ts";
import { virtualSuite } from "./virtual.ts";
import { textSuite } from "./text.ts";
import { tasksSuite } from "./tasks.ts";
import { timelineSuite } from "./timeline.ts";
import { shadowSuite } from "./shadow.ts";
import { stepbackSuite } from "./stepback.ts";

export type Suite = (coreBytes: Uint8Array) => Promise<Metric[]>;

export const suites: Record<string, Suite> = {
  call: callSuite,
  engine: engineSuite,
  "engine-sandbox": engineSandboxSuite,
  sandbox: sandboxSuite,
  text: textSuite,
  tasks: tasksSuite,
  shadow: shadowSuite,
  timeline: timelineSuite,
  stepback: stepbackSuite,
  // Last: it builds the workbench and drives Chromium (run.ts's --no-browser leaves it out).
  browser: browserSuite,
};

/**
 * Suites too slow for the default run, run only when named with --only: engine_virtual_s_per_s
 * simulates 30 virtual seconds of thousands of tasks (see bench/virtual.ts for its figures).
 */
export const optionalSuites: Record<string, Suite> = {
  virtual: virtualSuite,
};
