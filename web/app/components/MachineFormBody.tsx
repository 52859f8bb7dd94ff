// MachineFormBody.tsx: the scenario's machine as a form: semantics, arch, seed, CPUs, the livepatch
// debug switch and the background tasks. Apply reopens the scenario through the engine's
// validator, as any open does; a refusal keeps the running scenario and the form's values, and
// each of the validator's problems shows beside the field it names.
import { useState } from "react";
import type { Scenario } from "../../../scenarios/schema.ts";
import { useWorkbench } from "../context.ts";
import {
  machineFields,
  type MachineFields,
  newTask,
  otherProblems,
  problemsAt,
  withMachine,
} from "./machineForm.ts";
import { FieldProblems, MachineTaskRow } from "./MachineTaskRow.tsx";
import "./machineForm.css";

type Problems = { path: string; message: string }[];

export default function MachineFormBody({ scenario }: { scenario: Scenario }) {
  const wb = useWorkbench();
  const [f, setF] = useState<MachineFields>(() => machineFields(scenario));
  const [problems, setProblems] = useState<Problems>([]);
  const [applying, setApplying] = useState(false);
  const at = (path: string) => problemsAt(problems, path);
  const described = (path: string) =>
    at(path).length ? { "aria-describedby": `machine-${path}-problem` } : {};

  async function apply() {
    setApplying(true);
    const opened = await wb.open({ scenario: withMachine(scenario, f), source: "edited" });
    setApplying(false);
    setProblems(opened ? [] : (wb.store.getState().openError?.problems ?? []));
  }

  const setTask = (i: number, t: MachineFields["tasks"][number]) =>
    setF({ ...f, tasks: f.tasks.map((x, j) => (j === i ? t : x)) });
  const select = (name: "semantics" | "arch", options: string[]) => (
    <label>
      {name}{" "}
      <select
        value={f[name]}
        onChange={(e) => setF({ ...f, [name]: e.target.value })}
        {...described(name)}
      >
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
      <FieldProblems id={`machine-${name}-problem`} messages={at(name)} />
    </label>
  );
  const number = (name: "seed" | "cpus", path: string) => (
    <label>
      {name}{" "}
      <input
        inputMode="numeric"
        value={f[name]}
        onChange={(e) => setF({ ...f, [name]: e.target.value })}
        {...described(path)}
      />
      <FieldProblems id={`machine-${path}-problem`} messages={at(path)} />
    </label>
  );
  const others = otherProblems(problems);
  return (
    <form
      className="machine-form"
      aria-label="Machine settings"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <div className="fields">
        {select("semantics", ["mainline", "proposed"])}
        {select("arch", ["x86_64", "arm64"])}
        {number("seed", "seed")}
        {number("cpus", "machine.cpus")}
        <label>
          <input
            type="checkbox"
            checked={f.livepatch_debug}
            onChange={(e) => setF({ ...f, livepatch_debug: e.target.checked })}
          />{" "}
          livepatch pr_debug lines
        </label>
      </div>
      <h3>Background tasks</h3>
      <FieldProblems
        id="machine-tasks-problem"
        messages={problems.filter((p) => p.path === "machine.tasks").map((p) => p.message)}
      />
      <ol className="task-rows">
        {f.tasks.map((t, i) => (
          <MachineTaskRow
            key={i}
            index={i}
            task={t}
            problems={problems}
            onChange={(nt) => setTask(i, nt)}
            onRemove={() => setF({ ...f, tasks: f.tasks.filter((_, j) => j !== i) })}
          />
        ))}
      </ol>
      <button
        type="button"
        onClick={() => setF({ ...f, tasks: [...f.tasks, newTask(f.tasks.length + 1)] })}
      >
        Add a task
      </button>
      {others.length > 0 && (
        <ul className="field-problem" aria-label="Other problems">
          {others.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <button type="submit" disabled={applying}>
        Apply machine and reopen
      </button>
    </form>
  );
}
