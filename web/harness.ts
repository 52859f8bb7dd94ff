// harness.ts: the engine harness page. It fetches the core's bytes, starts the engine in a Worker
// (`?inprocess` forces the in-process fallback), and runs the form's request there, showing the
// kernel log, the run hash and a Perfetto trace of the run. Ping proves the page stays responsive
// while a run lasts; Stop ends a runaway run.
import wasmUrl from "../core-wasm/build/core.wasm?url";
import type { ModuleSource, RunRequest } from "../engine/host/protocol.ts";
import { toChromeTrace } from "../engine/trace/export.ts";
import { LP_WAIT, STALL_SCRIPT } from "../modules/runs.ts";
import { type EngineClient, type RunResult, startEngine } from "./engine/client.ts";

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $("status");
const runButton = $<HTMLButtonElement>("run");
const stopButton = $<HTMLButtonElement>("stop");

function setStatus(text: string, failed = false): void {
  status.textContent = text;
  status.classList.toggle("failed", failed);
}

/** The form as a request; @returns it or what is wrong with the modules field. */
function request(): RunRequest | string {
  let modules: ModuleSource[];
  try {
    modules = JSON.parse($<HTMLTextAreaElement>("modules").value || "[]") as ModuleSource[];
  } catch (e) {
    return `modules: ${(e as Error).message}`;
  }
  return {
    script: $<HTMLTextAreaElement>("script").value,
    semantics: $<HTMLSelectElement>("semantics").value as RunRequest["semantics"],
    arch: $<HTMLSelectElement>("arch").value as RunRequest["arch"],
    seed: Number($<HTMLInputElement>("seed").value),
    modules,
  };
}

function show(r: RunResult, ms: number): void {
  const trace = $<HTMLAnchorElement>("trace");
  if (!r.ok) {
    setStatus(`Run failed (${r.error.kind}): ${r.error.message}`, true);
    $("hash").textContent = "";
    trace.hidden = true;
    return;
  }
  const v = r.value;
  $("hash").textContent = v.hash;
  $("log").textContent = v.log.join("\n");
  $("stdout").textContent = v.stdout + v.stderr;
  $("timing").textContent =
    `${(v.endNs / 1e9).toFixed(3)} virtual s in ${ms.toFixed(0)} ms; ${v.events.length} events`;
  const json = JSON.stringify(toChromeTrace(v.events, { endNs: v.endNs }));
  URL.revokeObjectURL(trace.href);
  trace.href = URL.createObjectURL(new Blob([json], { type: "application/json" }));
  trace.hidden = false;
  setStatus(`Done: exit status ${v.status}.`);
}

async function run(engine: EngineClient): Promise<void> {
  const req = request();
  if (typeof req === "string") return setStatus(req, true);
  setStatus("Running…");
  runButton.disabled = true;
  stopButton.disabled = engine.mode !== "worker";
  const t0 = performance.now();
  const r = await engine.run(req);
  stopButton.disabled = true;
  runButton.disabled = false;
  show(r, performance.now() - t0);
}

async function main(): Promise<void> {
  $<HTMLTextAreaElement>("script").value = STALL_SCRIPT;
  $<HTMLTextAreaElement>("modules").value = JSON.stringify([LP_WAIT]);
  let pings = 0;
  $("ping").addEventListener("click", () => ($("pings").textContent = String(++pings)));
  const t0 = performance.now();
  const core = await (await fetch(wasmUrl)).arrayBuffer();
  const inProcess = new URLSearchParams(location.search).has("inprocess");
  const started = await startEngine(core, { inProcess });
  if (!started.ok) return setStatus(started.error, true);
  const engine = started.value;
  const bootMs = performance.now() - t0;
  setStatus(`Engine ready (${engine.mode}) in ${bootMs.toFixed(0)} ms.`);
  document.body.dataset.engine = engine.mode;
  $("run-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void run(engine);
  });
  stopButton.addEventListener("click", () => {
    void engine
      .stop()
      .then((r) => setStatus(r.ok ? "Stopped; a fresh engine is ready." : r.error, !r.ok));
  });
  runButton.disabled = false;
}

main().catch((e: unknown) =>
  setStatus(`The harness failed: ${e instanceof Error ? e.message : String(e)}`, true),
);
