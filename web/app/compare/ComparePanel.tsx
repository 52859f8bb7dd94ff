// ComparePanel.tsx: the session's scenario side by side with itself under the other semantics or
// the other architecture. The worker runs both afresh (op "compare", engine/compare) and answers
// both event streams and the divergences, found on them aligned by script step, kind and subject;
// the view (view.ts) draws both timelines on one time axis with every diverging event outlined,
// lists the divergences (selecting one brings both timelines and both logs to it) and shows both
// logs step by step with the diverging steps and lines highlighted.
import { useEffect, useMemo, useRef, useState } from "react";
import type { Configuration } from "../../../engine/compare/index.ts";
import type { ComparedRuns } from "../../../engine/host/protocol.ts";
import { useWb, useWorkbench } from "../context.ts";
import { clock, dmesgStamp } from "../format.ts";
import Timeline from "../timeline/Timeline.tsx";
import "./compare.css";
import { compareView, focusOf, type CompareView, type SideKey, type SideView } from "./view.ts";

const stepName = (s: number) => (s < 0 ? "setup" : `step ${s}`);
const sideName = (v: SideView) => `${v.side.config.semantics} ${v.side.config.arch}`;

interface SideProps {
  v: SideView;
  view: CompareView;
  chosen: number | null;
  choose: (item: number) => void;
}

/** The shadow row's lifetimes as text: how each ends (freed, or leaked), which a canvas cannot say. */
function ShadowLifetimes({ v }: { v: SideView }) {
  const row = v.rows.find((r) => r.key === "shadows");
  if (!row) return null;
  return (
    <ul aria-label={`${sideName(v)} shadow variables`} className="compare-events">
      {row.spans.map((s) => (
        <li key={s.seq}>
          {clock(s.startNs)} {s.text}
        </li>
      ))}
    </ul>
  );
}

function SideTimeline({ v, view, chosen, choose }: SideProps) {
  const focus = chosen === null ? null : focusOf(v, chosen);
  const itemOf = (seq: number) => v.events.find((e) => e.seq === seq)?.item;
  return (
    <section className="compare-side" aria-label={`${sideName(v)} timeline`}>
      <h3>{sideName(v)}</h3>
      {v.rows.length === 0 ? (
        <p className="muted">No livepatch, task, callback, shadow or module events.</p>
      ) : (
        <Timeline
          rows={v.rows}
          startNs={view.startNs}
          endNs={view.endNs}
          nowNs={view.endNs}
          playing={false}
          selected={focus?.seq ?? null}
          focusNs={chosen === null ? null : (view.items[chosen]!.tNs ?? null)}
          onSelect={(seq) => {
            const it = itemOf(seq);
            if (it !== undefined) choose(it);
          }}
          marked={v.outlined}
        />
      )}
      <ShadowLifetimes v={v} />
      <ol aria-label={`${sideName(v)} diverging events`} className="compare-events">
        {v.events.map((e) => (
          <li key={e.seq} data-seq={e.seq} className={e.item === chosen ? "selected" : undefined}>
            <button type="button" className="linkish" onClick={() => choose(e.item)}>
              {clock(e.tNs)} #{e.seq} {e.kind} {e.subject}: {e.what}
              {e.drawn ? " (outlined)" : " (not a timeline mark)"}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Logs({ view, chosen }: { view: CompareView; chosen: number | null }) {
  const heads = useRef(new Map<string, HTMLLIElement>());
  const step = chosen === null ? null : view.items[chosen]!.step;
  useEffect(() => {
    if (step === null) return;
    for (const side of ["a", "b"])
      heads.current.get(`${side}${step}`)?.scrollIntoView({ block: "nearest" });
  }, [step]);
  return (
    <div className="compare-logs">
      {(["a", "b"] as const).map((side: SideKey) => (
        <section key={side} aria-label={`${sideName(view[side])} log`}>
          <h3>{sideName(view[side])}</h3>
          <ol tabIndex={0}>
            {view.steps.flatMap((st) => [
              <li
                key={`h${st.step}`}
                ref={(el) => {
                  if (el) heads.current.set(`${side}${st.step}`, el);
                }}
                className={
                  [st.diverges ? "diverges" : "", st.step === step ? "current" : ""]
                    .join(" ")
                    .trim() || undefined
                }
                aria-current={st.step === step ? "step" : undefined}
              >
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
  );
}

function Chosen({ view, chosen }: { view: CompareView; chosen: number }) {
  const it = view.items[chosen]!;
  const refusal = it.members[0]!.outcome;
  return (
    <div role="region" aria-label="Selected divergence" className="timeline-selection">
      <p>
        <strong>{it.label}</strong> ({stepName(it.step)})
      </p>
      {refusal && (
        <ul>
          {(["a", "b"] as const).map((k) => (
            <li key={k}>
              {sideName(view[k])}: exit status {refusal[k].status}
              {refusal[k].stderr ? `, ${refusal[k].stderr.trim()}` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Result({ c }: { c: ComparedRuns }) {
  const view = useMemo(() => compareView(c), [c]);
  const [chosen, setChosen] = useState<number | null>(null);
  useEffect(() => setChosen(null), [view]);
  return (
    <>
      <p>
        {sideName(view.a)} against {sideName(view.b)}:{" "}
        {view.items.length === 0 ? "no divergences." : `${view.items.length} divergences.`}
      </p>
      {view.items.length > 0 && (
        <ul aria-label="Divergences" className="compare-list">
          {view.items.map((it, k) => (
            <li key={k}>
              <button type="button" aria-pressed={k === chosen} onClick={() => setChosen(k)}>
                {it.label}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen !== null && <Chosen view={view} chosen={chosen} />}
      <SideTimeline v={view.a} view={view} chosen={chosen} choose={setChosen} />
      <SideTimeline v={view.b} view={view} chosen={chosen} choose={setChosen} />
      <Logs view={view} chosen={chosen} />
    </>
  );
}

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
      {result !== null && typeof result === "object" && <Result c={result} />}
    </section>
  );
}
