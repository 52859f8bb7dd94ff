// Troubles.tsx: errors where they happened, in words: the engine that did not start, a scenario or
// link that did not open (with the validator's problems), what Stop did, and module code that
// failed in its sandbox (ModuleErrors). Nothing the user had is dropped.
import { useWb, useWorkbench } from "../context.ts";
import { ModuleErrors } from "./ModuleErrors.tsx";

export function Troubles() {
  const wb = useWorkbench();
  const engineError = useWb((s) => s.engineError);
  const openError = useWb((s) => s.openError);
  const starting = useWb((s) => s.engine === "starting");
  const crashed = useWb((s) => s.crashed);
  const steps = useWb((s) => s.scenario?.script.length ?? 0);
  const stopped = useWb((s) => s.stopped);
  return (
    <>
      {starting && (
        <p className="banner" role="status">
          Starting the engine…
        </p>
      )}
      {engineError && (
        <div className="banner error" role="alert">
          <strong>The engine did not start.</strong> {engineError}
        </div>
      )}
      {crashed && (
        <div className="banner error" role="alert" aria-label="Engine stopped">
          <strong>The engine stopped.</strong> {crashed}. The scenario and its script ({steps}{" "}
          steps, your actions included) are kept here; a fresh engine reopens them from the start.{" "}
          <button type="button" onClick={() => void wb.restart()}>
            Restart the engine and reopen
          </button>
        </div>
      )}
      {stopped && (
        <div className="banner" role="status" aria-label="Engine stopped by you">
          <strong>{stopped.title}</strong>
          {stopped.lines.map((l, i) => (
            <p key={i}>{l}</p>
          ))}
          <button type="button" onClick={wb.dismissStopped}>
            Dismiss
          </button>
        </div>
      )}
      <ModuleErrors />
      {openError && (
        <div className="banner error" role="alert" aria-label="Open error">
          <strong>{openError.title}</strong>
          <ul>
            {openError.lines.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
          <button type="button" onClick={wb.dismissOpenError}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
