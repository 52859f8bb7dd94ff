// Header.tsx: the scenario picker (the library, grouped), the theme toggle and "copy link".
import { useState } from "react";
import { useWb, useWorkbench } from "../context.ts";
import { GROUPS, groupLabel, LIBRARY, loadLibraryFile } from "../library.ts";
import { FileMenu } from "./FileMenu.tsx";
import { applyTheme, storedTheme, type Theme } from "../theme.ts";

const NEXT_THEME: Record<Theme, Theme> = { system: "light", light: "dark", dark: "system" };

export function Header() {
  const wb = useWorkbench();
  const source = useWb((s) => s.source);
  const ready = useWb((s) => s.engine === "ready");
  const mode = useWb((s) => s.engineMode);
  const link = useWb((s) => s.link);
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const [copied, setCopied] = useState<string | null>(null);
  // An imported file, an edited or autosaved scenario: not one of the picker's entries.
  const inLibrary = LIBRARY.some((e) => e.file === source);

  async function pick(file: string) {
    const json = await loadLibraryFile(file);
    if (json !== null) await wb.open({ scenario: json, source: file });
  }

  async function copy() {
    const l = await wb.copyLink(location.href.split("#")[0]!);
    if (!l) return;
    try {
      await navigator.clipboard.writeText(l);
      setCopied("Link copied");
    } catch {
      setCopied("Copy the link below"); // no clipboard permission: the link is shown instead
    }
  }

  return (
    <header className="header">
      <h1>Livepatch playground</h1>
      <label className="picker">
        Scenario{" "}
        <select
          value={inLibrary ? (source ?? "") : ""}
          onChange={(e) => void pick(e.target.value)}
          disabled={!ready}
        >
          {!inLibrary && (
            <option value="">
              {source === "link" ? "(from a link)" : source ? `(${source})` : "…"}
            </option>
          )}
          {GROUPS.map((g) => (
            <optgroup key={g} label={groupLabel(g)}>
              {LIBRARY.filter((e) => e.group === g).map((e) => (
                <option key={e.file} value={e.file}>
                  {e.title}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <span className="spacer" />
      {mode && (
        <span className="muted">engine: {mode === "worker" ? "Web Worker" : "in the page"}</span>
      )}
      <FileMenu />
      <button type="button" onClick={() => void copy()} disabled={!ready}>
        Copy link
      </button>
      <button
        type="button"
        onClick={() => {
          const t = NEXT_THEME[theme];
          applyTheme(t);
          setTheme(t);
        }}
        aria-label={`Theme: ${theme}. Switch to ${NEXT_THEME[theme]}`}
      >
        Theme: {theme}
      </button>
      {link && (
        <p className="linkout">
          <span role="status">{copied}</span>{" "}
          <input
            aria-label="Link to this session"
            readOnly
            value={link}
            onFocus={(e) => e.target.select()}
          />
        </p>
      )}
    </header>
  );
}
