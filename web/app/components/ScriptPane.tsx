// ScriptPane.tsx: the scenario's script as the engine holds it, interactive steps included (each
// at its virtual time), with the steps that ran marked and the next one pointed at, the step the
// selected event came under (the timeline's selection) highlighted; and, when asked for, the
// script editor (Monaco with the scenario's JSON Schema, a lazy chunk: first paint never loads it).
import { lazy, Suspense, useState } from "react";
import { stepOfEvent } from "../../timeline/steps.ts";
import { useWb } from "../context.ts";

const ScriptEditor = lazy(() => import("../editor/ScriptEditor.tsx"));

export function ScriptPane() {
  const script = useWb((s) => s.scenario?.script ?? null);
  const next = useWb((s) => s.next);
  const causing = useWb((s) =>
    s.selected === null ? null : (stepOfEvent(s.stepMarks, s.selected)?.mark.index ?? null),
  );
  const [editing, setEditing] = useState(false);
  if (!script) return null;
  return (
    <section className="panel" aria-labelledby="script-h">
      <h2 id="script-h">Script</h2>
      <ol className="script">
        {script.map((st, i) => (
          <li
            key={i}
            className={
              [i < next ? "ran" : i === next ? "next" : "", i === causing ? "selected" : ""]
                .join(" ")
                .trim() || undefined
            }
            aria-current={i === next ? "step" : undefined}
            data-selected={i === causing || undefined}
          >
            <span className="at">{st.at_ms !== undefined ? `${st.at_ms} ms` : "then"}</span>
            {st.run !== undefined ? <code>{st.run}</code> : <em>time passes</em>}
            {st.note && <span className="muted"> — {st.note}</span>}
            {i === causing && (
              <strong className="step-selected"> ← the selected event's step</strong>
            )}
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
        {editing ? "Close the script editor" : "Edit script…"}
      </button>
      {editing && (
        <Suspense fallback={<p role="status">Loading the editor…</p>}>
          <ScriptEditor />
        </Suspense>
      )}
    </section>
  );
}
