// rawDrag.ts: drag-to-pan read from `pointerrawupdate` where the browser has it. Chromium holds
// mousemove (and d3-zoom's drag, which listens to it) until the next animation frame, so a pan
// waited up to a frame before it drew; pointerrawupdate is dispatched as soon as the main thread
// is free. The pan itself stays d3-zoom's: translateTo keeps the point grabbed under the pointer
// and applies the translate extent, exactly as d3's own mouse drag does. Touch stays with d3-zoom.
import { select } from "d3-selection";
import type { ZoomBehavior, ZoomTransform } from "d3-zoom";

/** pointerrawupdate exists (Chromium, in a secure context; 127.0.0.1 is one). */
export function hasRawUpdates(): boolean {
  return typeof window !== "undefined" && "onpointerrawupdate" in window;
}

interface Drag {
  id: number;
  /** The box's client position at the press. */
  left: number;
  top: number;
  /** Where the press was (box pixels), and the point of the plot it grabbed (zoom's units). */
  at: [number, number];
  grab: [number, number];
  moved: boolean;
}

/** d3-zoom's default filter, as it applies to a mouse or pen button press. */
function startsDrag(e: PointerEvent): boolean {
  return e.pointerType !== "touch" && e.button === 0 && !e.ctrlKey;
}

/**
 * Pans `el`'s zoom by mouse and pen drags read from pointerrawupdate; d3-zoom must be told to
 * leave mousedown alone (its filter). @returns the cleanup.
 */
export function rawDragPan<E extends HTMLElement>(
  el: E,
  z: ZoomBehavior<E, unknown>,
  current: () => ZoomTransform,
): () => void {
  const sel = select(el);
  let drag: Drag | null = null;
  const stop = (e: Event) => {
    e.preventDefault();
    e.stopImmediatePropagation();
  };
  const down = (e: PointerEvent) => {
    if (!startsDrag(e)) return;
    // The box's place is read once: reading it on every move would force a layout after each paint.
    const r = el.getBoundingClientRect();
    const left = r.left + el.clientLeft;
    const top = r.top + el.clientTop;
    const t = current();
    const at: [number, number] = [e.clientX - left, e.clientY - top];
    drag = { id: e.pointerId, left, top, at, grab: t.invert(at), moved: false };
    // On the window, as d3's own drag listens: the drag goes on outside the box. No pointer
    // capture: it would retarget the press's click away from the canvas (mark selection).
    listen(true);
  };
  const move = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id || !(e.buttons & 1)) return;
    const p: [number, number] = [e.clientX - drag.left, e.clientY - drag.top];
    drag.moved ||= p[0] !== drag.at[0] || p[1] !== drag.at[1];
    z.translateTo(sel, drag.grab[0], drag.grab[1], p);
  };
  const up = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    const moved = drag.moved;
    drag = null;
    listen(false);
    // As d3's drag does: a press that panned is not also a click on the mark below it.
    if (moved) {
      window.addEventListener("click", stop, true);
      setTimeout(() => window.removeEventListener("click", stop, true), 0);
    }
  };
  const during: [string, EventListener][] = [
    ["pointerrawupdate", move as EventListener],
    ["pointerup", up as EventListener],
    ["pointercancel", up as EventListener],
    ["selectstart", stop],
    ["dragstart", stop],
  ];
  const listen = (on: boolean) => {
    for (const [type, f] of during)
      if (on) window.addEventListener(type, f, true);
      else window.removeEventListener(type, f, true);
  };
  el.addEventListener("pointerdown", down);
  return () => {
    el.removeEventListener("pointerdown", down);
    listen(false);
  };
}
