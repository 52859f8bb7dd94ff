// loadCore.ts: test helper that reads the built core from disk (Node only, tests only).
import { readFile } from "node:fs/promises";
import { Core } from "../bindings/index.ts";

let bytes: Uint8Array | null = null;

/** The built core.wasm bytes (run `npm run build:wasm` first; npm test does). */
export async function coreBytes(): Promise<Uint8Array> {
  bytes ??= new Uint8Array(await readFile(new URL("../build/core.wasm", import.meta.url)));
  return bytes;
}

/** A fresh core instance. */
export async function loadCore(): Promise<Core> {
  return Core.load(await coreBytes());
}
