// main.tsx: the workbench page. It paints at once, then fetches the core, starts the engine in a
// Web Worker (in the page only where workers are missing), and opens what the URL asks for: the
// link in its fragment, or the library's default scenario. Time moves on animation frames.
import { createRoot } from "react-dom/client";
import wasmUrl from "../../core-wasm/build/core.wasm?url";
import { startEngine } from "../engine/client.ts";
import { App } from "./App.tsx";
import { WorkbenchContext } from "./context.ts";
import { DEFAULT_SCENARIO, loadLibraryFile } from "./library.ts";
import { installKeys } from "./keys.ts";
import { createWorkbench } from "./store.ts";
import { applyTheme, storedTheme } from "./theme.ts";
import "./app.css";

applyTheme(storedTheme());
const wb = createWorkbench({ schedule: (fn) => requestAnimationFrame(() => fn()) });

installKeys(wb);

createRoot(document.getElementById("root")!).render(
  <WorkbenchContext.Provider value={wb}>
    <App />
  </WorkbenchContext.Provider>,
);

function loop(ms: number): void {
  wb.frame(ms);
  requestAnimationFrame(loop);
}
requestAnimationFrame(loop);

/** Opens the default scenario (also after a bad link: the page is never empty). */
async function openDefault(): Promise<void> {
  const json = await loadLibraryFile(DEFAULT_SCENARIO);
  await wb.open({ scenario: json, source: DEFAULT_SCENARIO });
}

async function start(): Promise<void> {
  const inProcess = new URLSearchParams(location.search).has("in-process");
  let core: ArrayBuffer;
  try {
    core = await (await fetch(wasmUrl)).arrayBuffer();
  } catch (e) {
    wb.failed(`the core (core.wasm) did not download: ${(e as Error).message}. Reload the page.`);
    return;
  }
  const started = await startEngine(core, { inProcess });
  if (!started.ok) {
    wb.failed(started.error);
    return;
  }
  wb.connect(started.value, started.value.mode);
  const hash = location.hash;
  // A bad link leaves its text in the address bar (nothing lost) and says why; the default opens.
  if (hash.length > 1 && (await wb.open({ link: hash }))) return;
  const linkError = wb.store.getState().openError;
  await openDefault();
  if (linkError) wb.store.setState({ openError: linkError });
}

// A link pasted into the address bar of an open page (only the fragment changes: no reload).
addEventListener("hashchange", () => {
  if (location.hash.length > 1) void wb.open({ link: location.hash });
});

void start();
