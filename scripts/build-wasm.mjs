// Builds core-wasm/build/core.wasm from the AssemblyScript sources with asc's JS API.
// The binary is never committed; every script that needs it builds it first.
import asc from "assemblyscript/asc";

const args = [
  "core-wasm/assembly/index.ts",
  "--config",
  "core-wasm/asconfig.json",
  "--target",
  "release",
];
const { error, stderr } = await asc.main(args, { stdout: process.stdout, stderr: process.stderr });
if (error) {
  console.error(`build-wasm: ${error.message}`);
  console.error(stderr.toString());
  process.exit(1);
}
