// Selection.tsx: the selected event in full: what happened, the kernel log it printed (the lines at
// its moment), the script step it came under (from the session's step marks: its index, time and
// command, also highlighted in the script pane) and, for a callback or a task held in a function,
// the module and function with its source lines (the scenario's embedded source, or the tree's
// built-in, loaded with the editor's chunk when first needed).
import { useEffect, useState } from "react";
import type { EngineEvent } from "../../../engine/events.ts";
import type { LogLine } from "../../../engine/host/protocol.ts";
import type { Scenario } from "../../../scenarios/schema.ts";
import { definitionOf, type SourceLines } from "../../timeline/source.ts";
import { type EventStep, stepOfEvent, type StepMark } from "../../timeline/steps.ts";
import { useWb } from "../context.ts";
import { clock } from "../format.ts";
import { describeEvent } from "./describe.ts";

/** The code an event names: a callback of a patch, or the function a task was held in. */
function codeOf(e: EngineEvent): { module: string | null; func: string; what: string } | null {
  if (e.kind === "callback")
    return { module: e.patch, func: e.callback, what: `${e.callback} callback (${e.object})` };
  if ((e.kind === "task-blocked" || e.kind === "site") && e.func)
    return { module: null, func: e.func, what: `function ${e.func}` };
  return null;
}

type Found = { module: string; source: SourceLines } | null;

/** The module source of each of the scenario's modules, by name. */
async function sourcesOf(s: Scenario): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const builtins = s.modules.some((m) => m.kind === "builtin")
    ? (await import("../../../modules/tree-sources.ts")).treeSources(s.semantics)
    : null;
  for (const m of s.modules) {
    const src = m.kind === "embedded" ? m.source : builtins?.get(m.name);
    if (src !== undefined) out.set(m.name, src);
  }
  return out;
}

function useSource(s: Scenario | null, code: ReturnType<typeof codeOf>): Found | "loading" {
  const [found, setFound] = useState<Found | "loading">("loading");
  const key = code ? `${code.module} ${code.func}` : "";
  useEffect(() => {
    if (!s || !code) return setFound(null);
    let live = true;
    setFound("loading");
    void sourcesOf(s).then((srcs) => {
      if (!live) return;
      // The named module first; for a function, whichever module defines it.
      const order = code.module ? [code.module] : [...srcs.keys()];
      for (const name of order) {
        const d = srcs.has(name) ? definitionOf(srcs.get(name)!, code.func) : null;
        if (d) return setFound({ module: name, source: d });
      }
      setFound(null);
    });
    return () => {
      live = false;
    };
  }, [s, key]);
  return found;
}

function StepLine(p: { step: EventStep | null; scenario: Scenario | null }) {
  if (!p.step) return <p>Before the first script step (the machine's boot).</p>;
  const { mark, during } = p.step;
  const st = p.scenario?.script[mark.index];
  return (
    <p data-testid="selected-step">
      {during ? "Emitted by" : "After"} script step {mark.index + 1} at {clock(mark.startNs)}:{" "}
      <code>{st?.run ?? "(time passes)"}</code>
      {!during && " (its timers and the machine's tasks, before the next step)"}
    </p>
  );
}

export function Selection(p: { event: EngineEvent; log: readonly LogLine[]; marks: StepMark[] }) {
  const scenario = useWb((s) => s.scenario);
  const e = p.event;
  const d = describeEvent(e);
  const code = codeOf(e);
  const found = useSource(scenario, code);
  const lines = p.log.filter((l) => l.tNs === e.tNs);
  return (
    <div className="timeline-selection" role="region" aria-label="Selected event">
      <p>
        <strong>
          Event #{e.seq} at {clock(e.tNs)}:
        </strong>{" "}
        {e.kind} {d.subject}: {d.what}
      </p>
      {lines.length > 0 ? (
        <pre className="dmesg-lines" aria-label="Kernel log at this moment">
          {lines.map((l) => `[${clock(l.tNs)}] ${l.text}`).join("\n")}
        </pre>
      ) : (
        <p className="muted">The kernel printed nothing at this moment.</p>
      )}
      <StepLine step={stepOfEvent(p.marks, e.seq)} scenario={scenario} />
      {code && (
        <div aria-label="Code that ran">
          <p>
            {found === "loading" || !found
              ? `${code.what}${code.module ? ` of module ${code.module}` : ""}`
              : `${code.what} of module ${found.module}, lines ${found.source.from}–${found.source.from + found.source.lines.length - 1}:`}
            {found === null && " (its source is not in this scenario)"}
          </p>
          {found && found !== "loading" && (
            <pre className="timeline-source" aria-label={`Source of ${code.func}`}>
              {found.source.lines
                .map((l, i) => `${String(found.source.from + i).padStart(4)}  ${l}`)
                .join("\n")}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
