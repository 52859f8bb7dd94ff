// check-test-collection.mjs: fails when a test file exists that no runner collects.
// Every *.test.ts(x) must be collected by vitest, and every *.spec.ts must sit in e2e/ (Playwright).
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const root = process.cwd();
const SKIP = new Set([
  "node_modules",
  "dist",
  "build",
  "test-results",
  ".git",
  "playwright-report",
]);

function walk(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(relative(root, p));
  }
  return out;
}

const files = walk(root, []);
const unitTests = files.filter((f) => /\.test\.tsx?$/.test(f)).sort();
const strayE2e = files.filter((f) => /\.spec\.tsx?$/.test(f) && !f.startsWith("e2e/"));
const listed = JSON.parse(
  execFileSync("npx", ["vitest", "list", "--filesOnly", "--json"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }),
).map((t) => relative(root, t.file));
const collected = new Set(listed);
const missing = unitTests.filter((f) => !collected.has(f));

if (missing.length || strayE2e.length) {
  for (const f of missing) console.error(`check-test-collection: vitest does not collect ${f}`);
  for (const f of strayE2e) console.error(`check-test-collection: ${f} is outside e2e/`);
  process.exit(1);
}
console.log(`check-test-collection: all ${unitTests.length} unit test files are collected`);
