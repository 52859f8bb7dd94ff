// library-files.ts: the library's files read from disk (Node only: the CLI and the tests).
import { readFileSync } from "node:fs";
import { LIBRARY } from "../scenarios/library.ts";

const DIR = new URL("../scenarios/", import.meta.url);

/** Every library file: its index entry and its text. */
export function libraryFiles(): { file: string; group: string; text: string }[] {
  return LIBRARY.map((e) => ({ ...e, text: readFileSync(new URL(e.file, DIR), "utf8") }));
}
