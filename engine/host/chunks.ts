// chunks.ts: a script split into complete commands (lines gathered until they parse), so that
// the kernel log can be interleaved with each command's output as on a console.
import { parseShell } from "../shell/parse.ts";

export function* chunks(src: string): Generator<string> {
  let acc = "";
  for (const line of src.split("\n")) {
    acc += `${line}\n`;
    if (parseShell(acc).ok) {
      yield acc;
      acc = "";
    }
  }
  if (acc.trim() !== "") yield acc;
}
