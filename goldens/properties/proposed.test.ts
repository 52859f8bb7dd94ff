// Random command sequences on the simulated machine with the proposed states series, the invariants of
// checks.ts checked after every step, and a second run that must replay the first exactly.
// Fixed seed, printed; KLP_SEED (and KLP_RUNS) override.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scripts } from "./commands.ts";
import { addSeen, RUNS, runScript, SEED } from "./run.ts";

console.log(`fast-check seed ${SEED} (KLP_SEED overrides), ${RUNS} runs`);

describe("proposed: the machine under random command sequences", () => {
  it("keeps its invariants after every step, and replays identically", async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(scripts("proposed"), async (script) => {
        const a = await runScript("proposed", script);
        expect(a.broken).toBeNull();
        addSeen(seen, a.model);
        const b = await runScript("proposed", script, false);
        expect(b.log).toEqual(a.log);
        expect(b.events).toEqual(a.events);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The sequences must reach the interesting states, or the property proves little.
    console.log(`proposed: ${JSON.stringify(seen)}`);
    for (const k of [
      "forced",
      "pinned",
      "reversed",
      "signals",
      "prePatchFailed",
      "statePostUnpatch",
      "shadowAllocs",
    ])
      expect(seen[k], k).toBeGreaterThan(0);
  }, 600_000);
});
