#!/usr/bin/env node
// klp-play.mjs: the CLI's loader. Node 20 cannot run TypeScript, so this registers tsx's loader
// and imports the CLI proper; it builds the WebAssembly core first when it is missing (a fresh
// clone after `npm ci`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!existsSync(new URL("../core-wasm/build/core.wasm", import.meta.url))) {
  const r = spawnSync(process.execPath, ["scripts/build-wasm.mjs"], {
    cwd: root,
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
register();
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
