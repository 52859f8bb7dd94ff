// run.ts: one run of a request on a fresh machine, the same code in Node and in a Worker: boot,
// evaluate the request's modules in their sandboxes, run the script command by command, and
// answer the kernel log, the events and their hash. The caller supplies the boot (the built-in
// modules live outside the engine, in modules/).
import type { Arch, CoreSource } from "../../core-wasm/bindings/index.ts";
import type { ModuleRepository } from "../machine/commands.ts";
import type { Machine, Semantics } from "../machine/machine.ts";
import type { ModuleDef } from "../machine/module.ts";
import { err, ok, type Result } from "../result.ts";
import { loadSandboxedModule } from "../sandbox/moduleLoader.ts";
import type { Shell } from "../shell/exec.ts";
import { chunks } from "./chunks.ts";
import { runHash } from "./hash.ts";
import type { ModuleSource, RunError, RunOutput, RunRequest } from "./protocol.ts";

export interface BootOptions {
  core: CoreSource;
  semantics: Semantics;
  arch: Arch;
  seed: number;
  /** Modules looked up before the built-ins. */
  modules: ModuleRepository;
}

/** Boots a machine with its shell (modules/playground.ts's bootPlayground is one). */
export type BootFn = (opts: BootOptions) => Promise<{ m: Machine; sh: Shell }>;

/** Evaluates each module's source in its sandbox. @returns the definitions by name. */
async function sandboxed(
  m: Machine,
  sources: readonly ModuleSource[],
): Promise<Result<Map<string, ModuleDef>, RunError>> {
  const defs = new Map<string, ModuleDef>();
  for (const s of sources) {
    const d = await loadSandboxedModule(m, s.name, s.source);
    if (!d.ok) {
      const e = d.error;
      return err({ kind: "module", message: `${e.module}: ${e.fn}: ${e.kind}: ${e.message}` });
    }
    defs.set(s.name, d.value);
  }
  return ok(defs);
}

/** Runs `req` on a fresh machine booted by `boot` from `core`. */
export async function runRequest(
  req: RunRequest,
  core: CoreSource,
  boot: BootFn,
): Promise<Result<RunOutput, RunError>> {
  let defs = new Map<string, ModuleDef>();
  const { m, sh } = await boot({
    core,
    semantics: req.semantics,
    arch: req.arch,
    seed: req.seed,
    modules: (name) => defs.get(name.replace(/-/g, "_")),
  });
  const loaded = await sandboxed(m, req.modules ?? []);
  if (!loaded.ok) return loaded;
  defs = loaded.value;
  let stdout = "";
  let stderr = "";
  let status = 0;
  let ended = false;
  for (const chunk of chunks(req.script)) {
    const r = sh.run(chunk);
    stdout += r.stdout;
    stderr += r.stderr;
    status = r.status;
    ended = r.exited;
    if (ended) break;
  }
  if (!ended) {
    // The script ran off its end: bash runs the EXIT trap then, as `exit` would have.
    const r = sh.close();
    stdout += r.stdout;
    stderr += r.stderr;
    status = r.status;
  }
  const log = m.log.dmesg();
  const events = [...m.events.since(0)];
  const endNs = m.clock.nowNs();
  return ok({ log, events, hash: runHash(log, events), stdout, stderr, status, endNs });
}
