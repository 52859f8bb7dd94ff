// Legend.tsx: what the timeline's colours mean, as a list beside the canvas (which is hidden from
// assistive technology): the styles of spans and marks, and each callback pair's colour by the
// object (mainline) or state (proposed) it belongs to, the colours the canvas uses (colours.ts).
import type { Row } from "./rows.ts";

const STYLES: [string, string][] = [
  ["var(--accent)", "patching transition, or a task patched"],
  ["var(--muted)", "unpatching transition, or a task unpatched"],
  ["var(--warn-fg)", "task pending (TIF_PATCH_PENDING), or not switched at an attempt"],
  ["var(--ok-fg)", "shadow variable alive, or module loaded"],
  ["var(--err-fg)", "shadow variable never freed; the red line is now"],
];

export function Legend(p: { rows: readonly Row[]; colours: ReadonlyMap<string, string> }) {
  const hasCallbacks = p.rows.some((r) => r.group === "callbacks");
  return (
    <div className="timeline-legend-box">
      <ul className="timeline-legend" aria-label="Timeline legend">
        {STYLES.map(([c, what]) => (
          <li key={what}>
            <span className="swatch" style={{ background: c }} aria-hidden="true" />
            {what}
          </li>
        ))}
      </ul>
      {hasCallbacks && (
        <ul className="timeline-legend" aria-label="Callback colours">
          {[...p.colours].map(([key, colour]) => (
            <li key={key}>
              <span className="swatch" style={{ background: colour }} aria-hidden="true" />
              callbacks of {key}
            </li>
          ))}
          <li>a line joins each callback to the one that undoes it; dashed while still open</li>
        </ul>
      )}
    </div>
  );
}
