// main.ts: the CLI. `klp-play shell` runs a script against a fresh machine with every built-in
// module: standard output carries what the commands print; the kernel log, without timestamps,
// goes to the --log file, or is interleaved with the output (before each command's output)
// otherwise; --trace FILE writes the run's events as a Chrome Trace Event file for Perfetto.
// `klp-play run|encode|decode` handle scenarios (scenario.ts).
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { chunks } from "../engine/host/chunks.ts";
import type { Machine } from "../engine/machine/machine.ts";
import { toChromeTrace } from "../engine/trace/index.ts";
import { bootPlayground } from "../modules/playground.ts";
import { parseArgs, type ShellArgs, USAGE } from "./args.ts";
import { parseScenarioArgs, SCENARIO_USAGE } from "./scenario-args.ts";
import { scenarioCommand } from "./scenario.ts";

export { chunks };

function writeTrace(file: string, m: Machine, args: ShellArgs): void {
  const about = { semantics: args.semantics, arch: args.arch, script: args.script };
  const trace = toChromeTrace(m.events.since(0), { endNs: m.clock.nowNs(), about });
  writeFileSync(file, `${JSON.stringify(trace)}\n`);
}

async function coreWasm(): Promise<Uint8Array> {
  return new Uint8Array(readFileSync(new URL("../core-wasm/build/core.wasm", import.meta.url)));
}

/** Runs the script; @returns the shell's exit status. */
export async function runShell(args: ShellArgs, src: string): Promise<number> {
  const { m, sh } = await bootPlayground({
    core: await coreWasm(),
    semantics: args.semantics,
    arch: args.arch,
  });
  if (args.log) writeFileSync(args.log, "");
  let seen = m.log.length;
  let status = 0;
  const flushLog = (): void => {
    const lines = m.log.lines(seen);
    seen = m.log.length;
    if (lines.length === 0) return;
    const text = lines.map((l) => `${l}\n`).join("");
    if (args.log) appendFileSync(args.log, text);
    else process.stdout.write(text);
  };
  flushLog();
  let ended = false;
  for (const chunk of chunks(src)) {
    const r = sh.run(chunk);
    flushLog();
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    status = r.status;
    ended = r.exited;
    if (ended) break;
  }
  if (!ended) {
    // The script ran off its end: bash runs the EXIT trap then, as `exit` would have.
    const r = sh.close();
    flushLog();
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    status = r.status;
  }
  if (args.trace) writeTrace(args.trace, m, args);
  m.dispose(); // the modules' QuickJS runtimes; the CLI may run more in this process (tests)
  return status;
}

const io = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
};

/** The CLI entry: @returns the process exit status. A bug still ends in one line. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    if (argv[0] === "run" || argv[0] === "encode" || argv[0] === "decode") {
      const a = parseScenarioArgs(argv);
      if (typeof a === "string") {
        process.stderr.write(a);
        return 2;
      }
      return await scenarioCommand(a, io);
    }
    if (argv[0] !== "shell") {
      process.stderr.write(USAGE + SCENARIO_USAGE);
      return 2;
    }
    return await shellMain(argv);
  } catch (e) {
    process.stderr.write(`klp-play: internal error: ${(e as Error).message ?? String(e)}\n`);
    return 70;
  }
}

async function shellMain(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(args);
    return 2;
  }
  let src: string;
  try {
    src = readFileSync(args.script === "-" ? 0 : args.script, "utf8");
  } catch (e) {
    process.stderr.write(`klp-play: ${args.script}: ${(e as Error).message}\n`);
    return 1;
  }
  return runShell(args, src);
}
