// Seeing.tsx: the views below the workbench's columns, in one lazy chunk: the timeline, the
// entry site of a patched function, and the same scenario side by side under other semantics.
import { ComparePanel } from "../compare/ComparePanel.tsx";
import { EntrySite } from "../sites/EntrySite.tsx";
import TimelinePanel from "./TimelinePanel.tsx";

export default function Seeing() {
  return (
    <div className="wide">
      <TimelinePanel />
      <EntrySite />
      <ComparePanel />
    </div>
  );
}
