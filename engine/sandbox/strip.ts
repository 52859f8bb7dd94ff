// strip.ts: turns a module's TypeScript into the script the sandbox evaluates. Sucrase removes the
// types and rewrites `import`/`export` into CommonJS form (require/exports), which the sandbox
// provides; nothing else is transformed, so the code QuickJS runs is the code the user wrote.
import { transform } from "sucrase";
import { err, ok, type Result } from "../result.ts";

/**
 * @returns the JavaScript, or a one-line message naming the file, line and column of a syntax error.
 */
export function stripTypes(source: string, file: string): Result<string, string> {
  const key = `${file}\0${source}`;
  const hit = stripped.get(key);
  if (hit !== undefined) return ok(hit);
  const r = transformSource(source, file);
  if (r.ok) stripped.set(key, r.value);
  return r;
}

/**
 * The JavaScript of sources already transformed: a module is loaded again on every insmod, and
 * the transform is the same for the same text (deterministic, so caching it changes nothing).
 */
const stripped = new Map<string, string>();

function transformSource(source: string, file: string): Result<string, string> {
  try {
    const { code } = transform(source, {
      transforms: ["typescript", "imports"],
      disableESTransforms: true,
      filePath: file,
      production: true,
    });
    return ok(code);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return err(`${file}: ${message.split("\n")[0]}`);
  }
}
