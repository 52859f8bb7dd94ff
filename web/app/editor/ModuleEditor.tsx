// ModuleEditor.tsx: a module's TypeScript source in Monaco, with the kernel API's types
// (engine/sandbox/klp.d.ts as an extra lib) so that completion, hover and diagnostics work as one
// types. This file is its own chunk, loaded only when the editor is opened: the first paint never
// waits for Monaco. "Apply" reopens the scenario with the edited source as an embedded module,
// through the validator like any other open; a refusal leaves the editor's text as it is, and the
// validator's problems with this module's source become markers (on their line when they name one).
// Text not applied yet is kept as a draft (drafts.ts) and survives a reload.
import { useRef, useState } from "react";
import { treeSources } from "../../../modules/tree-sources.ts";
import { useWb, useWorkbench } from "../context.ts";
import { clearDraft, draftKey } from "./drafts.ts";
import { sourcePlace } from "./problemPlaces.ts";
import { showValidatorMarkers, useMonaco } from "./useMonaco.ts";
import { Diagnostics } from "./Diagnostics.tsx";

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
  /** The validator's problems that name no line of this source, in words. */
  const [refused, setRefused] = useState<string[]>([]);
  const host = useRef<HTMLDivElement>(null);
  const spec = embedded.find((m) => m.name === name);
  const key = draftKey(scenario?.title ?? "", { module: name });
  const { editor, problems, restored } = useMonaco({
    host,
    uri: `file:///modules/${name}.ts`,
    language: "typescript",
    applied: spec?.source ?? "",
    draft: key,
    ariaLabel: `Source of module ${name}`,
  });

  if (!scenario) return null;
  if (!embedded.length) return <p className="muted">This scenario has no modules to edit.</p>;

  async function apply() {
    const source = editor.current?.getValue();
    if (!scenario || source === undefined) return;
    const index = scenario.modules.findIndex((m) => m.name === name);
    const modules = scenario.modules.map((m) =>
      m.name === name ? { kind: "embedded" as const, name, source } : m,
    );
    if (await wb.open({ scenario: { ...scenario, modules }, source: "edited" })) {
      clearDraft(key);
      setRefused([]);
      return;
    }
    const mine = (wb.store.getState().openError?.problems ?? []).filter((p) =>
      p.path.startsWith(`modules[${index}]`),
    );
    const placed = mine.flatMap((p) => {
      const at = sourcePlace(p.message);
      return at ? [{ line: at.line, message: p.message }] : [];
    });
    showValidatorMarkers(editor.current, placed);
    setRefused(mine.filter((p) => !sourcePlace(p.message)).map((p) => p.message));
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
      {restored && <p role="status">Your unapplied edit of {name} is restored; Apply runs it.</p>}
      <div className="monaco" ref={host} />
      <Diagnostics label="Diagnostics" problems={problems} refused={refused} />
      <button type="button" onClick={() => void apply()}>
        Apply and reopen
      </button>
    </div>
  );
}
