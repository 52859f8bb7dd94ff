// ShellConsole.tsx: root's shell on the same machine. A line runs at the current virtual time and
// joins the script. Up/Down walk the history; Tab completes commands, module names and the
// livepatch sysfs paths the machine has now.
import { useEffect, useRef, useState } from "react";
import { useWb, useWorkbench } from "../context.ts";
import { complete } from "../completion.ts";

export function ShellConsole() {
  const wb = useWorkbench();
  const entries = useWb((s) => s.console);
  const history = useWb((s) => s.history);
  const view = useWb((s) => s.view);
  const scenario = useWb((s) => s.scenario);
  const [line, setLine] = useState("");
  const [pos, setPos] = useState<number | null>(null);
  const [hint, setHint] = useState("");
  const out = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (out.current) out.current.scrollTop = out.current.scrollHeight;
  }, [entries]);

  function onKey(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      if (!history.length) return;
      e.preventDefault();
      const up = e.key === "ArrowUp";
      const p = pos === null ? (up ? history.length - 1 : null) : pos + (up ? -1 : 1);
      if (p === null || p >= history.length) {
        setPos(null);
        setLine("");
      } else {
        const q = Math.max(0, p);
        setPos(q);
        setLine(history[q]!);
      }
    } else if (e.key === "Tab" && line.trim() !== "") {
      e.preventDefault();
      const c = complete(line, view, scenario);
      setLine(c.line);
      setHint(c.options.length > 1 ? c.options.join("  ") : "");
    }
  }

  return (
    <section className="panel shell" aria-labelledby="shell-h">
      <h2 id="shell-h">Shell</h2>
      <div className="scroll" ref={out} role="log" aria-label="Shell output" tabIndex={0}>
        {entries.map((e, i) => (
          <pre key={i} className={`sh-${e.kind}`}>
            {e.kind === "in" ? `# ${e.text}` : e.text.replace(/\n$/, "")}
          </pre>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (line.trim() === "") return;
          void wb.shell(line);
          setLine("");
          setPos(null);
          setHint("");
        }}
      >
        <label htmlFor="shell-in">root@klp:~#</label>
        <input
          id="shell-in"
          autoComplete="off"
          spellCheck={false}
          value={line}
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={onKey}
          aria-describedby="shell-hint"
        />
        <button type="submit">Run</button>
      </form>
      <p id="shell-hint" className="muted">
        {hint || "Enter runs the line at the current virtual time; Tab completes; ↑/↓ history."}
      </p>
    </section>
  );
}
