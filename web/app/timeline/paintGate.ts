// paintGate.ts: at most one immediate paint per animation frame. Input aligned to frames (wheel,
// mousemove) gets one handler call a frame anyway; pointerrawupdate can come at the mouse's own
// rate (1 kHz for some), and painting on each would fill the main thread. The first request after
// a frame paints at once (that is the latency a user feels); later ones in the same frame are
// folded into one paint in the next animation frame callback, with the zoom as it is by then.
export type Raf = (cb: () => void) => unknown;

export function paintGate(paint: () => void, raf: Raf): () => void {
  let paintedThisFrame = false;
  let pending = false;
  const frame = () => {
    paintedThisFrame = false;
    if (!pending) return;
    pending = false;
    paintNow();
  };
  const paintNow = () => {
    paint();
    if (!paintedThisFrame) raf(frame);
    paintedThisFrame = true;
  };
  return () => {
    if (paintedThisFrame) pending = true;
    else paintNow();
  };
}
