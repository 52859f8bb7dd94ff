// repository.ts: the modules a scenario's insmod and modprobe find: exactly the ones it lists.
// Built-ins come from the host's factories; embedded sources are compiled in the sandbox up front
// (insmod is synchronous, sandbox creation is not), one fresh definition per load the script can
// make, since a module keeps private state between its init and exit.
import type { ModuleRepository } from "../machine/commands.ts";
import type { Machine, Semantics } from "../machine/machine.ts";
import type { ModuleDef } from "../machine/module.ts";
import { err, ok, type Result } from "../result.ts";
import { loadSandboxedModule } from "../sandbox/moduleLoader.ts";
import type { BuiltinTree } from "./run.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import type { Problem } from "../../scenarios/validate.ts";

/** Most definitions prepared for one embedded module (each is one QuickJS runtime). */
const MAX_LOADS = 8;

/** How many times the script may load `name`: each mention may be an insmod. */
function loadsOf(s: Scenario, name: string): number {
  const text = s.script.map((st) => st.run ?? "").join("\n");
  const dashed = name.replace(/_/g, "-");
  const count = (w: string) => text.split(w).length - 1;
  const n = count(name) + (dashed === name ? 0 : count(dashed));
  return Math.min(MAX_LOADS, Math.max(1, n));
}

/**
 * The tree whose source of built-in `name` has hash `sha256`, the scenario's own tree first (a
 * module of one name may differ between the trees); a scenario switched to the other semantics
 * keeps the code it pinned.
 */
function treeOf(
  name: string,
  sha256: string,
  own: Semantics,
  builtins: (semantics: Semantics) => BuiltinTree,
): BuiltinTree | null {
  const order: Semantics[] =
    own === "proposed" ? ["proposed", "mainline"] : ["mainline", "proposed"];
  for (const sem of order) {
    const t = builtins(sem);
    if (t.names.has(name) && t.sha256(name) === sha256) return t;
  }
  return null;
}

export async function scenarioRepository(
  m: Machine,
  s: Scenario,
  builtins: (semantics: Semantics) => BuiltinTree,
): Promise<Result<ModuleRepository, Problem[]>> {
  const factories = new Map<string, () => ModuleDef | undefined>();
  const problems: Problem[] = [];
  for (const [i, spec] of s.modules.entries()) {
    if (spec.kind === "builtin") {
      const name = spec.name;
      const tree = treeOf(name, spec.sha256, s.semantics, builtins);
      if (tree) factories.set(name, () => tree.repository(name, m));
      else
        problems.push({
          path: `modules[${i}].name`,
          message: `no built-in ${name} of that source`,
        });
      continue;
    }
    const pool: ModuleDef[] = [];
    // On the machine, where a checkpoint sees it: a load takes an instance out.
    m.modules.pools.set(spec.name, pool);
    for (let k = loadsOf(s, spec.name); k > 0; k--) {
      const r = await loadSandboxedModule(m, spec.name, spec.source);
      if (!r.ok) {
        problems.push({
          path: `modules[${i}].source`,
          message: `${r.error.fn}: ${r.error.kind}: ${r.error.message}`,
        });
        break;
      }
      pool.push(r.value);
    }
    // Past the prepared loads the module is not found (a clear insmod error, not a reused def).
    factories.set(spec.name, () => pool.shift());
  }
  if (problems.length) return err(problems);
  return ok((name) => factories.get(name.replace(/-/g, "_"))?.());
}
