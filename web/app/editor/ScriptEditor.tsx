// ScriptEditor.tsx: the scenario's script as JSON in Monaco, checked as one types by Monaco's JSON
// service against the JSON Schema derived from the scenario's zod schema (scriptSchema.ts).
// "Apply" reopens the scenario with this script through the engine's validator; a refusal keeps the
// scenario that runs, and each problem becomes a marker on the JSON it names (problemPlaces.ts).
// Text not applied yet is kept as a draft (drafts.ts). A lazy chunk, with Monaco.
import { parse, type ParseError, printParseErrorCode } from "jsonc-parser";
import { useRef, useState } from "react";
import { useWb, useWorkbench } from "../context.ts";
import { clearDraft, draftKey } from "./drafts.ts";
import { jsonSpan, parsePath } from "./problemPlaces.ts";
import { configureScriptSchema, SCRIPT_URI } from "./scriptSchema.ts";
import { showValidatorMarkers, useMonaco } from "./useMonaco.ts";
import { Diagnostics } from "./Diagnostics.tsx";

configureScriptSchema();

type Mark = { startOffset: number; endOffset: number; message: string };

/** The validator's problems placed on the script's JSON; those about other parts, in words. */
function place(text: string, problems: { path: string; message: string }[]) {
  const marks: Mark[] = [];
  const elsewhere: string[] = [];
  for (const p of problems) {
    const [head, ...rest] = parsePath(p.path);
    const span = head === "script" ? jsonSpan(text, rest) : null;
    if (span)
      marks.push({
        startOffset: span.offset,
        endOffset: span.offset + span.length,
        message: `${p.path}: ${p.message}`,
      });
    else elsewhere.push(`${p.path}: ${p.message}`);
  }
  return { marks, elsewhere };
}

export default function ScriptEditor() {
  const wb = useWorkbench();
  const scenario = useWb((s) => s.scenario);
  const [refused, setRefused] = useState<string[]>([]);
  const host = useRef<HTMLDivElement>(null);
  const applied = scenario ? JSON.stringify(scenario.script, null, 2) + "\n" : "";
  const key = draftKey(scenario?.title ?? "", "script");
  const { editor, problems, restored } = useMonaco({
    host,
    uri: SCRIPT_URI,
    language: "json",
    applied,
    draft: key,
    ariaLabel: "Script as JSON",
  });
  if (!scenario) return null;

  async function apply() {
    const text = editor.current?.getValue();
    if (!scenario || text === undefined) return;
    const errors: ParseError[] = [];
    const script: unknown = parse(text, errors, { disallowComments: true });
    if (errors.length) {
      const e = errors[0]!;
      const message = `not JSON: ${printParseErrorCode(e.error)}`;
      showValidatorMarkers(editor.current, [
        { startOffset: e.offset, endOffset: e.offset + Math.max(1, e.length), message },
      ]);
      setRefused([]);
      return;
    }
    if (await wb.open({ scenario: { ...scenario, script }, source: "edited" })) {
      clearDraft(key);
      setRefused([]);
      return;
    }
    const { marks, elsewhere } = place(text, wb.store.getState().openError?.problems ?? []);
    showValidatorMarkers(editor.current, marks);
    setRefused(elsewhere);
  }

  return (
    <div className="editor">
      <p className="muted">
        Each step: <code>at_ms</code> (virtual ms since boot), <code>run</code> (shell text),{" "}
        <code>note</code>. Apply reopens the scenario from boot with this script.
      </p>
      {restored && <p role="status">Your unapplied edit of the script is restored.</p>}
      <div className="monaco" ref={host} />
      <Diagnostics label="Script diagnostics" problems={problems} refused={refused} />
      <button type="button" onClick={() => void apply()}>
        Apply script and reopen
      </button>
    </div>
  );
}
