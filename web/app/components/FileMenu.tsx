// FileMenu.tsx: the scenario as files. Export downloads the working copy as a schema-v2 JSON file,
// Import (the button, or a file dropped on the page) opens one through the engine's validator
// (a refusal lists its problems and keeps the open scenario), and the kernel log and the Perfetto
// trace of the session so far come from the engine's whole run. Beside them: the autosave's state
// and, when a link or an import displaced the autosaved working copy, the action that restores it.
import { useEffect, useRef, useState } from "react";
import { useWb, useWorkbench } from "../context.ts";
import { download, fileStem } from "../download.ts";
import { usePersist, usePersistState } from "../persistContext.ts";
import type { Workbench } from "../store.ts";
import type { Persist } from "../persist.ts";

/** Opens a scenario file; a file that is not JSON or not a scenario says why, in words. */
async function importFile(wb: Workbench, persist: Persist, file: File): Promise<void> {
  const title = `${file.name} does not open: the scenario below is unchanged.`;
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch (e) {
    wb.store.setState({ openError: { title, lines: [`not JSON: ${(e as Error).message}`] } });
    return;
  }
  const opened = await persist.displace(() => wb.open({ scenario: json, source: file.name }));
  const refused = wb.store.getState().openError;
  if (!opened && refused) wb.store.setState({ openError: { ...refused, title } });
}

/** The engine's export of the session (log or trace) as a download. @returns why not, or null. */
async function exportRun(wb: Workbench, what: "log" | "trace", stem: string) {
  const r = await wb.query({ op: "export", what });
  if (!r) return "the scenario changed meanwhile; export again";
  if (!r.ok || r.value.exported === undefined)
    return r.ok ? "the engine gave no file" : r.error.message;
  if (what === "log") download(`${stem}.dmesg.txt`, r.value.exported, "text/plain");
  else download(`${stem}.trace.json`, r.value.exported, "application/json");
  return null;
}

/** Files dropped anywhere on the page are imported (the first one). */
function useDropImport(onFile: (f: File) => void): void {
  useEffect(() => {
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") ?? false;
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault(); // allows the drop
    };
    const drop = (e: DragEvent) => {
      const f = e.dataTransfer?.files[0];
      if (!f) return;
      e.preventDefault();
      onFile(f);
    };
    addEventListener("dragover", over);
    addEventListener("drop", drop);
    return () => {
      removeEventListener("dragover", over);
      removeEventListener("drop", drop);
    };
  }, [onFile]);
}

export function FileMenu() {
  const wb = useWorkbench();
  const persist = usePersist();
  const scenario = useWb((s) => s.scenario);
  const ready = useWb((s) => s.engine === "ready");
  const input = useRef<HTMLInputElement>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const onFile = useRef((f: File) => void importFile(wb, persist, f)).current;
  useDropImport(onFile);
  const stem = fileStem(scenario?.title ?? "scenario");

  async function run(what: "log" | "trace") {
    setExportError(await exportRun(wb, what, stem));
  }

  return (
    <>
      <span className="filemenu" role="group" aria-label="Files">
        <button
          type="button"
          disabled={!scenario}
          onClick={() =>
            scenario &&
            download(`${stem}.json`, `${JSON.stringify(scenario, null, 2)}\n`, "application/json")
          }
        >
          Export scenario
        </button>
        <button type="button" disabled={!ready} onClick={() => input.current?.click()}>
          Import…
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          aria-label="Import a scenario file"
          hidden
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = ""; // the same file again opens again
            if (f) onFile(f);
          }}
        />
        <button type="button" disabled={!scenario} onClick={() => void run("log")}>
          Export log
        </button>
        <button type="button" disabled={!scenario} onClick={() => void run("trace")}>
          Export trace
        </button>
        <AutosaveStatus />
      </span>
      {exportError && (
        <p className="linkout" role="alert">
          The export failed: {exportError}.
        </p>
      )}
      <AutosaveNotices />
    </>
  );
}

function AutosaveStatus() {
  const status = usePersistState((s) => s.status);
  const error = usePersistState((s) => s.error);
  const text =
    status === "saved"
      ? "Autosaved"
      : status === "failed"
        ? `Not autosaved: ${error}; export the scenario to keep it`
        : status === "off"
          ? `Autosave is off: ${error}`
          : "";
  return (
    <span className={status === "failed" ? "save-failed" : "muted"} role="status">
      {text}
    </span>
  );
}

function AutosaveNotices() {
  const persist = usePersist();
  const held = usePersistState((s) => s.held);
  const problem = usePersistState((s) => s.problem);
  return (
    <>
      {held && (
        <p className="linkout" role="status" aria-label="Autosaved scenario">
          Your autosaved scenario “{held.scenario.title}” is kept.{" "}
          <button type="button" onClick={() => void persist.restore(held)}>
            Restore my autosaved scenario
          </button>
        </p>
      )}
      {problem && (
        <p className="linkout banner error" role="alert" aria-label="Autosave problem">
          {problem}{" "}
          <button type="button" onClick={persist.dismissProblem}>
            Dismiss
          </button>
        </p>
      )}
    </>
  );
}
