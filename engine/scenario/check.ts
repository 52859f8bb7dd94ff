// check.ts: a readable diff of the expected and the got log (what `klp-play run --check` prints).

/**
 * A line diff (longest common subsequence; logs are short): `  ` same, `- ` expected only,
 * `+ ` got only. Empty when equal.
 */
export function lineDiff(expected: readonly string[], got: readonly string[]): string[] {
  const n = expected.length;
  const k = got.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(k + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = k - 1; j >= 0; j--)
      lcs[i]![j] =
        expected[i] === got[j]
          ? lcs[i + 1]![j + 1]! + 1
          : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  if (lcs[0]![0] === n && n === k) return [];
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < k) {
    if (i < n && j < k && expected[i] === got[j]) {
      out.push(`  ${expected[i++]}`);
      j++;
    } else if (j < k && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${got[j++]}`);
    else out.push(`- ${expected[i++]}`);
  }
  return out;
}
