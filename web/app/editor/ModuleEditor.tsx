// ModuleEditor.tsx: a module's TypeScript source in Monaco, with the kernel API's types
// (engine/sandbox/klp.d.ts as an extra lib) so that completion, hover and diagnostics work as one
// types. This file is its own chunk, loaded only when the editor is opened: the first paint never
// waits for Monaco. "Apply" reopens the scenario with the edited source as an embedded module,
// through the validator like any other open; a refusal leaves the editor's text as it is.
import { useEffect, useRef, useState } from "react";
import { treeSources } from "../../../modules/tree-sources.ts";
import { useWb, useWorkbench } from "../context.ts";
import { monaco } from "./monaco.ts";

interface Editable {
  name: string;
  source: string;
  /** A built-in: applying an edit embeds it (its source then travels with the scenario). */
  builtin: boolean;
}

export default function ModuleEditor() {
  const wb = useWorkbench();
  const scenario = useWb((s) => s.scenario);
  // Built-ins show this build's source of the tree the scenario was written for.
  const sources = scenario ? treeSources(scenario.semantics) : new Map<string, string>();
  const embedded: Editable[] = (scenario?.modules ?? []).flatMap((m): Editable[] => {
    if (m.kind === "embedded") return [{ name: m.name, source: m.source, builtin: false }];
    const source = sources.get(m.name);
    return source === undefined ? [] : [{ name: m.name, source, builtin: true }];
  });
  const [name, setName] = useState(embedded[0]?.name ?? "");
  const [problems, setProblems] = useState<string[]>([]);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const spec = embedded.find((m) => m.name === name);

  useEffect(() => {
    if (!host.current || !spec) return;
    const uri = monaco.Uri.parse(`file:///modules/${spec.name}.ts`);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(spec.source, "typescript", uri);
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    const theme = document.documentElement.dataset.theme ?? (dark ? "dark" : "light");
    const ed = monaco.editor.create(host.current, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      theme: theme === "dark" ? "vs-dark" : "vs",
      fontSize: 13,
      ariaLabel: `Source of module ${spec.name}`,
    });
    editor.current = ed;
    // Diagnostics as one types: the TS worker's markers, listed under the editor too.
    const sub = monaco.editor.onDidChangeMarkers((uris) => {
      if (!uris.some((u) => u.toString() === uri.toString())) return;
      setProblems(
        monaco.editor
          .getModelMarkers({ resource: uri })
          // Errors and warnings; hints (an unused name) stay as the editor's faded text.
          .filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
          .map((m) => `line ${m.startLineNumber}: ${m.message}`),
      );
    });
    return () => {
      sub.dispose();
      ed.dispose();
      editor.current = null;
    };
  }, [spec?.name, spec?.source]);

  if (!scenario) return null;
  if (!embedded.length) return <p className="muted">This scenario has no modules to edit.</p>;

  async function apply() {
    const source = editor.current?.getValue();
    if (!scenario || source === undefined) return;
    const modules = scenario.modules.map((m) =>
      m.name === name ? { kind: "embedded" as const, name, source } : m,
    );
    await wb.open({ scenario: { ...scenario, modules }, source: "edited" });
  }

  return (
    <div className="editor">
      <label>
        Module{" "}
        <select value={name} onChange={(e) => setName(e.target.value)}>
          {embedded.map((m) => (
            <option key={m.name} value={m.name}>
              {m.builtin ? `${m.name} (built-in)` : m.name}
            </option>
          ))}
        </select>
      </label>
      {spec?.builtin ? (
        <p className="muted">
          A built-in module: applying an edit embeds its source in the scenario (and its link).
        </p>
      ) : null}
      <div className="monaco" ref={host} />
      <ul aria-label="Diagnostics" className="diagnostics">
        {problems.map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
      <button type="button" onClick={() => void apply()}>
        Apply and reopen
      </button>
    </div>
  );
}
