// EntrySite.tsx: the entry site of a patched function at the current moment, read from the core
// through the session (op "entry-site"): its bytes and disassembly on the scenario's architecture,
// what a CPU executing it does now, its func_stack, and which implementation each task would run.
// It is asked again whenever the engine reports new events (the site changes only with events).
// The kernel rewrites a site in stages that run in one batch, so no pause falls between them: the
// view steps through them instead (Previous/Next poke stage select the function's site events),
// showing what the engine kept from the core right after each (engine/host/pokes.ts). Beside the
// disassembly, the same bytes read again from the core's text arena by address (op "text").
import { memo, useEffect, useState } from "react";
import type { SessionAnswer } from "../../../engine/host/protocol.ts";
import type { TaskImplementation } from "../../../engine/machine/entry-site.ts";
import { useWb, useWorkbench } from "../context.ts";
import { PATCH_STATE } from "../format.ts";
import { SiteEvents } from "./siteEvents.ts";
import { next, previous, stagesOf, type Stages } from "./stages.ts";

type Site = NonNullable<SessionAnswer["site"]>;

/** The entry's bytes read from the text arena by address, apart from the view's own read. */
function TextArena(p: { addr: string; len: number; atEvent: number | null; eventCount: number }) {
  const wb = useWorkbench();
  // The answer keeps the question it answers: until the read for these props is back, the bytes
  // shown are an older moment's, and the pane says so (aria-busy) rather than pass for current.
  const want = `${p.addr}:${p.len}:${p.atEvent ?? "now"}:${p.eventCount}`;
  const [answer, setAnswer] = useState<{ key: string; text: string }>({ key: "", text: "" });
  useEffect(() => {
    let live = true;
    const at = p.atEvent === null ? {} : { atEvent: p.atEvent };
    void wb.query({ op: "text", addr: p.addr, len: p.len, ...at }).then((r) => {
      const t = r?.ok ? r.value.text : undefined;
      if (live && t)
        setAnswer({ key: want, text: t.ok ? `${t.value.addr}: ${t.value.bytes}` : t.error });
    });
    return () => {
      live = false;
    };
  }, [wb, want, p.addr, p.len, p.atEvent]);
  return (
    <>
      <h3>Text arena (read again by address)</h3>
      <pre className="site-bytes" data-testid="text-arena" aria-busy={answer.key !== want}>
        {answer.text}
      </pre>
    </>
  );
}

/**
 * One task's row. Every answer brings 200 new row objects, most of them unchanged: compared by
 * value, only the rows whose task switched render again.
 */
const SiteTaskRow = memo(
  function SiteTaskRow({ t }: { t: TaskImplementation }) {
    return (
      <tr>
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
    );
  },
  (a, b) =>
    a.t.pid === b.t.pid &&
    a.t.comm === b.t.comm &&
    a.t.patchState === b.t.patchState &&
    a.t.pending === b.t.pending &&
    a.t.runs === b.t.runs &&
    a.t.patch === b.t.patch,
);

function StageControls({ st, select }: { st: Stages; select: (seq: number | null) => void }) {
  const prev = previous(st);
  const nxt = next(st);
  const at = st.at === null ? null : st.all[st.at]!;
  return (
    <div className="site-stages" role="group" aria-label="Poke stages">
      <button type="button" disabled={!prev} onClick={() => prev && select(prev.seq)}>
        Previous poke stage
      </button>
      <button type="button" disabled={!nxt} onClick={() => nxt && select(nxt.seq)}>
        Next poke stage
      </button>
      <button type="button" disabled={!at} onClick={() => select(null)}>
        Now
      </button>
      <span role="status" data-testid="poke-stage">
        {at
          ? `Poke stage ${st.at! + 1} of ${st.all.length}: right after event #${at.seq} (step ${at.step}).`
          : `Now; ${st.all.length} poke stages so far.`}
      </span>
    </div>
  );
}

export function EntrySite() {
  const wb = useWorkbench();
  const eventCount = useWb((s) => s.eventCount);
  const scenario = useWb((s) => s.scenario);
  const events = useWb((s) => s.events);
  const selected = useWb((s) => s.selected);
  const [func, setFunc] = useState<string | undefined>(undefined);
  // The site with the question it answers (see `want` below): an older answer stays on screen
  // while the next is read, marked aria-busy, so stepping through stages never flickers.
  const [answer, setAnswer] = useState<{ key: string; site: Site | null }>({
    key: "",
    site: null,
  });
  const site = answer.site;
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
  // A selected site event is a poke stage: the view shows its function as it was right after it.
  const sel = selected === null ? undefined : events[selected];
  const stage = sel?.kind === "site" ? sel : null;
  const chosen = stage?.func ?? func ?? known[0];
  // Only the site events (read as the stream grows, siteEvents.ts), not the whole stream.
  const [siteEvents] = useState(() => new SiteEvents());
  const sites = siteEvents.of(events);
  const st = stagesOf(sites, chosen, stage?.seq ?? null);
  const want = stage ? `event ${stage.seq}` : `now ${eventCount} ${chosen ?? ""}`;
  useEffect(() => {
    let live = true;
    const which = stage ? { atEvent: stage.seq } : chosen ? { func: chosen } : {};
    void wb.query({ op: "entry-site", ...which }).then((r) => {
      if (live && r?.ok) setAnswer({ key: want, site: r.value.site ?? null });
    });
    return () => {
      live = false;
    };
  }, [wb, want, chosen, stage]);
  const v = site?.view;
  return (
    <section className="panel" aria-labelledby="site-h">
      <div className="panel-head">
        <h2 id="site-h">Entry site</h2>
        {known.length > 0 && (
          <label>
            Function{" "}
            <select
              value={chosen}
              onChange={(e) => {
                setFunc(e.target.value);
                if (stage) wb.select(null);
              }}
            >
              {known.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {st.all.length > 0 && <StageControls st={st} select={wb.select} />}
      {!v ? (
        <p className="muted">No function has been patched yet in this scenario.</p>
      ) : !v.ok ? (
        <p role="status">
          {v.error}
          {st.all.length > 0 && ". Previous poke stage shows its site as it was then."}
        </p>
      ) : (
        <div data-testid="entry-site" aria-busy={answer.key !== want}>
          <p>
            <code>{v.value.func}</code> on {v.value.arch}: the site is{" "}
            <strong>{v.value.state}</strong>; a CPU there {stage ? "then" : "now"}{" "}
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
                  <td>{i.address}</td>
                  <td>{i.bytes}</td>
                  <td>
                    {i.text}
                    {i.site ? " ← rec->ip" : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <TextArena
            addr={v.value.entryAddr}
            len={v.value.bytes.split(" ").length}
            atEvent={stage?.seq ?? null}
            eventCount={eventCount}
          />
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
          <h3>What each task would run {stage ? "then" : "now"}</h3>
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
                <SiteTaskRow key={`${t.pid}.${t.comm}.${k}`} t={t} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
