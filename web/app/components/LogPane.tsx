// LogPane.tsx: the kernel log as dmesg prints it, filterable; each line's timestamp is a button
// that selects its moment (the event that printed it), from which a link to that moment is made.
import { useEffect, useMemo, useRef, useState } from "react";
import { useWb, useWorkbench } from "../context.ts";
import { clock, dmesgStamp } from "../format.ts";

/** Lines rendered at most (the newest); the filter reaches all kept lines. */
const SHOWN = 2000;

export function LogPane() {
  const wb = useWorkbench();
  const log = useWb((s) => s.log);
  const selected = useWb((s) => s.selected);
  const [filter, setFilter] = useState("");
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lines = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const hit = f ? log.filter((l) => l.text.toLowerCase().includes(f)) : log;
    return hit.slice(-SHOWN);
  }, [log, filter]);
  const keys = useMemo(() => lineKeys(lines), [lines]);
  // Follow the newest line unless the reader scrolled up.
  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  const sel = selected === null ? undefined : log.find((l) => l.event === selected);
  return (
    <section className="panel log" aria-labelledby="log-h">
      <div className="panel-head">
        <h2 id="log-h">Kernel log</h2>
        <label>
          Filter <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
      </div>
      <div
        className="scroll"
        ref={box}
        tabIndex={0}
        role="log"
        aria-label="dmesg"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
        }}
      >
        <ol className="dmesg">
          {lines.map((l, i) => (
            <li key={keys[i]} className={l.event === selected ? "selected" : undefined}>
              <button
                type="button"
                className="stamp"
                title={`event #${l.event}`}
                aria-label={`moment ${clock(l.tNs)}, event ${l.event}`}
                onClick={() => wb.select(l.event)}
              >
                {dmesgStamp(l.tNs).trimEnd()}
              </button>{" "}
              {l.text}
            </li>
          ))}
        </ol>
      </div>
      {sel && (
        <p className="moment" role="status">
          Moment: {clock(sel.tNs)}, event #{sel.event}{" "}
          <button
            type="button"
            onClick={() =>
              void wb.copyLink(location.href.split("#")[0]!, {
                atMs: Math.ceil(sel.tNs / 1e6),
                event: sel.event,
              })
            }
          >
            Link to this moment
          </button>{" "}
          <button type="button" onClick={() => void wb.seek({ toNs: sel.tNs })}>
            Jump to this moment
          </button>
        </p>
      )}
    </section>
  );
}

/**
 * A key per line that stays with the line as newer lines push the shown window on: its event and
 * its place among that event's lines. (Keyed by place in the window, every line's key changed with
 * each new line, and React rebuilt all 2,000 of them on every flush.)
 */
function lineKeys(lines: readonly { event: number }[]): string[] {
  const seen = new Map<number, number>();
  return lines.map((l) => {
    const n = seen.get(l.event) ?? 0;
    seen.set(l.event, n + 1);
    return `${l.event}.${n}`;
  });
}
