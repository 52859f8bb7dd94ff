// summary.mjs: the plain "N passed, N failed" line CI reads, summed over vitest's and Playwright's
// JSON reports. A missing report (its step never ran or crashed) counts as one failure, so a broken
// build can never print "0 failed".
import { existsSync, readFileSync } from "node:fs";

function read(path) {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
const vitest = read("test-results/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed +=
    (vitest.numFailedTests ?? 0) + (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  if (vitest.success === false && !(vitest.numFailedTests > 0)) failed += 1; // e.g. a suite that failed to load
} else {
  failed += 1;
}
const e2e = read("test-results/e2e.json");
if (e2e?.stats) {
  passed += e2e.stats.expected ?? 0;
  // Retries are off; a flaky or skipped test still counts as failed.
  failed += (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0) + (e2e.stats.skipped ?? 0);
  failed += e2e.errors?.length ?? 0;
} else {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
