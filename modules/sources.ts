// sources.ts: TEMPORARY STAND-IN (scenarios branch). The built-ins are being converted into
// TypeScript source on another branch, which exports this same name and shape (module name -> the
// exact source text); on merge that file replaces this one. Until then each built-in maps to a
// placeholder naming it, so scenario references can be hashed and checked end to end. The
// library's built-in hashes must be refreshed after the merge (`npx tsx scripts/gen-scenarios.ts
// --rehash`), since they hash the text, not the module's behaviour.
import { BUILTIN_MODULES } from "./index.ts";

export const BUILTIN_SOURCES: ReadonlyMap<string, string> = new Map(
  [...BUILTIN_MODULES.keys()].map((name) => [name, `// placeholder source of ${name}\n`]),
);
