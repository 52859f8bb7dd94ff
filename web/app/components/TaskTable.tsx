// TaskTable.tsx: every task as the engine holds it: its patch_state and TIF_PATCH_PENDING from the
// core, and why it has not switched yet, in klp_try_switch_task's words from its last failure.
// A machine may have 100,000 tasks, so the table is windowed: rows have one fixed height, only the
// rows in (and near) the scrolled-to part are in the DOM, spacer rows stand for the others, and the
// engine sends only a window of the task list (op "view"), asked for again as the reader scrolls.
// (The idle tasks all have pid 0, so a row is keyed by pid, comm and place.)
import { useEffect, useRef, useState } from "react";
import type { TaskView } from "../../../engine/scenario/view.ts";
import { useWb, useWorkbench } from "../context.ts";
import { blockedReason, PATCH_STATE } from "../format.ts";

/** A row's height (px), as app.css's `.tasks.windowed tr` sets it. */
export const TASK_ROW_PX = 40;
/** Rows rendered beyond the visible ones on each side (a fast scroll shows no blank rows). */
const OVERSCAN = 10;
/** Rows the engine sends around the visible ones (a window of this many is asked for). */
const FETCH = 300;
const COLUMNS = 6;

/** The visible rows [first, last) for a scroll position. */
function visible(scrollTop: number, height: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / TASK_ROW_PX) - OVERSCAN);
  return { first, last: Math.ceil((scrollTop + height) / TASK_ROW_PX) + OVERSCAN };
}

function Spacer({ rows }: { rows: number }) {
  if (rows <= 0) return null;
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={COLUMNS} style={{ height: rows * TASK_ROW_PX }} />
    </tr>
  );
}

function Row({ t, index }: { t: TaskView; index: number }) {
  const why = t.pending ? (t.blocked ? blockedReason(t.blocked) : "not tried yet") : "";
  // aria-rowindex counts the header row as 1.
  return (
    <tr aria-rowindex={index + 2} className={t.pending ? "pending" : undefined}>
      <td>{t.pid}</td>
      <td>{t.comm}</td>
      <td>
        <div className="cell">
          {t.run}
          {t.interruptible === false ? " (uninterruptible)" : ""}
        </div>
        {t.stack.length > 0 && (
          <div className="frames cell" title="kernel stack, innermost first">
            {t.stack.join(" ← ")}
          </div>
        )}
      </td>
      <td>{PATCH_STATE[t.patchState] ?? t.patchState}</td>
      <td>{t.pending ? "yes" : "no"}</td>
      <td>
        <div className="clamp" title={why || undefined}>
          {why}
        </div>
      </td>
    </tr>
  );
}

export function TaskTable() {
  const wb = useWorkbench();
  const view = useWb((s) => s.view);
  const box = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ first: 0, last: 3 * OVERSCAN });
  /** The window last asked of the engine: asked again only when the visible rows leave it. */
  const asked = useRef({ offset: 0, limit: 0 });
  const measure = () => {
    const el = box.current;
    if (el) setRange(visible(el.scrollTop, el.clientHeight));
  };
  useEffect(measure, [view !== null]);
  const count = view?.taskCount ?? 0;
  const last = Math.min(range.last, count);
  useEffect(() => {
    const a = asked.current;
    if (count === 0 || (range.first >= a.offset && last <= a.offset + a.limit)) return;
    const offset = Math.max(0, Math.floor((range.first + last - FETCH) / 2));
    asked.current = { offset, limit: FETCH };
    void wb.query({ op: "view", tasks: asked.current });
  }, [wb, range.first, last, count]);
  if (!view) return null;
  // The rows both visible and in the engine's window; the spacers keep every row's place.
  const from = Math.max(range.first, view.taskOffset);
  const to = Math.min(last, view.taskOffset + view.tasks.length);
  const rows = to > from ? view.tasks.slice(from - view.taskOffset, to - view.taskOffset) : [];
  const top = rows.length ? from : count;
  return (
    <section className="panel" aria-labelledby="tasks-h">
      <h2 id="tasks-h">Tasks</h2>
      <div
        className="scroll"
        ref={box}
        tabIndex={0}
        role="region"
        aria-label="Task table"
        onScroll={measure}
      >
        <table className="tasks windowed" aria-rowcount={count + 1}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">pid</th>
              <th scope="col">comm</th>
              <th scope="col">state</th>
              <th scope="col">
                patch_
                <wbr />
                state
              </th>
              <th scope="col">pending</th>
              <th scope="col">why not switched</th>
            </tr>
          </thead>
          <tbody>
            <Spacer rows={top} />
            {rows.map((t, i) => (
              <Row key={`${t.pid}.${t.comm}.${from + i}`} t={t} index={from + i} />
            ))}
            <Spacer rows={rows.length ? count - to : 0} />
          </tbody>
        </table>
      </div>
      {count > rows.length && <p className="muted">{count} tasks; scroll for the others.</p>}
    </section>
  );
}
