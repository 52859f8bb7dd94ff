// gen-scenarios.ts: writes the scenario library (`npx tsx scripts/gen-scenarios.ts`):
//   scenarios/selftests/*.json  every mainline golden selftest case (expected log: the golden's)
//   scenarios/selftests-proposed/*.json  every runnable case of the proposed series' goldens
//                               (semantics "proposed"; superseded cases left out)
//   scenarios/library/*.json    samples, teaching cases, the default (expected log: recorded by
//                               running the engine; review the diff against the kernel)
//   scenarios/index.json        names, titles, groups, and which one is the default
// Re-run after a built-in's source changes: references carry the hash of this build's source.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { format } from "prettier";
import { runInNode } from "../cli/node-run.ts";
import { loadScenario } from "../scenarios/load.ts";
import type { Scenario } from "../scenarios/schema.ts";
import { describeError } from "../scenarios/validate.ts";
import { librarySources } from "./scenarios/library.ts";
import { selftestScenarios } from "./scenarios/selftests.ts";

const ROOT = new URL("../scenarios/", import.meta.url);

/** JSON as Prettier writes it (the repository's one formatter; `npm run check` checks these). */
const pretty = (v: unknown): Promise<string> => format(JSON.stringify(v), { parser: "json" });

async function writeGroup(dir: string, items: Map<string, Scenario>): Promise<void> {
  const url = new URL(`${dir}/`, ROOT);
  mkdirSync(url, { recursive: true });
  for (const f of readdirSync(url)) if (f.endsWith(".json")) rmSync(new URL(f, url));
  for (const [name, s] of items) {
    const v = loadScenario(s);
    if (!v.ok) throw new Error(`${name}: ${describeError(v.error).join("; ")}`);
    writeFileSync(new URL(`${name}.json`, url), await pretty(v.value));
  }
}

const library = new Map<string, Scenario>();
for (const [name, s] of librarySources()) {
  const r = await runInNode(s);
  if (!r.ok)
    throw new Error(`${name}: ${r.error.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  library.set(name, { ...s, expect: { filter: "kernel", log: r.value.log } });
}
const selftests = selftestScenarios("mainline");
const proposed = selftestScenarios("proposed");
await writeGroup("library", library);
await writeGroup("selftests", selftests);
await writeGroup("selftests-proposed", proposed);

const index = {
  default: "library/default.json",
  scenarios: [
    ...[...library].map(([name, s]) => ({
      file: `library/${name}.json`,
      title: s.title,
      group: "library",
    })),
    ...[...selftests].map(([name, s]) => ({
      file: `selftests/${name}.json`,
      title: s.title,
      group: "selftests",
    })),
    ...[...proposed].map(([name, s]) => ({
      file: `selftests-proposed/${name}.json`,
      title: s.title,
      group: "selftests (proposed series)",
    })),
  ],
};
writeFileSync(new URL("index.json", ROOT), await pretty(index));
console.log(
  `${library.size} library, ${selftests.size} selftest and ${proposed.size} proposed selftest scenarios written`,
);
