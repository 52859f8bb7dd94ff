// MachineForm.tsx: the button that opens the machine form (MachineFormBody.tsx, its own chunk:
// the first paint does not wait for it), and the form keyed by what it edits.
import { lazy, Suspense, useState } from "react";
import { useWb } from "../context.ts";

const MachineFormBody = lazy(() => import("./MachineFormBody.tsx"));

export function MachineForm() {
  const scenario = useWb((s) => s.scenario);
  const [open, setOpen] = useState(false);
  if (!scenario) return null;
  // The form starts again from what runs whenever what it edits changed (an apply, a switch).
  const key = JSON.stringify([
    scenario.title,
    scenario.machine,
    scenario.seed,
    scenario.semantics,
    scenario.arch,
  ]);
  return (
    <div className="panel">
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? "Close the machine form" : "Edit the machine…"}
      </button>
      {open && (
        <Suspense fallback={<p role="status">Loading the form…</p>}>
          <MachineFormBody key={key} scenario={scenario} />
        </Suspense>
      )}
    </div>
  );
}
