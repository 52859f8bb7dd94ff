// run.ts: `npm run bench [-- --json FILE] [-- --only NAME,...] [-- --all] [-- --no-browser]`: runs
// every default suite (or those named, optional ones included; --all: every suite) in one process,
// prints one table and optionally writes { metrics: { name: { value, unit, baseline, ratio } } }.
// --no-browser leaves out the Chromium suite (for machines without Debian's Chromium).
import { readFile, writeFile } from "node:fs/promises";
import type { Metric } from "./harness.ts";
import { optionalSuites, suites } from "./suites.ts";

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fmt(n: number | null): string {
  if (n === null) return "-";
  if (Math.abs(n) >= 1e6) return n.toExponential(3);
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

async function main(): Promise<void> {
  const bytes = new Uint8Array(
    await readFile(new URL("../core-wasm/build/core.wasm", import.meta.url)),
  );
  const only = argValue("--only")?.split(",");
  const metrics: Metric[] = [];
  const every = process.argv.includes("--all");
  const noBrowser = process.argv.includes("--no-browser");
  const all = { ...suites, ...(only || every ? optionalSuites : {}) };
  for (const [name, suite] of Object.entries(all)) {
    if (only && !only.includes(name)) continue;
    if (name === "browser" && noBrowser) {
      process.stderr.write("bench: browser: skipped (--no-browser)\n");
      continue;
    }
    process.stderr.write(`bench: ${name}...\n`);
    metrics.push(...(await suite(bytes)));
  }
  const rows = metrics.map((m) => [
    m.name,
    fmt(m.value),
    m.unit,
    fmt(m.baseline),
    fmt(m.ratio),
    m.spread ?? "",
    m.target ?? "",
  ]);
  const head = ["metric", "value", "unit", "baseline (TS)", "ratio", "spread", "target"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  const out = argValue("--json");
  if (out) {
    const json = {
      metrics: Object.fromEntries(
        metrics.map((m) => [
          m.name,
          {
            value: m.value,
            unit: m.unit,
            baseline: m.baseline,
            ratio: m.ratio,
            ...(m.spread ? { spread: m.spread } : {}),
          },
        ]),
      ),
    };
    await writeFile(out, `${JSON.stringify(json, null, 2)}\n`);
  }
}

// A suite that cannot run (no Chromium, a failed build) says why in one line, and the run fails.
await main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
