// EventTable.tsx: the timeline's events as a table, for screen readers and for copying: each row
// an event the engine reported (time, seq, kind, subject, what happened), oldest first, in pages
// of PAGE_ROWS so that every event of a long run is reachable without rendering 100,000 rows.
// It opens on the newest page and stays there as events arrive; selecting an event elsewhere (the
// canvas, a log line) turns to its page. A row's button selects the event as a click on the canvas
// does. Keys on the table's region: PageUp/PageDown a page, Home/End the oldest and newest.
import { useEffect, useState } from "react";
import type { EngineEvent } from "../../../engine/events.ts";
import { clock } from "../format.ts";
import { describeEvent } from "./describe.ts";
import { PAGE_ROWS, pageCount, pageOfSeq, pageRange } from "./paging.ts";

const KEYS: Record<string, (page: number, last: number) => number> = {
  PageUp: (p) => p - 1,
  PageDown: (p) => p + 1,
  Home: () => 0,
  End: (_, last) => last,
};

export function EventTable(p: {
  events: readonly EngineEvent[];
  selected: number | null;
  onSelect: (seq: number) => void;
}) {
  const pages = pageCount(p.events.length);
  const last = pages - 1;
  /** The page shown; null follows the newest. */
  const [page, setPage] = useState<number | null>(null);
  useEffect(() => {
    if (p.selected === null) return;
    const at = pageOfSeq(p.events, p.selected);
    if (at !== null) setPage(at === last ? null : at);
  }, [p.selected]);
  const shown = page ?? last;
  const go = (to: number) => {
    const c = Math.min(last, Math.max(0, to));
    setPage(c === last ? null : c);
  };
  const [from, to] = pageRange(p.events.length, shown);
  const rows = p.events.slice(from, to);
  const nav = (label: string, target: number, disabled: boolean) => (
    <button type="button" disabled={disabled} onClick={() => go(target)}>
      {label}
    </button>
  );
  return (
    <div
      className="scroll timeline-table"
      tabIndex={0}
      role="region"
      aria-label="Timeline events"
      onKeyDown={(e) => {
        const k = KEYS[e.key];
        if (!k || e.target !== e.currentTarget) return;
        e.preventDefault();
        go(k(shown, last));
      }}
    >
      <nav className="table-pages" aria-label="Timeline event pages">
        {nav("Oldest", 0, shown === 0)}
        {nav("Older", shown - 1, shown === 0)}
        <span aria-live="polite">
          Page {shown + 1} of {pages}
        </span>
        {nav("Newer", shown + 1, shown === last)}
        {nav("Newest", last, shown === last)}
      </nav>
      <table>
        <caption>
          Timeline events{" "}
          {p.events.length === 0
            ? "(none)"
            : `${from + 1}–${to} of ${p.events.length} events, oldest first`}
        </caption>
        <thead>
          <tr>
            <th scope="col">time</th>
            <th scope="col">event</th>
            <th scope="col">kind</th>
            <th scope="col">subject</th>
            <th scope="col">what</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e, i) => {
            const d = describeEvent(e);
            // Keyed by place on the page: following the newest page while a 5,000-event delta
            // arrives, the same 100 rows take new text instead of being unmounted and rebuilt.
            return (
              <tr key={i} className={e.seq === p.selected ? "selected" : undefined}>
                <td>{clock(e.tNs)}</td>
                <td>
                  <button
                    type="button"
                    className="stamp"
                    aria-pressed={e.seq === p.selected}
                    onClick={() => p.onSelect(e.seq)}
                  >
                    #{e.seq}
                  </button>
                </td>
                <td>{e.kind}</td>
                <td>{d.subject}</td>
                <td>{d.what}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">{PAGE_ROWS} events a page; PageUp, PageDown, Home and End turn pages.</p>
    </div>
  );
}
