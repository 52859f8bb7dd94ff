// library.ts: the scenario library's index (index.json): every file, its group, and the default
// scenario `npm start` opens. Data only; loading a file is the host's business (fetch, fs).
import index from "./index.json" with { type: "json" };

/** The picker's groups, in the order it shows them. */
export const GROUPS = ["library", "selftests", "selftests (proposed series)"] as const;
export type LibraryGroup = (typeof GROUPS)[number];

export interface LibraryEntry {
  file: string;
  title: string;
  group: LibraryGroup;
}

export const LIBRARY: readonly LibraryEntry[] = index.scenarios as LibraryEntry[];
/** The scenario the workbench opens first: a patch, a transition and callbacks, no input. */
export const DEFAULT_SCENARIO: string = index.default;
