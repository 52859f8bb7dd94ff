// colours.ts: the callbacks' colours, one per pair key (a patch's object under mainline, its state
// under the proposed series), so that a pair's opener, closer and the line joining them share a
// colour and the legend names it. A fixed categorical palette (Okabe and Ito's, readable with the
// common colour-vision deficiencies) in order of first appearance: the same run, the same colours.
import type { Row } from "./rows.ts";

const PALETTE = [
  "#0072b2",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#e69f00",
  "#56b4e9",
  "#7a6a00",
  "#6a3d9a",
] as const;

/** Each callback colour key of `rows`, in order of first appearance, with its colour. */
export function callbackColours(rows: readonly Row[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows)
    for (const m of r.marks)
      if (m.colour !== undefined && !out.has(m.colour))
        out.set(m.colour, PALETTE[out.size % PALETTE.length]!);
  return out;
}
