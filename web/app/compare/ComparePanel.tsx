// ComparePanel.tsx: the session's scenario side by side with itself under the other semantics or
// the other architecture. The worker runs both afresh (op "compare", engine/compare) and answers
// the divergences, found on the structured event streams aligned by script step, kind and subject;
// the view lists them and shows both logs step by step with the diverging steps highlighted.
import { useState } from "react";
import type { ComparedRuns } from "../../../engine/host/protocol.ts";
import type { Configuration } from "../../../engine/compare/index.ts";
import { useWb, useWorkbench } from "../context.ts";
import { dmesgStamp } from "../format.ts";
import { alignSides } from "./sides.ts";

const stepName = (s: number) => (s < 0 ? "setup" : `step ${s}`);

export function ComparePanel() {
  const wb = useWorkbench();
  const scenario = useWb((s) => s.scenario);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ComparedRuns | string | null>(null);
  if (!scenario) return null;
  const otherSem = scenario.semantics === "mainline" ? "proposed" : "mainline";
  const otherArch = scenario.arch === "x86_64" ? "arm64" : "x86_64";
  const run = async (other: Configuration) => {
    setBusy(true);
    const r = await wb.query({ op: "compare", other });
    setBusy(false);
    if (!r) return;
    if (!r.ok) return setResult(r.error.message);
    const c = r.value.compare!;
    setResult(c.ok ? c.value : c.error);
  };
  const c = typeof result === "object" ? result : null;
  return (
    <section className="panel" aria-labelledby="compare-h">
      <div className="panel-head">
        <h2 id="compare-h">Side by side</h2>
        <button type="button" disabled={busy} onClick={() => void run({ semantics: otherSem })}>
          Compare with {otherSem} semantics
        </button>
        <button type="button" disabled={busy} onClick={() => void run({ arch: otherArch })}>
          Compare with {otherArch}
        </button>
      </div>
      {busy && <p role="status">Running both…</p>}
      {typeof result === "string" && <p role="alert">{result}</p>}
      {c && (
        <>
          <p>
            {c.a.config.semantics} {c.a.config.arch} against {c.b.config.semantics}{" "}
            {c.b.config.arch}:{" "}
            {c.divergences.length === 0 ? "no divergences." : `${c.summary.length} divergences.`}
          </p>
          {c.summary.length > 0 && (
            <ul aria-label="Divergences">
              {c.summary.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          )}
          <div className="compare-logs">
            {(["a", "b"] as const).map((side) => (
              <section
                key={side}
                aria-label={`${c[side].config.semantics} ${c[side].config.arch} log`}
              >
                <h3>
                  {c[side].config.semantics} {c[side].config.arch}
                </h3>
                <ol tabIndex={0}>
                  {alignSides(c).flatMap((st) => [
                    <li key={`h${st.step}`} className={st.diverges ? "diverges" : undefined}>
                      <strong>
                        {stepName(st.step)}
                        {st.diverges ? " (diverges)" : ""}
                      </strong>
                    </li>,
                    ...st[side].map(({ line, only }, k) => (
                      <li key={`${st.step}.${k}`} className={only ? "diverges" : undefined}>
                        {dmesgStamp(line.tNs)}
                        {line.text}
                        {only ? " ◀ only here" : ""}
                      </li>
                    )),
                  ])}
                </ol>
              </section>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
