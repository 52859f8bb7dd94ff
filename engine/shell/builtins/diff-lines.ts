// diff-lines.ts: which lines differ between two files, as GNU diffutils 3.8 decides it, so that
// its hunks come out the same: lines found nowhere in the other file are set aside first
// (analyze.c's discard_confusing_lines, without its provisional discards, which need a line
// repeated more than five times), Myers' O(ND) search for a midpoint snake divides the rest
// (diffseq.h's diag and compareseq, without the heuristics that only cut in on costs in the
// thousands), then each run of changes slides as GNU diff slides it (shift_boundaries).

/** A hunk: lines a[aStart, aEnd) replaced by b[bStart, bEnd) (either range may be empty). */
export interface Change {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * The changes turning `a` into `b`, in order. As io.c's find_identical_ends, the lines the two
 * share at their start and end are left out of the analysis, but for `horizon` of them at each
 * side (diff keeps as many as it shows of context), so no run of changes slides into the rest.
 */
export function diffLines(a: readonly string[], b: readonly string[], horizon = 0): Change[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (
    suf < a.length - pre &&
    suf < b.length - pre &&
    a[a.length - 1 - suf] === b[b.length - 1 - suf]
  )
    suf++;
  const from = Math.max(0, pre - horizon);
  const cut = Math.max(0, suf - horizon);
  const inner = analyze(a.slice(from, a.length - cut), b.slice(from, b.length - cut));
  return inner.map((c) => ({
    aStart: c.aStart + from,
    aEnd: c.aEnd + from,
    bStart: c.bStart + from,
    bEnd: c.bEnd + from,
  }));
}

function analyze(a: readonly string[], b: readonly string[]): Change[] {
  const classes = new Map<string, number>();
  const equiv = (lines: readonly string[]) =>
    lines.map((l) => {
      let c = classes.get(l);
      if (c === undefined) classes.set(l, (c = classes.size + 1));
      return c;
    });
  const eq = [equiv(a), equiv(b)] as const;
  // changed[f] has a slot before and after the lines (always 0), as diff's has.
  const changed = [new Uint8Array(a.length + 2), new Uint8Array(b.length + 2)] as const;
  const kept = discard(eq, changed);
  compareseq(kept, changed);
  shiftBoundaries(eq, changed);
  return script(changed, a.length, b.length);
}

/** Lines whose class the other file lacks are changed outright. @returns the rest, by file. */
function discard(
  eq: readonly [number[], number[]],
  changed: readonly [Uint8Array, Uint8Array],
): [Kept, Kept] {
  const count = (xs: number[]) => {
    const m = new Map<number, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const counts = [count(eq[1]), count(eq[0])];
  return [0, 1].map((f) => {
    const k: Kept = { eq: [], real: [] };
    eq[f]!.forEach((c, i) => {
      if ((counts[f]!.get(c) ?? 0) === 0) changed[f]![i + 1] = 1;
      else {
        k.eq.push(c);
        k.real.push(i);
      }
    });
    return k;
  }) as [Kept, Kept];
}

/** A file's lines left after discarding: their classes and their real indices. */
interface Kept {
  eq: number[];
  real: number[];
}

/** diffseq.h's compareseq over the kept lines (iteratively: a stack of subproblems). */
function compareseq(kept: [Kept, Kept], changed: readonly [Uint8Array, Uint8Array]): void {
  const [xv, yv] = [kept[0].eq, kept[1].eq];
  const n = xv.length;
  const m = yv.length;
  const off = m + 1;
  const fd = new Float64Array(n + m + 3);
  const bd = new Float64Array(n + m + 3);
  const stack: [number, number, number, number][] = [[0, n, 0, m]];
  const mark = (f: 0 | 1, i: number) => (changed[f][kept[f].real[i]! + 1] = 1);
  while (stack.length) {
    let [xoff, xlim, yoff, ylim] = stack.pop()!;
    while (xoff < xlim && yoff < ylim && xv[xoff] === yv[yoff]) {
      xoff++;
      yoff++;
    }
    while (xoff < xlim && yoff < ylim && xv[xlim - 1] === yv[ylim - 1]) {
      xlim--;
      ylim--;
    }
    if (xoff === xlim) for (let y = yoff; y < ylim; y++) mark(1, y);
    else if (yoff === ylim) for (let x = xoff; x < xlim; x++) mark(0, x);
    else {
      const [xmid, ymid] = diag(xoff, xlim, yoff, ylim, xv, yv, fd, bd, off);
      // The lower half last on the stack: it is done first, as compareseq recurses.
      stack.push([xmid, xlim, ymid, ylim], [xoff, xmid, yoff, ymid]);
    }
  }
}

/** diffseq.h's diag: the midpoint of a shortest edit path, searching from both corners. */
function diag(
  xoff: number,
  xlim: number,
  yoff: number,
  ylim: number,
  xv: readonly number[],
  yv: readonly number[],
  fd: Float64Array,
  bd: Float64Array,
  off: number,
): [number, number] {
  const dmin = xoff - ylim;
  const dmax = xlim - yoff;
  const fmid = xoff - yoff;
  const bmid = xlim - ylim;
  let fmin = fmid;
  let fmax = fmid;
  let bmin = bmid;
  let bmax = bmid;
  const odd = ((fmid - bmid) & 1) !== 0;
  fd[off + fmid] = xoff;
  bd[off + bmid] = xlim;
  for (;;) {
    if (fmin > dmin) fd[off + --fmin - 1] = -1;
    else ++fmin;
    if (fmax < dmax) fd[off + ++fmax + 1] = -1;
    else --fmax;
    for (let d = fmax; d >= fmin; d -= 2) {
      const tlo = fd[off + d - 1]!;
      const thi = fd[off + d + 1]!;
      let x = tlo < thi ? thi : tlo + 1;
      let y = x - d;
      while (x < xlim && y < ylim && xv[x] === yv[y]) {
        x++;
        y++;
      }
      fd[off + d] = x;
      if (odd && bmin <= d && d <= bmax && bd[off + d]! <= x) return [x, y];
    }
    if (bmin > dmin) bd[off + --bmin - 1] = Infinity;
    else ++bmin;
    if (bmax < dmax) bd[off + ++bmax + 1] = Infinity;
    else --bmax;
    for (let d = bmax; d >= bmin; d -= 2) {
      const tlo = bd[off + d - 1]!;
      const thi = bd[off + d + 1]!;
      let x = tlo < thi ? tlo : thi - 1;
      let y = x - d;
      while (xoff < x && yoff < y && xv[x - 1] === yv[y - 1]) {
        x--;
        y--;
      }
      bd[off + d] = x;
      if (!odd && fmin <= d && d <= fmax && x <= fd[off + d]!) return [x, y];
    }
  }
}

/**
 * analyze.c's shift_boundaries: each run of changes moves up while the line before it equals its
 * last, then down while its first equals the line after it (merging with runs it meets), and then
 * back up to where it lines up with a run of changes in the other file, if it can.
 */
function shiftBoundaries(
  eq: readonly [number[], number[]],
  changed: readonly [Uint8Array, Uint8Array],
): void {
  for (const f of [0, 1] as const) {
    // Index p of `ch` is line p-1; `oc` likewise. equivs[p] is the class of line p (0-based).
    const ch = changed[f];
    const oc = changed[1 - f]!;
    const equivs = eq[f];
    const c = (i: number) => ch[i + 1]!;
    const setC = (i: number, v: number) => (ch[i + 1] = v);
    const o = (j: number) => oc[j + 1]!;
    const iEnd = equivs.length;
    let i = 0;
    let j = 0;
    for (;;) {
      while (i < iEnd && !c(i)) {
        while (o(j++));
        i++;
      }
      if (i === iEnd) break;
      let start = i;
      while (c(++i));
      while (o(j)) j++;
      let runlength: number;
      let corresponding: number;
      do {
        runlength = i - start;
        while (start && equivs[start - 1] === equivs[i - 1]) {
          setC(--start, 1);
          setC(--i, 0);
          while (c(start - 1)) start--;
          while (o(--j));
        }
        corresponding = o(j - 1) ? i : iEnd;
        while (i !== iEnd && equivs[start] === equivs[i]) {
          setC(start++, 0);
          setC(i++, 1);
          while (c(i)) i++;
          while (o(++j)) corresponding = i;
        }
      } while (runlength !== i - start);
      while (corresponding < i) {
        setC(--start, 1);
        setC(--i, 0);
        while (o(--j));
      }
    }
  }
}

/** The hunks the changed flags make (analyze.c's build_script). */
function script(changed: readonly [Uint8Array, Uint8Array], n: number, m: number): Change[] {
  const out: Change[] = [];
  const [c0, c1] = changed;
  let i0 = 0;
  let i1 = 0;
  while (i0 < n || i1 < m) {
    if (c0[i0 + 1] || c1[i1 + 1]) {
      const aStart = i0;
      const bStart = i1;
      while (c0[i0 + 1]) i0++;
      while (c1[i1 + 1]) i1++;
      out.push({ aStart, aEnd: i0, bStart, bEnd: i1 });
    }
    i0++;
    i1++;
  }
  return out;
}
