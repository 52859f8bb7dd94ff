// ModuleErrors.tsx: module code that failed in its sandbox, listed above the columns in words
// (moduleErrors.ts reads them from the kernel log the engine answered): which module, which
// function, what went wrong, what became of it, and what to do. "Show in the log" selects the
// report's line.
import { useMemo } from "react";
import { useWb, useWorkbench } from "../context.ts";
import { consequence, moduleErrors, whatHappened, whatToDo } from "../moduleErrors.ts";

export function ModuleErrors() {
  const wb = useWorkbench();
  const log = useWb((s) => s.log);
  const modules = useWb((s) => s.scenario?.modules);
  const errors = useMemo(
    () =>
      moduleErrors(
        log,
        (modules ?? []).map((m) => m.name),
      ),
    [log, modules],
  );
  if (errors.length === 0) return null;
  return (
    <div className="banner error" role="alert" aria-label="Module code failed">
      <strong>Module code failed in its sandbox.</strong>
      <ul>
        {errors.map((e) => (
          <li key={`${e.module}.${e.fn}.${e.kind}`}>
            <strong>
              {e.module}: {e.fn}
            </strong>
            : {whatHappened(e)}
            {e.count > 1 ? ` (${e.count} times)` : ""}. {consequence(e)} {whatToDo(e)}{" "}
            <button type="button" onClick={() => wb.select(e.event)}>
              Show in the log
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
