// expect.ts: which log lines a scenario's expectation compares (its `filter`), and the golden
// files' placeholders. Part of the format, so it lives with it; the runner applies it.

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
