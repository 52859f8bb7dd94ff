// App.tsx: the workbench's layout: a header (scenario, model, theme, link), the run controls, then
// three columns on a laptop screen: what the scenario is and its script; the livepatch stack and
// the tasks; the kernel log and the shell. The editor loads only when asked for (Monaco is large).
import { lazy, Suspense, useState } from "react";
import { Controls } from "./components/Controls.tsx";
import { FilesPane } from "./components/FilesPane.tsx";
import { Header } from "./components/Header.tsx";
import { LogPane } from "./components/LogPane.tsx";
import { MachineForm } from "./components/MachineForm.tsx";
import { PatchStack } from "./components/PatchStack.tsx";
import { ScenarioInfo } from "./components/ScenarioInfo.tsx";
import { ScriptPane } from "./components/ScriptPane.tsx";
import { ShellConsole } from "./components/ShellConsole.tsx";
import { TaskTable } from "./components/TaskTable.tsx";
import { Troubles } from "./components/Troubles.tsx";

const ModuleEditor = lazy(() => import("./editor/ModuleEditor.tsx"));
// The timeline (with d3), the entry-site and compare views: their own chunks, after first paint.
const Seeing = lazy(() => import("./timeline/Seeing.tsx"));

export function App() {
  const [editing, setEditing] = useState(false);
  return (
    <div className="app">
      <Header />
      <Troubles />
      <Controls />
      <main className="columns">
        <section className="col" aria-label="Scenario">
          <ScenarioInfo />
          <ScriptPane />
          <MachineForm />
          <div className="panel">
            <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
              {editing ? "Close the module editor" : "Edit module source…"}
            </button>
            {editing && (
              <Suspense fallback={<p role="status">Loading the editor…</p>}>
                <ModuleEditor />
              </Suspense>
            )}
          </div>
        </section>
        <section className="col" aria-label="Machine">
          <PatchStack />
          <TaskTable />
          <FilesPane />
        </section>
        <section className="col" aria-label="Kernel log and shell">
          <LogPane />
          <ShellConsole />
        </section>
      </main>
      <Suspense fallback={<p role="status">Loading the timeline…</p>}>
        <Seeing />
      </Suspense>
    </div>
  );
}
