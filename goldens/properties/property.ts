// property.ts: the property both semantics' tests assert: random command sequences, the invariants
// of checks.ts after every step, a second run that must replay the first exactly, and proof that
// the sequences reached the states that make the property worth something.
import fc from "fast-check";
import { expect } from "vitest";
import type { Semantics } from "../../engine/machine/machine.ts";
import { scripts } from "./commands.ts";
import { addSeen, RUNS, runScript, SEED } from "./run.ts";

export async function assertMachineProperty(
  semantics: Semantics,
  mustReach: readonly string[],
): Promise<void> {
  const seen: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(scripts(semantics), async (script) => {
      const a = await runScript(semantics, script);
      expect(a.broken).toBeNull();
      addSeen(seen, a.model);
      const b = await runScript(semantics, script, false);
      expect(b.log).toEqual(a.log);
      expect(b.events).toEqual(a.events);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // The sequences must reach the interesting states, or the property proves little.
  console.log(`${semantics}: ${JSON.stringify(seen)}`);
  for (const k of mustReach) expect(seen[k], k).toBeGreaterThan(0);
}
