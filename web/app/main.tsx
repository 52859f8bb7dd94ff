// main.tsx: the workbench page. It paints at once, then fetches the core, starts the engine in a
// Web Worker (in the page only where workers are missing), and opens what the URL asks for: the
// link in its fragment, or else the autosaved working copy (persist.ts), or else the library's
// default scenario. Time moves on animation frames.
import { createRoot } from "react-dom/client";
import wasmUrl from "../../core-wasm/build/core.wasm?url";
import { startEngine } from "../engine/client.ts";
import { App } from "./App.tsx";
import { WorkbenchContext } from "./context.ts";
import { DEFAULT_SCENARIO, loadLibraryFile } from "./library.ts";
import { installKeys } from "./keys.ts";
import { createPersist, type KeyValueStore } from "./persist.ts";
import { PersistContext } from "./persistContext.ts";
import { taskScheduler } from "./schedule.ts";
import { createWorkbench } from "./store.ts";
import { applyTheme, storedTheme } from "./theme.ts";
import "./app.css";

applyTheme(storedTheme());
const wb = createWorkbench({ schedule: taskScheduler() });

installKeys(wb);

/** localStorage, or null where the page gets none (reading the property throws in some modes). */
function pageStorage(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
const persist = createPersist(wb, pageStorage());
// The last change before the page goes away is written at once, not after the delay.
addEventListener("pagehide", () => persist.flush());
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") persist.flush();
});

createRoot(document.getElementById("root")!).render(
  <WorkbenchContext.Provider value={wb}>
    <PersistContext.Provider value={persist}>
      <App />
    </PersistContext.Provider>
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
  await openFirst();
  persist.start(); // only now: what opened first must not overwrite the autosave by itself
}

/**
 * A link in the address opens (the autosave is held and offered back); without one, or when it
 * does not open, the autosave; without that, the default. A bad link leaves its text in the
 * address bar (nothing lost) and says why.
 */
async function openFirst(): Promise<void> {
  const saved = persist.load();
  const hash = location.hash;
  if (hash.length > 1 && (await wb.open({ link: hash }))) {
    if (saved.kind === "ok") persist.hold(saved.save);
    return;
  }
  const linkError = wb.store.getState().openError;
  if (saved.kind === "ok" && (await persist.restore(saved.save))) {
    const title = "This link does not open: your autosaved scenario is open instead.";
    if (linkError) wb.store.setState({ openError: { ...linkError, title } });
    return;
  }
  await openDefault();
  if (linkError) wb.store.setState({ openError: linkError });
}

// A link pasted into the address bar of an open page (only the fragment changes: no reload).
addEventListener("hashchange", () => {
  // The working copy is held and offered back, as at startup.
  if (location.hash.length > 1) void persist.displace(() => wb.open({ link: location.hash }));
});

void start();
