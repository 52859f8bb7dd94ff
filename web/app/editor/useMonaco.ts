// useMonaco.ts: one Monaco editor on one model, as both editors (module source, script) use it:
// the model holds the unapplied draft if there is one, else the applied text; the editor is themed
// like the page; each edit is kept as the draft (drafts.ts); and the markers of every owner at
// warning level and above are listed for the page under the editor (the TypeScript or JSON
// service's, and the validator's).
import { type RefObject, useEffect, useRef, useState } from "react";
import { loadDraft, saveDraft } from "./drafts.ts";
import { monaco } from "./monaco.ts";

/** The owner of the markers the validator's refusals become. */
export const VALIDATOR = "validator";

export interface MonacoOptions {
  host: RefObject<HTMLDivElement | null>;
  uri: string;
  language: string;
  /** The text the scenario holds; a change of it (or of the URI) sets the model's text anew. */
  applied: string;
  /** The draft's key (drafts.ts): its text, if any, is shown instead of `applied`. */
  draft: string;
  ariaLabel: string;
}

function pageTheme(): string {
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  const theme = document.documentElement.dataset.theme ?? (dark ? "dark" : "light");
  return theme === "dark" ? "vs-dark" : "vs";
}

export function useMonaco(opts: MonacoOptions) {
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  /** The editor shows a draft from before (a reload, a closed editor), not the applied text. */
  const [restored, setRestored] = useState(false);

  useEffect(() => {
    if (!opts.host.current) return;
    const uri = monaco.Uri.parse(opts.uri);
    const { applied, draft } = opts;
    const kept = loadDraft(draft);
    setRestored(kept !== null && kept !== applied);
    const text = kept ?? applied;
    // Models live on (the TypeScript worker keeps a program over them); a model left from an
    // earlier scenario or apply takes the text given now.
    const old = monaco.editor.getModel(uri);
    if (old && old.getValue() !== text) old.setValue(text);
    const model = old ?? monaco.editor.createModel(text, opts.language, uri);
    const ed = monaco.editor.create(opts.host.current, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      theme: pageTheme(),
      fontSize: 13,
      ariaLabel: opts.ariaLabel,
    });
    editor.current = ed;
    const edits = model.onDidChangeContent(() => {
      // The validator spoke of the text as applied; once edited its places may be wrong.
      monaco.editor.setModelMarkers(model, VALIDATOR, []);
      saveDraft(draft, model.getValue(), applied);
    });
    const list = () =>
      setProblems(
        monaco.editor
          .getModelMarkers({ resource: uri })
          // Errors and warnings; hints (an unused name) stay as the editor's faded text.
          .filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
          .map((m) => `line ${m.startLineNumber}: ${m.message}`),
      );
    const markers = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === uri.toString())) list();
    });
    list(); // a model kept from before has its markers already
    return () => {
      markers.dispose();
      edits.dispose();
      ed.dispose();
      editor.current = null;
      setProblems([]);
    };
  }, [opts.uri, opts.applied, opts.draft]);

  return { editor, problems, restored };
}

/** The validator's problems as error markers on the editor's model (none clears them). */
export function showValidatorMarkers(
  ed: monaco.editor.IStandaloneCodeEditor | null,
  marks: { startOffset?: number; endOffset?: number; line?: number; message: string }[],
): void {
  const model = ed?.getModel();
  if (!model) return;
  const data = marks.map((m): monaco.editor.IMarkerData => {
    const start =
      m.startOffset !== undefined
        ? model.getPositionAt(m.startOffset)
        : new monaco.Position(m.line ?? 1, 1);
    const end =
      m.endOffset !== undefined
        ? model.getPositionAt(m.endOffset)
        : new monaco.Position(start.lineNumber, model.getLineMaxColumn(start.lineNumber));
    return {
      severity: monaco.MarkerSeverity.Error,
      source: "the scenario validator",
      message: m.message,
      startLineNumber: start.lineNumber,
      startColumn: start.column,
      endLineNumber: end.lineNumber,
      endColumn: end.column,
    };
  });
  monaco.editor.setModelMarkers(model, VALIDATOR, data);
}
