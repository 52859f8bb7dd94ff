// keys.ts: the workbench's keyboard shortcuts (listed in the run controls). They act only when
// focus is not in a field, a button or the editor, so typing and native activation keep working.
import type { Workbench } from "./store.ts";

export const SHORTCUTS: readonly { key: string; does: string }[] = [
  { key: "Space", does: "play / pause" },
  { key: ".", does: "step to the next event" },
  { key: ",", does: "step back one event" },
  { key: "n", does: "step over a script line" },
  { key: "g", does: "go to a time" },
  { key: "/", does: "focus the shell" },
  { key: "Esc", does: "stop a busy engine" },
];

function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return (
    t.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT", "BUTTON"].includes(t.tagName) ||
    t.closest(".monaco") !== null
  );
}

export function installKeys(wb: Workbench): void {
  addEventListener("keydown", (e) => {
    // Stop also works from the shell's field (a runaway line was typed there); not in the
    // editor, whose Escape closes its widgets.
    const inEditor = e.target instanceof HTMLElement && e.target.closest(".monaco") !== null;
    const { busy, engineMode } = wb.store.getState();
    if (e.key === "Escape" && !inEditor && busy && engineMode === "worker") {
      e.preventDefault();
      void wb.stopEngine();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === " ") {
      e.preventDefault();
      if (wb.store.getState().playing) wb.pause();
      else wb.play();
    } else if (e.key === ".") {
      e.preventDefault();
      void wb.step();
    } else if (e.key === ",") {
      e.preventDefault();
      void wb.stepBack();
    } else if (e.key === "n") {
      e.preventDefault();
      void wb.stepOver();
    } else if (e.key === "/") {
      e.preventDefault();
      document.getElementById("shell-in")?.focus();
    } else if (e.key === "g") {
      e.preventDefault();
      document.getElementById("goto-in")?.focus();
    }
  });
}
