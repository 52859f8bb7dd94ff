// ScriptPane.tsx: the scenario's script as the engine holds it, interactive steps included (each
// at its virtual time), with the steps that ran marked and the next one pointed at; and, when
// asked for, the script editor (Monaco with the scenario's JSON Schema, a lazy chunk: the first
// paint never loads it).
import { lazy, Suspense, useState } from "react";
import { useWb } from "../context.ts";

const ScriptEditor = lazy(() => import("../editor/ScriptEditor.tsx"));

export function ScriptPane() {
  const script = useWb((s) => s.scenario?.script ?? null);
  const next = useWb((s) => s.next);
  const [editing, setEditing] = useState(false);
  if (!script) return null;
  return (
    <section className="panel" aria-labelledby="script-h">
      <h2 id="script-h">Script</h2>
      <ol className="script">
        {script.map((st, i) => (
          <li
            key={i}
            className={i < next ? "ran" : i === next ? "next" : undefined}
            aria-current={i === next ? "step" : undefined}
          >
            <span className="at">{st.at_ms !== undefined ? `${st.at_ms} ms` : "then"}</span>
            {st.run !== undefined ? <code>{st.run}</code> : <em>time passes</em>}
            {st.note && <span className="muted"> — {st.note}</span>}
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
