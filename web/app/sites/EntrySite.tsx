// EntrySite.tsx: the entry site of a patched function at the current moment, read from the core
// through the session (op "entry-site"): its bytes and disassembly on the scenario's architecture,
// what a CPU executing it does now, its func_stack, and which implementation each task would run.
// It is asked again whenever the engine reports new events (the site changes only with events).
import { useEffect, useState } from "react";
import type { SessionAnswer } from "../../../engine/host/protocol.ts";
import { useWb, useWorkbench } from "../context.ts";
import { PATCH_STATE } from "../format.ts";

type Site = NonNullable<SessionAnswer["site"]>;

export function EntrySite() {
  const wb = useWorkbench();
  const eventCount = useWb((s) => s.eventCount);
  const scenario = useWb((s) => s.scenario);
  const [func, setFunc] = useState<string | undefined>(undefined);
  const [site, setSite] = useState<Site | null>(null);
  /** Every function patched so far in this scenario: a site stays viewable after unpatching. */
  const [known, setKnown] = useState<string[]>([]);
  useEffect(() => {
    setKnown([]);
    setFunc(undefined);
  }, [scenario]);
  useEffect(() => {
    if (site)
      setKnown((k) =>
        site.patched.every((f) => k.includes(f)) ? k : [...new Set([...k, ...site.patched])],
      );
  }, [site]);
  const chosen = func ?? known[0];
  useEffect(() => {
    let live = true;
    void wb.query({ op: "entry-site", ...(chosen ? { func: chosen } : {}) }).then((r) => {
      if (live && r?.ok) setSite(r.value.site ?? null);
    });
    return () => {
      live = false;
    };
  }, [wb, eventCount, chosen]);
  const v = site?.view;
  return (
    <section className="panel" aria-labelledby="site-h">
      <div className="panel-head">
        <h2 id="site-h">Entry site</h2>
        {known.length > 0 && (
          <label>
            Function{" "}
            <select value={chosen} onChange={(e) => setFunc(e.target.value)}>
              {known.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!v ? (
        <p className="muted">No function has been patched yet in this scenario.</p>
      ) : !v.ok ? (
        <p role="alert">{v.error}</p>
      ) : (
        <div data-testid="entry-site">
          <p>
            <code>{v.value.func}</code> on {v.value.arch}: the site is{" "}
            <strong>{v.value.state}</strong>; a CPU there now{" "}
            {v.value.executes.kind === "call"
              ? `calls ${v.value.executes.targetName ?? "?"}`
              : v.value.executes.kind === "fall-through"
                ? "falls through (no call)"
                : "finds a bad instruction"}
            {v.value.ops ? `; CALL_OPS literal → ${v.value.ops.name ?? "?"}` : ""}.
          </p>
          <table className="site-table" aria-label="Disassembly of the entry">
            <thead>
              <tr>
                <th scope="col">address</th>
                <th scope="col">bytes</th>
                <th scope="col">instruction</th>
              </tr>
            </thead>
            <tbody>
              {v.value.insns.map((i) => (
                <tr key={i.addr} className={i.site ? "selected" : undefined}>
                  <td>{i.addr.toString(16)}</td>
                  <td>{i.bytes}</td>
                  <td>
                    {i.text}
                    {i.site ? " ← rec->ip" : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>func_stack (head first)</h3>
          {v.value.funcStack.length === 0 ? (
            <p className="muted">empty</p>
          ) : (
            <ol>
              {v.value.funcStack.map((f, k) => (
                <li key={k}>
                  {f.patch ?? "?"}: {f.nop ? "nop (the original)" : f.newFunc}
                  {f.transition ? ", in transition" : ""}
                </li>
              ))}
            </ol>
          )}
          <h3>What each task would run now</h3>
          {(site.taskCount ?? 0) > v.value.tasks.length && (
            <p className="muted">
              The first {v.value.tasks.length} of {site.taskCount} tasks.
            </p>
          )}
          <table className="site-table" aria-label="Implementation per task">
            <thead>
              <tr>
                <th scope="col">pid</th>
                <th scope="col">comm</th>
                <th scope="col">patch_state</th>
                <th scope="col">runs</th>
              </tr>
            </thead>
            <tbody>
              {v.value.tasks.map((t, k) => (
                <tr key={`${t.pid}.${t.comm}.${k}`}>
                  <td>{t.pid}</td>
                  <td>{t.comm}</td>
                  <td>
                    {PATCH_STATE[t.patchState] ?? t.patchState}
                    {t.pending ? ", pending" : ""}
                  </td>
                  <td>
                    {t.runs}
                    {t.patch ? ` (${t.patch})` : " (original)"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
