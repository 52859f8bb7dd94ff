// playground.ts: a fresh machine with every built-in module available and the root shell, the
// selftests' helper library sourced into it (what the CLI and the golden harness start from).
import type { CoreSource } from "../core-wasm/bindings/index.ts";
import { CommandHost, type ModuleRepository } from "../engine/machine/commands.ts";
import { ftraceOf } from "../engine/machine/ftrace.ts";
import { Machine, type Semantics } from "../engine/machine/machine.ts";
import { Shell } from "../engine/shell/exec.ts";
import { BUILTIN_PROGRAMS, builtinModules } from "./index.ts";
import { SELFTEST_LIB } from "./selftest-lib.ts";

export interface PlaygroundOptions {
  core: CoreSource;
  semantics?: Semantics;
  arch?: "x86_64" | "arm64";
  seed?: number;
  /** The modules insmod finds (default: the built-ins). */
  modules?: ModuleRepository;
}

export interface Playground {
  m: Machine;
  sh: Shell;
}

/** Boots the machine, wires the commands and sources the helper library into the shell. */
export async function bootPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const m = await Machine.create({
    core: opts.core,
    ...(opts.semantics ? { semantics: opts.semantics } : {}),
    ...(opts.arch ? { arch: opts.arch } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  ftraceOf(m); // its debugfs files exist from boot
  const host = new CommandHost(m, m.shell, {
    modules: opts.modules ?? builtinModules,
    programs: BUILTIN_PROGRAMS,
  });
  const sh = new Shell(host);
  const r = sh.run(SELFTEST_LIB);
  if (r.status !== 0) throw new Error(`selftest library: ${r.stderr}`);
  return { m, sh };
}
