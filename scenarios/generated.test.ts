// generated.test.ts: the committed library is what scripts/gen-scenarios.ts makes from its
// sources (the golden selftests, scripts/scenarios/library.ts): a change to either, or to a
// built-in's source, must be followed by a re-run of the generator.
import { describe, expect, it } from "vitest";
import { libraryFiles } from "../cli/library-files.ts";
import { librarySources } from "../scripts/scenarios/library.ts";
import { selftestScenarios } from "../scripts/scenarios/selftests.ts";

const onDisk = new Map(libraryFiles().map((f) => [f.file, JSON.parse(f.text)]));

describe("generated scenarios", () => {
  it("selftests/ matches the golden cases", () => {
    for (const [name, s] of selftestScenarios())
      expect(onDisk.get(`selftests/${name}.json`), name).toEqual(s);
  });

  it("selftests-proposed/ matches the proposed series' runnable golden cases", () => {
    const proposed = selftestScenarios("proposed");
    expect(proposed.size).toBeGreaterThan(0);
    for (const [name, s] of proposed)
      expect(onDisk.get(`selftests-proposed/${name}.json`), name).toEqual(s);
  });

  it("library/ matches its sources (the expected logs are recorded runs)", () => {
    for (const [name, s] of librarySources()) {
      const file = onDisk.get(`library/${name}.json`);
      expect(file, name).toBeDefined();
      const { expect: _recorded, ...rest } = file;
      expect(rest, name).toEqual(s);
    }
  });
});
