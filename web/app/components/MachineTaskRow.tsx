// MachineTaskRow.tsx: one background task of the machine form: its name, period and action, each
// with the validator's refusal beside it.
import type { ReactNode } from "react";
import { type DoesKind, problemsAt, type TaskFields } from "./machineForm.ts";

type Problems = { path: string; message: string }[];

/** The validator's words for one field, tied to it by aria-describedby. */
export function FieldProblems(props: { id: string; messages: string[] }): ReactNode {
  if (!props.messages.length) return null;
  return (
    <span id={props.id} className="field-problem" role="alert">
      {props.messages.join("; ")}
    </span>
  );
}

export function MachineTaskRow(props: {
  index: number;
  task: TaskFields;
  problems: Problems;
  onChange: (t: TaskFields) => void;
  onRemove: () => void;
}) {
  const { index: i, task: t, problems, onChange } = props;
  const at = (f: string) => problemsAt(problems, `machine.tasks[${i}]${f}`);
  const id = (f: string) => `task-${i}-${f}-problem`;
  const field = (f: string) => (at(f).length ? { "aria-describedby": id(f) } : {});
  return (
    <li className="task-row" aria-label={`task ${i + 1}`}>
      <label>
        comm{" "}
        <input
          value={t.comm}
          onChange={(e) => onChange({ ...t, comm: e.target.value })}
          {...field(".comm")}
        />
      </label>
      <FieldProblems id={id(".comm")} messages={at(".comm")} />
      <label>
        every ms{" "}
        <input
          inputMode="numeric"
          value={t.every_ms}
          onChange={(e) => onChange({ ...t, every_ms: e.target.value })}
          {...field(".every_ms")}
        />
      </label>
      <FieldProblems id={id(".every_ms")} messages={at(".every_ms")} />
      <label>
        does{" "}
        <select
          value={t.kind}
          onChange={(e) => onChange({ ...t, kind: e.target.value as DoesKind })}
          {...field(".does")}
        >
          <option value="getpid">getpid() system call</option>
          <option value="read">read a file</option>
          <option value="call">call a kernel function</option>
        </select>
      </label>
      {t.kind !== "getpid" && (
        <label>
          {t.kind === "read" ? "path" : "function"}{" "}
          <input value={t.target} onChange={(e) => onChange({ ...t, target: e.target.value })} />
        </label>
      )}
      {t.kind === "call" && (
        <label>
          from{" "}
          <select
            value={t.from}
            onChange={(e) => onChange({ ...t, from: e.target.value as TaskFields["from"] })}
          >
            <option value="">a kthread (default)</option>
            <option value="kthread">a kthread</option>
            <option value="user">a user process</option>
          </select>
        </label>
      )}
      <FieldProblems id={id(".does")} messages={at(".does")} />
      <button type="button" onClick={props.onRemove}>
        Remove task {i + 1}
      </button>
    </li>
  );
}
