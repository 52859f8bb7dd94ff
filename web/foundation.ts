// foundation.ts: the page `npm start` serves until the workbench lands. It loads the real core
// from its bytes and lists what the core answers; nothing on it is canned.
import { Core } from "../core-wasm/bindings/index.ts";
import wasmUrl from "../core-wasm/build/core.wasm?url";
import { coreChecks } from "./coreChecks.ts";

const status = document.getElementById("status")!;
const list = document.getElementById("checks")!;

function show(line: string): void {
  const li = document.createElement("li");
  li.textContent = line;
  list.append(li);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const module = await WebAssembly.compileStreaming(fetch(wasmUrl));
  const core = await Core.load(module);
  show(`core.wasm compiled and instantiated in ${(performance.now() - t0).toFixed(1)} ms`);
  for (const line of coreChecks(core)) show(line);
  const { sandboxChecks } = await import("./sandboxCheck.ts");
  for (const line of await sandboxChecks()) show(line);
  status.textContent = "The core is answering.";
}

main().catch((e: unknown) => {
  status.textContent = `The core failed to load: ${e instanceof Error ? e.message : String(e)}`;
  status.classList.add("failed");
});
