// chunks.ts: a script split into complete commands (lines gathered until they parse), so that
// the kernel log can be interleaved with each command's output as on a console. A chunk ends
// only where bash would run it: a here-document's body belongs to the command before it.
import { parseScript } from "../shell/parse.ts";

export function* chunks(src: string): Generator<string> {
  let acc = "";
  for (const line of src.split("\n")) {
    acc += `${line}\n`;
    // A here-document still waiting for its delimiter parses (with a warning): not complete yet.
    const r = parseScript(acc);
    // A line ending in an unquoted backslash continues on the next (bash joins them).
    const continued = /(^|[^\\])(\\\\)*\\$/.test(line);
    if (!continued && r.ok && r.value.warnings.length === 0) {
      yield acc;
      acc = "";
    }
  }
  if (acc.trim() !== "") yield acc;
}
