// args.ts: the command line of `klp-play shell [--semantics mainline|proposed]
// [--arch x86_64|arm64] [--log FILE] [--trace FILE] [FILE|-]`.
import type { Semantics } from "../engine/machine/machine.ts";

export interface ShellArgs {
  semantics: Semantics;
  arch: "x86_64" | "arm64";
  log: string | null;
  /** Where to write the run's Chrome Trace Event file (Perfetto), if anywhere. */
  trace: string | null;
  /** The script file; "-" (the default) reads standard input. */
  script: string;
}

export const USAGE =
  "usage: klp-play shell [--semantics mainline|proposed] [--arch x86_64|arm64] [--log FILE] [--trace FILE] [FILE|-]\n";

/** Parses the arguments after the program name. @returns the options or an error message. */
export function parseArgs(argv: readonly string[]): ShellArgs | string {
  if (argv[0] !== "shell") return USAGE;
  const out: ShellArgs = {
    semantics: "mainline",
    arch: "x86_64",
    log: null,
    trace: null,
    script: "-",
  };
  let script: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? a.split(/=(.*)/s) : [a, null];
    const value = (): string | null => inline ?? argv[++i] ?? null;
    if (flag === "--semantics") {
      const v = value();
      if (v !== "mainline" && v !== "proposed") return `klp-play: bad --semantics: ${v ?? ""}\n`;
      out.semantics = v;
    } else if (flag === "--arch") {
      const v = value();
      if (v !== "x86_64" && v !== "arm64") return `klp-play: bad --arch: ${v ?? ""}\n`;
      out.arch = v;
    } else if (flag === "--log") {
      const v = value();
      if (!v) return "klp-play: --log needs a FILE\n";
      out.log = v;
    } else if (flag === "--trace") {
      const v = value();
      if (!v) return "klp-play: --trace needs a FILE\n";
      out.trace = v;
    } else if (flag === "-h" || flag === "--help") {
      return USAGE;
    } else if (a.startsWith("-") && a !== "-") {
      return `klp-play: unknown option ${a}\n${USAGE}`;
    } else if (script !== null) {
      return `klp-play: one script only\n${USAGE}`;
    } else {
      script = a;
    }
  }
  if (script !== null) out.script = script;
  return out;
}
