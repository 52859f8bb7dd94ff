// check.ts: the lines a scenario's expectation compares, and a readable diff when they differ.

/** The canary start_test logs (selftest-lib): the selftest filter starts after the last one. */
const CANARY = "livepatch kselftest timestamp: ";

/**
 * What check_result compares: after the last canary, lines naming `livepatch:` or `test_klp`,
 * without the taint lines.
 */
export function selftestLines(lines: readonly string[]): string[] {
  let start = 0;
  lines.forEach((l, i) => {
    if (l.startsWith(CANARY)) start = i + 1;
  });
  return lines
    .slice(start)
    .filter((l) => l.includes("livepatch:") || l.includes("test_klp"))
    .filter((l) => !l.includes("tainting kernel") && !l.includes("taints kernel"));
}

/** Writes each variable's value as `<NAME>` (the golden files' placeholders). */
export function withPlaceholders(
  lines: readonly string[],
  vars: ReadonlyMap<string, string>,
): string[] {
  return lines.map((l) => {
    let out = l;
    for (const [name, value] of vars) if (value !== "") out = out.split(value).join(`<${name}>`);
    return out;
  });
}

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
