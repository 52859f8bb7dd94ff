// Timeline.tsx: the canvas timeline (its own chunk, with d3). A d3 time scale maps virtual time to
// pixels; d3-zoom turns wheel and drag into a transform of that scale, and so do W/S (zoom) and
// A/D (pan), read by KeyboardEvent.code so that they sit under the same fingers on any layout.
// The axis is SVG (d3-axis); the rows are canvas (draw.ts), redrawn once per change.
import { axisTop } from "d3-axis";
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from "d3-zoom";
import { useEffect, useMemo, useRef, useState } from "react";
import { clock } from "../format.ts";
import { draw, GUTTER, hit, palette, prepare, ROW_H } from "./draw.ts";
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
}

const AXIS_H = 22;
const DRAWN_MARK = "klp-timeline-draw";
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
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const axis = useRef<SVGGElement>(null);
  const zb = useRef<ZoomBehavior<HTMLDivElement, unknown> | null>(null);
  const [t, setT] = useState<ZoomTransform>(zoomIdentity);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<{ it: RowItem; x: number; y: number } | null>(null);
  const prepared = useMemo(() => prepare(p.rows), [p.rows]);
  const plotW = Math.max(50, width - GUTTER);
  const span = Math.max(1e6, p.endNs - p.startNs);
  const base = useMemo(
    () =>
      scaleLinear()
        .domain([p.startNs, p.startNs + span])
        .range([0, plotW]),
    [p.startNs, span, plotW],
  );
  const scale = t.rescaleX(base);
  const [fromNs, toNs] = scale.domain() as [number, number];
  const view = { fromNs, toNs, widthPx: plotW };

  useEffect(() => {
    const el = box.current!;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    const z = zoom<HTMLDivElement, unknown>()
      .scaleExtent([1, 1e7])
      .on("zoom", (e: { transform: ZoomTransform }) => setT(e.transform));
    select(el).call(z);
    zb.current = z;
    return () => {
      ro.disconnect();
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
    if (!z || t.k === 1 || (p.nowNs >= fromNs && p.nowNs <= toNs)) return;
    z.translateTo(select(box.current!), base(p.nowNs), 0);
  }, [p.nowNs]);
  useEffect(() => {
    const z = zb.current;
    if (!z || p.focusNs === null) return;
    z.translateTo(select(box.current!), base(p.focusNs), 0);
  }, [p.focusNs]);

  useEffect(() => {
    const c = canvas.current!;
    const dpr = window.devicePixelRatio || 1;
    const h = prepared.length * ROW_H;
    c.width = width * dpr;
    c.height = h * dpr;
    c.style.height = `${h}px`;
    const ctx = c.getContext("2d")!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw(prepared, { ctx, width, view, nowNs: p.nowNs, selected: p.selected, p: palette(c) });
    // The draw's end, for bench/browser/timelineFrame.ts (an observer sees it; no buffer grows).
    performance.mark(DRAWN_MARK);
    performance.clearMarks(DRAWN_MARK);
    select(axis.current!).call(
      axisTop(scale)
        .ticks(Math.max(2, plotW / 90))
        .tickFormat((n) => clock(+n)),
    );
  });

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
        aria-describedby="timeline-help"
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
            const { x, y } = at(e);
            const it = hit(prepared, view, x, y);
            setHover(it ? { it, x, y } : null);
          }}
          onMouseLeave={() => setHover(null)}
          onClick={(e) => {
            const { x, y } = at(e);
            const it = hit(prepared, view, x, y);
            if (it && it.seq >= 0) p.onSelect(it.seq);
          }}
        />
        {hover && (
          <div className="timeline-tip" style={{ left: hover.x + 12, top: hover.y + AXIS_H + 8 }}>
            {clock(hover.it.startNs)}: {hover.it.text}
          </div>
        )}
      </div>
      <p id="timeline-help" className="muted">
        Wheel or W/S to zoom, drag or A/D to pan; click a mark to select its event.
      </p>
    </div>
  );
}
