// sandboxed.ts: the built-in modules written as module source (one tree's sources, tree-sources.ts)
// as the repository hands them to insmod, modprobe and modinfo: each lookup evaluates the source in
// a fresh sandbox (a module instance keeps private state), except that an instance nobody has
// loaded yet is handed out again, since modinfo and an insmod that fails early only look at it.
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef, SpareModule } from "../engine/machine/module.ts";
import { LogLevel } from "../engine/log.ts";
import { sandboxedModule } from "../engine/sandbox/moduleLoader.ts";
import { describeSandboxError } from "../engine/sandbox/oops.ts";

/** Per module: the instance evaluated but not loaded (yet), kept on the machine's loader. */
function spareOf(m: Machine, name: string): SpareModule | undefined {
  const s = m.modules.spares.get(name);
  // Loaded (or done with): a later lookup needs a new instance.
  if (!s || s.released || m.modules.get(name)?.def === s.def) return undefined;
  return s;
}

/** A fresh instance of built-in `name` of `sources` for machine `m`; undefined for none. */
function instantiate(
  m: Machine,
  name: string,
  sources: ReadonlyMap<string, string>,
): ModuleDef | undefined {
  const src = sources.get(name);
  if (src === undefined) return undefined;
  const r = sandboxedModule(m, name, src);
  if (!r.ok) {
    // A built-in that does not load is a bug of its source; say so and treat it as missing.
    m.printk(LogLevel.Err, `${name}: ${describeSandboxError(r.error)}`);
    return undefined;
  }
  const spare: SpareModule = { def: r.value, released: false };
  const release = r.value.release;
  spare.def = {
    ...r.value,
    release: () => {
      spare.released = true;
      release?.();
    },
  };
  m.modules.spares.set(name, spare);
  return spare.def;
}

/**
 * The definition of built-in module `name` of `sources` (the machine's tree: a machine keeps one
 * semantics, so its spares are of that tree) for machine `m`.
 */
export function sandboxedBuiltin(
  name: string,
  m: Machine,
  sources: ReadonlyMap<string, string>,
): ModuleDef | undefined {
  return spareOf(m, name)?.def ?? instantiate(m, name, sources);
}
