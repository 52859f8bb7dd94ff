// scenario-args.ts: the command lines of `klp-play run`, `encode` and `decode`. Options are one
// table: a flag, whether it takes a value, and how it sets the options .
import type { Semantics } from "../engine/machine/machine.ts";

export interface RunArgs {
  cmd: "run";
  input: string;
  semantics: Semantics | null;
  arch: "x86_64" | "arm64" | null;
  json: boolean;
  check: boolean;
  /** --trace FILE: the run as a Chrome Trace Event file for Perfetto. */
  trace: string | null;
}

export interface EncodeArgs {
  cmd: "encode";
  input: string;
  base: string | null;
  atMs: number | null;
  event: number | null;
}

export interface DecodeArgs {
  cmd: "decode";
  input: string;
}

export type ScenarioArgs = RunArgs | EncodeArgs | DecodeArgs;

export const SCENARIO_USAGE = [
  "usage: klp-play run FILE|URL [--semantics mainline|proposed] [--arch x86_64|arm64] [--json] [--check] [--trace FILE]",
  "       klp-play encode FILE [--base URL] [--at MS] [--event N]",
  "       klp-play decode URL",
  "",
].join("\n");

type Setter<A> = (a: A, v: string) => string | null;

interface Opt<A> {
  value: boolean;
  set: Setter<A>;
}

const nat = (v: string): number | null => (/^\d{1,10}$/.test(v) ? Number(v) : null);

const RUN_OPTS: Record<string, Opt<RunArgs>> = {
  "--semantics": {
    value: true,
    set: (a, v) => {
      if (v !== "mainline" && v !== "proposed") return `bad --semantics: ${v}`;
      a.semantics = v;
      return null;
    },
  },
  "--arch": {
    value: true,
    set: (a, v) => {
      if (v !== "x86_64" && v !== "arm64") return `bad --arch: ${v}`;
      a.arch = v;
      return null;
    },
  },
  "--json": { value: false, set: (a) => ((a.json = true), null) },
  "--check": { value: false, set: (a) => ((a.check = true), null) },
  "--trace": { value: true, set: (a, v) => ((a.trace = v), null) },
};

const ENCODE_OPTS: Record<string, Opt<EncodeArgs>> = {
  "--base": { value: true, set: (a, v) => ((a.base = v), null) },
  "--at": {
    value: true,
    set: (a, v) => ((a.atMs = nat(v)), a.atMs === null ? `bad --at: ${v}` : null),
  },
  "--event": {
    value: true,
    set: (a, v) => ((a.event = nat(v)), a.event === null ? `bad --event: ${v}` : null),
  },
};

function parseWith<A extends { input: string }>(
  argv: readonly string[],
  out: A,
  opts: Record<string, Opt<A>>,
): A | string {
  let input: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? a.split(/=(.*)/s) : [a, null];
    const opt = opts[flag!];
    if (opt) {
      const v = opt.value ? (inline ?? argv[++i] ?? null) : "";
      if (v === null) return `klp-play: ${flag} needs a value\n`;
      const e = opt.set(out, v);
      if (e) return `klp-play: ${e}\n`;
    } else if (a === "-h" || a === "--help") {
      return SCENARIO_USAGE;
    } else if (a.startsWith("-") && a !== "-") {
      return `klp-play: unknown option ${a}\n${SCENARIO_USAGE}`;
    } else if (input !== null) {
      return `klp-play: one scenario only\n${SCENARIO_USAGE}`;
    } else {
      input = a;
    }
  }
  if (input === null) return `klp-play: ${argv[0]} needs a scenario FILE or URL\n${SCENARIO_USAGE}`;
  out.input = input;
  return out;
}

/** Parses `run`, `encode` or `decode` arguments. @returns the options or an error message. */
export function parseScenarioArgs(argv: readonly string[]): ScenarioArgs | string {
  switch (argv[0]) {
    case "run":
      return parseWith<RunArgs>(
        argv,
        {
          cmd: "run",
          input: "",
          semantics: null,
          arch: null,
          json: false,
          check: false,
          trace: null,
        },
        RUN_OPTS,
      );
    case "encode":
      return parseWith<EncodeArgs>(
        argv,
        { cmd: "encode", input: "", base: null, atMs: null, event: null },
        ENCODE_OPTS,
      );
    case "decode":
      return parseWith<DecodeArgs>(argv, { cmd: "decode", input: "" }, {});
    default:
      return SCENARIO_USAGE;
  }
}
