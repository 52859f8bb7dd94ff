// index.ts: the built-in modules, by name (the repository insmod and modprobe read from), and the
// selftests' user programs. Built-ins are written as module source (modules/src/, run in the
// sandbox: sandboxed.ts); host-side ModuleDefs remain possible for modules that are not.
import type { ModuleRepository, UserProgram } from "../engine/machine/commands.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import { callGetpidProgram } from "./call-getpid.ts";
import { sandboxedBuiltin } from "./sandboxed.ts";
import { BUILTIN_SOURCES } from "./sources.ts";

/**
 * Host-side module factories by module name (a fresh definition per load: modules keep private
 * state), for modules not written as module source.
 */
export const BUILTIN_MODULES: ReadonlyMap<string, () => ModuleDef> = new Map();

/** Every built-in module's name: written as source (BUILTIN_SOURCES) or host-side. */
export const BUILTIN_MODULE_NAMES: ReadonlySet<string> = new Set([
  ...BUILTIN_SOURCES.keys(),
  ...BUILTIN_MODULES.keys(),
]);

/** The repository: `livepatch-sample` and `livepatch_sample` name the same module. */
export const builtinModules: ModuleRepository = (name, m) => {
  const n = name.replace(/-/g, "_");
  return sandboxedBuiltin(n, m) ?? BUILTIN_MODULES.get(n)?.();
};

/** User programs the selftests run. */
export const BUILTIN_PROGRAMS: ReadonlyMap<string, UserProgram> = new Map([
  ["test_klp-call_getpid", callGetpidProgram],
]);
