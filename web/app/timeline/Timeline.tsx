// Timeline.tsx: the canvas timeline (its own chunk, with d3). A d3 time scale maps virtual time to
// pixels; d3-zoom turns wheel and drag into a transform of that scale, and so do W/S (zoom) and
// A/D (pan), read by KeyboardEvent.code so that they sit under the same fingers on any layout.
// The axis is SVG (d3-axis); the rows are canvas (draw.ts). A zoom or pan paints at once, from
// the input's own handler, without a React render: React only follows (the range text, the
// tooltip) when the input pauses, so the input-to-draw time is the draw's (timeline_frame_p95_ms).
// A mouse drag is read from pointerrawupdate where there is one (rawDrag.ts), so it does not wait
// for the next frame as mousemove does; paintGate.ts keeps that to one immediate paint a frame.
import { axisTop } from "d3-axis";
import { type ScaleLinear, scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from "d3-zoom";
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { clock } from "../format.ts";
import { callbackColours } from "./colours.ts";
import { draw, GUTTER, hit, prepare, type Prepared, ROW_H, themePalette } from "./draw.ts";
import type { Viewport } from "../../timeline/lod.ts";
import { paintGate } from "./paintGate.ts";
import { hasRawUpdates, rawDragPan } from "./rawDrag.ts";
import type { Row, RowItem } from "./rows.ts";

export interface TimelineProps {
  rows: Row[];
  startNs: number;
  endNs: number;
  nowNs: number;
  playing: boolean;
  selected: number | null;
  /** Where a selection elsewhere (a log line) asks the view to go. */
  focusNs: number | null;
  onSelect: (seq: number) => void;
  /** Events to outline (the side-by-side view's diverging events), by seq. */
  marked?: ReadonlySet<number>;
}

const AXIS_H = 22;
/** Performance marks at each draw's start and end (an observer sees them; no buffer grows). */
const DRAW_START_MARK = "klp-timeline-draw-start";
const DRAWN_MARK = "klp-timeline-draw";
/** How long after the last zoom input the range text and tooltip follow (ms). */
const FOLLOW_MS = 120;
const KEYS: Record<
  string,
  (z: ZoomBehavior<HTMLDivElement, unknown>, el: HTMLDivElement, w: number) => void
> = {
  KeyW: (z, el) => z.scaleBy(select(el), 1.5),
  KeyS: (z, el) => z.scaleBy(select(el), 1 / 1.5),
  KeyA: (z, el, w) => z.translateBy(select(el), w / 8, 0),
  KeyD: (z, el, w) => z.translateBy(select(el), -w / 8, 0),
};

export default function Timeline(p: TimelineProps) {
  const helpId = useId();
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const axis = useRef<SVGGElement>(null);
  const zb = useRef<ZoomBehavior<HTMLDivElement, unknown> | null>(null);
  /** The zoom as of the last input: painting reads it, React's copy (t) may lag a frame. */
  const tNow = useRef<ZoomTransform>(zoomIdentity);
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<{ it: RowItem; x: number; y: number } | null>(null);
  const prepared = useMemo(() => prepare(p.rows), [p.rows]);
  const colours = useMemo(() => callbackColours(p.rows), [p.rows]);
  const plotW = Math.max(50, width - GUTTER);
  const span = Math.max(1e6, p.endNs - p.startNs);
  const base = useMemo(
    () =>
      scaleLinear()
        .domain([p.startNs, p.startNs + span])
        .range([0, plotW]),
    [p.startNs, span, plotW],
  );
  const viewOf = (tr: ZoomTransform): Viewport => {
    const [fromNs, toNs] = tr.rescaleX(base).domain() as [number, number];
    return { fromNs, toNs, widthPx: plotW };
  };
  const { fromNs, toNs } = viewOf(t);

  // What a paint needs, current as of the last render (the zoom handler paints between renders).
  const frame = useRef<PaintInput | null>(null);
  frame.current = {
    prepared,
    colours,
    width,
    base,
    nowNs: p.nowNs,
    selected: p.selected,
    plotW,
    ...(p.marked ? { marked: p.marked } : {}),
  };
  const paint = () => {
    const f = frame.current;
    if (f && canvas.current && axis.current)
      paintFrame(f, tNow.current, canvas.current, axis.current);
  };
  const follow = useRef(0);

  useEffect(() => {
    const el = box.current!;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    const raw = hasRawUpdates();
    const gated = paintGate(paint, (cb) => requestAnimationFrame(cb));
    const z = zoom<HTMLDivElement, unknown>()
      .scaleExtent([1, 1e7])
      // With pointerrawupdate, mouse drags are rawDrag.ts's (it drives this same zoom).
      .filter((e: Event & { button?: number; ctrlKey?: boolean }) =>
        raw && e.type === "mousedown" ? false : (!e.ctrlKey || e.type === "wheel") && !e.button,
      )
      .on("zoom", (e: { transform: ZoomTransform }) => {
        tNow.current = e.transform;
        gated();
        // React follows when the input pauses (the range text, the tooltip): a render and the page's
        // relayout per frame would delay the next input's dispatch, and a live region would chatter.
        clearTimeout(follow.current);
        follow.current = window.setTimeout(() => {
          setHover(null);
          setT(tNow.current);
        }, FOLLOW_MS);
      });
    select(el).call(z);
    zb.current = z;
    const undrag = raw ? rawDragPan(el, z, () => tNow.current) : () => {};
    return () => {
      undrag();
      ro.disconnect();
      clearTimeout(follow.current);
      select(el).on(".zoom", null);
    };
  }, []);
  // The zoom's translate extent follows the plot's width: the run cannot be panned off screen.
  useEffect(() => {
    zb.current
      ?.translateExtent([
        [0, 0],
        [plotW, 1],
      ])
      .extent([
        [0, 0],
        [plotW, 1],
      ]);
  }, [plotW]);

  // The current moment follows play and step: when it leaves a zoomed view, the view pans to it.
  useEffect(() => {
    const z = zb.current;
    const v = viewOf(tNow.current);
    if (!z || tNow.current.k === 1 || (p.nowNs >= v.fromNs && p.nowNs <= v.toNs)) return;
    z.translateTo(select(box.current!), base(p.nowNs), 0);
  }, [p.nowNs]);
  useEffect(() => {
    const z = zb.current;
    if (!z || p.focusNs === null) return;
    z.translateTo(select(box.current!), base(p.focusNs), 0);
  }, [p.focusNs]);

  // Everything but the zoom (which paints from its handler) repaints after the render it changed.
  useLayoutEffect(paint, [prepared, width, base, p.nowNs, p.selected, p.marked]);

  const at = (e: React.MouseEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  return (
    <div className="timeline">
      <p className="muted" role="status" aria-live="polite" data-testid="timeline-range">
        Showing {clock(fromNs)} to {clock(toNs)}
      </p>
      <div
        ref={box}
        className="timeline-plot"
        tabIndex={0}
        role="application"
        aria-label="Timeline: W and S zoom, A and D pan; the table below lists the same events"
        aria-describedby={helpId}
        onKeyDown={(e) => {
          const k = KEYS[e.code];
          if (!k || e.ctrlKey || e.metaKey || e.altKey || !zb.current) return;
          e.preventDefault();
          k(zb.current, box.current!, plotW);
        }}
      >
        <svg width={width} height={AXIS_H} aria-hidden="true">
          <g ref={axis} transform={`translate(${GUTTER},${AXIS_H - 1})`} />
        </svg>
        <canvas
          ref={canvas}
          style={{ width: "100%", display: "block" }}
          aria-hidden="true"
          onMouseMove={(e) => {
            // While a drag pans, the tooltip would only chase the pointer.
            if (e.buttons) return;
            const { x, y } = at(e);
            const it = hit(prepared, viewOf(tNow.current), x, y);
            setHover(it ? { it, x, y } : null);
          }}
          onMouseLeave={() => setHover(null)}
          onClick={(e) => {
            const { x, y } = at(e);
            const it = hit(prepared, viewOf(tNow.current), x, y);
            if (it && it.seq >= 0) p.onSelect(it.seq);
          }}
        />
        {hover && (
          <div
            className="timeline-tip"
            role="tooltip"
            style={{ left: hover.x + 12, top: hover.y + AXIS_H + 8 }}
          >
            {clock(hover.it.startNs)}: {hover.it.text}
          </div>
        )}
      </div>
      <p id={helpId} className="muted">
        Wheel or W/S to zoom, drag or A/D to pan; click a mark to select its event.
      </p>
    </div>
  );
}

interface PaintInput {
  prepared: Prepared[];
  colours: ReadonlyMap<string, string>;
  width: number;
  base: ScaleLinear<number, number>;
  nowNs: number;
  selected: number | null;
  plotW: number;
  marked?: ReadonlySet<number>;
}

/** Paints the rows and the axis at zoom `tr`; the canvas is resized only when its size changed. */
function paintFrame(f: PaintInput, tr: ZoomTransform, c: HTMLCanvasElement, g: SVGGElement): void {
  performance.mark(DRAW_START_MARK);
  performance.clearMarks(DRAW_START_MARK);
  const dpr = window.devicePixelRatio || 1;
  const h = f.prepared.length * ROW_H;
  if (c.width !== f.width * dpr || c.height !== h * dpr) {
    c.width = f.width * dpr;
    c.height = h * dpr;
    c.style.height = `${h}px`;
  }
  const ctx = c.getContext("2d")!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const scale = tr.rescaleX(f.base);
  const [fromNs, toNs] = scale.domain() as [number, number];
  const view = { fromNs, toNs, widthPx: f.plotW };
  const outlined = draw(f.prepared, {
    ctx,
    width: f.width,
    view,
    nowNs: f.nowNs,
    selected: f.selected,
    p: themePalette(c),
    colours: f.colours,
    ...(f.marked ? { marked: f.marked } : {}),
  });
  // What was outlined, for the tests and assistive tools (a canvas has no text of its own).
  if (f.marked) c.dataset.outlined = [...new Set(outlined)].sort((x, y) => x - y).join(" ");
  select(g).call(
    axisTop(scale)
      .ticks(Math.max(2, f.plotW / 90))
      .tickFormat((n) => clock(+n)),
  );
  // A label centred on a tick at the right edge would be cut by the SVG's end: it ends there.
  select(g)
    .selectAll<SVGTextElement, number>(".tick text")
    .attr("text-anchor", (d) => (scale(d) > f.plotW - 30 ? "end" : "middle"));
  performance.mark(DRAWN_MARK);
  performance.clearMarks(DRAWN_MARK);
}
