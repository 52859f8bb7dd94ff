// library.ts: the scenario library as the page loads it. Each file is its own chunk, fetched when
// opened, so the first paint carries only the index (titles and groups), not 49 scenarios.
import { DEFAULT_SCENARIO, LIBRARY, type LibraryEntry } from "../../scenarios/library.ts";

const FILES = import.meta.glob<unknown>(
  ["../../scenarios/library/*.json", "../../scenarios/selftests/*.json"],
  { import: "default" },
);

export { DEFAULT_SCENARIO, LIBRARY, type LibraryEntry };

/** The parsed JSON of library file `file` (as index.json names it), or null if there is none. */
export async function loadLibraryFile(file: string): Promise<unknown> {
  const load = FILES[`../../scenarios/${file}`];
  return load ? load() : null;
}
