// paging.ts: the table view's pages over every event (no DOM): a page of `size` rows, the page an
// event is on (binary search by seq: the rows are in seq order), and the rows a page shows.

export const PAGE_ROWS = 100;

export function pageCount(rows: number, size = PAGE_ROWS): number {
  return Math.max(1, Math.ceil(rows / size));
}

/** The index of the row with `seq` in rows sorted by seq, or -1. */
export function indexOfSeq(rows: readonly { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return rows[lo]?.seq === seq ? lo : -1;
}

/** The page (0-based) holding the row with `seq`, or null when no row has it. */
export function pageOfSeq(
  rows: readonly { seq: number }[],
  seq: number,
  size = PAGE_ROWS,
): number | null {
  const i = indexOfSeq(rows, seq);
  return i < 0 ? null : Math.floor(i / size);
}

/** The first and one-past-last row index of `page`, clamped to the rows there are. */
export function pageRange(rows: number, page: number, size = PAGE_ROWS): [number, number] {
  const p = Math.min(Math.max(0, page), pageCount(rows, size) - 1);
  return [p * size, Math.min(rows, (p + 1) * size)];
}
