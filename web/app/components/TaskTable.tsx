// TaskTable.tsx: every task as the engine holds it: its patch_state and TIF_PATCH_PENDING from the
// core, and why it has not switched yet, in klp_try_switch_task's words from its last failure.
// (The idle tasks all have pid 0, so a row is keyed by pid, comm and place.)
import { useWb } from "../context.ts";
import { blockedReason, PATCH_STATE } from "../format.ts";

export function TaskTable() {
  const view = useWb((s) => s.view);
  if (!view) return null;
  return (
    <section className="panel" aria-labelledby="tasks-h">
      <h2 id="tasks-h">Tasks</h2>
      <div className="scroll" tabIndex={0} role="region" aria-label="Task table">
        <table className="tasks">
          <thead>
            <tr>
              <th scope="col">pid</th>
              <th scope="col">comm</th>
              <th scope="col">state</th>
              <th scope="col">patch_state</th>
              <th scope="col">pending</th>
              <th scope="col">why not switched</th>
            </tr>
          </thead>
          <tbody>
            {view.tasks.map((t, i) => (
              <tr key={`${t.pid}.${t.comm}.${i}`} className={t.pending ? "pending" : undefined}>
                <td>{t.pid}</td>
                <td>{t.comm}</td>
                <td>
                  {t.run}
                  {t.interruptible === false ? " (uninterruptible)" : ""}
                  {t.stack.length > 0 && (
                    <div className="frames" title="kernel stack, innermost first">
                      {t.stack.join(" ← ")}
                    </div>
                  )}
                </td>
                <td>{PATCH_STATE[t.patchState] ?? t.patchState}</td>
                <td>{t.pending ? "yes" : "no"}</td>
                <td>{t.pending ? (t.blocked ? blockedReason(t.blocked) : "not tried yet") : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.taskCount > view.tasks.length && (
        <p className="muted">
          {view.tasks.length} of {view.taskCount} tasks shown.
        </p>
      )}
    </section>
  );
}
