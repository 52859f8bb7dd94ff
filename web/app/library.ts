// library.ts: the scenario library as the page loads it. Each file is its own chunk, fetched when
// opened, so the first paint carries only the index (titles and groups), not 49 scenarios.
import {
  DEFAULT_SCENARIO,
  GROUPS,
  LIBRARY,
  type LibraryEntry,
  type LibraryGroup,
} from "../../scenarios/library.ts";

const FILES = import.meta.glob<unknown>(
  [
    "../../scenarios/library/*.json",
    "../../scenarios/selftests/*.json",
    "../../scenarios/selftests-proposed/*.json",
  ],
  { import: "default" },
);

export { DEFAULT_SCENARIO, GROUPS, LIBRARY, type LibraryEntry, type LibraryGroup };

/** The picker's label for group `g`. */
export function groupLabel(g: LibraryGroup): string {
  return g === "library"
    ? "Library"
    : g === "selftests"
      ? "Selftests"
      : "Selftests (proposed series)";
}

/** The parsed JSON of library file `file` (as index.json names it), or null if there is none. */
export async function loadLibraryFile(file: string): Promise<unknown> {
  const load = FILES[`../../scenarios/${file}`];
  return load ? load() : null;
}
