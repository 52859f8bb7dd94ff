// playground.ts: a fresh machine with its tree's built-in modules available and the root shell, the
// selftests' helper library sourced into it (what the CLI and the golden harness start from).
import type { CoreSource } from "../core-wasm/bindings/index.ts";
import { CommandHost, type ModuleRepository } from "../engine/machine/commands.ts";
import { ftraceOf } from "../engine/machine/ftrace.ts";
import { Machine, type Semantics } from "../engine/machine/machine.ts";
import { loadQuickJS } from "../engine/sandbox/sandbox.ts";
import { Shell } from "../engine/shell/exec.ts";
import { BUILTIN_PROGRAMS, moduleRepository } from "./index.ts";
import { SELFTEST_LIB } from "./selftest-lib.ts";

export interface PlaygroundOptions {
  core: CoreSource;
  semantics?: Semantics;
  arch?: "x86_64" | "arm64";
  seed?: number;
  /** More modules (e.g. sandboxed ones), looked up before the built-ins. */
  modules?: ModuleRepository;
}

export interface Playground {
  m: Machine;
  sh: Shell;
}

/**
 * Boots the machine, wires the commands and sources the helper library into the shell. The
 * QuickJS wasm is instantiated here (once per host), so that insmod of a built-in written as
 * module source can create its sandbox synchronously.
 */
export async function bootPlayground(opts: PlaygroundOptions): Promise<Playground> {
  await loadQuickJS();
  const m = await Machine.create({
    core: opts.core,
    ...(opts.semantics ? { semantics: opts.semantics } : {}),
    ...(opts.arch ? { arch: opts.arch } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  ftraceOf(m); // its debugfs files exist from boot
  // The repository holds the test modules of the tree whose semantics the machine runs, after any
  // extra modules the caller brings (sandboxed user modules).
  const tree = moduleRepository(m.semantics);
  const extra = opts.modules;
  const modules: ModuleRepository = extra ? (n, mm) => extra(n, mm) ?? tree(n, mm) : tree;
  const host = new CommandHost(m, m.shell, { modules, programs: BUILTIN_PROGRAMS });
  const sh = new Shell(host);
  const r = sh.run(SELFTEST_LIB);
  if (r.status !== 0) throw new Error(`selftest library: ${r.stderr}`);
  return { m, sh };
}
