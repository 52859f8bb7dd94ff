// EventTable.tsx: the timeline's events as a table, for screen readers and for copying: each row
// an event the engine reported (time, seq, kind, subject, what happened), newest last; a row's
// button selects the event as a click on the canvas does.
import type { EngineEvent } from "../../../engine/events.ts";
import { clock } from "../format.ts";
import { describeEvent } from "./describe.ts";

/** Rows rendered at most (the newest): a table of 100,000 rows would stall the page. */
const SHOWN = 1000;

export function EventTable(p: {
  events: readonly EngineEvent[];
  selected: number | null;
  onSelect: (seq: number) => void;
}) {
  const shown = p.events.slice(-SHOWN);
  return (
    <div className="scroll timeline-table" tabIndex={0} role="region" aria-label="Timeline events">
      <table>
        <caption>
          Timeline events{" "}
          {p.events.length > shown.length
            ? `(the newest ${shown.length} of ${p.events.length})`
            : `(${p.events.length})`}
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
          {shown.map((e) => {
            const d = describeEvent(e);
            return (
              <tr key={e.seq} className={e.seq === p.selected ? "selected" : undefined}>
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
    </div>
  );
}
