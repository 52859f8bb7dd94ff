// Random command sequences on the simulated machine with the mainline semantics, the invariants of
// checks.ts checked after every step, and a second run that must replay the first exactly
// (property.ts). Fixed seed, printed; KLP_SEED (and KLP_RUNS) override.
import { describe, it } from "vitest";
import { assertMachineProperty } from "./property.ts";
import { RUNS, SEED } from "./run.ts";

console.log(`fast-check seed ${SEED} (KLP_SEED overrides), ${RUNS} runs`);

describe("mainline: the machine under random command sequences", () => {
  it("keeps its invariants after every step, and replays identically", async () => {
    await assertMachineProperty("mainline", [
      "forced",
      "pinned",
      "reversed",
      "signals",
      "prePatchFailed",
      "postUnpatch",
      "shadowAllocs",
    ]);
  }, 600_000);
});
