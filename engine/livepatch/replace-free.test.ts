// replace-free.test.ts: klp_free_replaced_patches_async() frees only the patches older than the
// replace patch (it stops at it), as klp_unpatch_replaced_patches() does. A patch stacked on a
// replace patch survives when the replace patch's disable is reversed; the proposed series'
// klp_states_post_unpatch_replaced() still walks every other patch (spec §10.4).
import { describe, expect, it } from "vitest";
import type { Machine, Semantics } from "../machine/machine.ts";
import { boot, klpLines, lpModule, stallModule } from "../testing/fixture.ts";
import { loggingStates } from "../testing/proposed.ts";

const SEC = 1e9;
const sys = (name: string) => `/sys/kernel/livepatch/${name}`;

/**
 * R (replace, on lp_busy_work, whose replacement sleeps) is installed first; lp_busy's kthread then
 * sleeps in R's code; P (not replace, with state 20) goes on top; R's disable stalls and is
 * reversed, so R completes a patching transition again.
 */
async function reversedReplaceDisable(semantics: Semantics): Promise<{ m: Machine; from: number }> {
  const m = await boot({ semantics });
  const objs = [{ name: "lp_busy", funcs: ["lp_busy_work"] }];
  expect(m.modules.load(lpModule("lp_r", { objs, sleepMs: 1000, replace: true }))).toBe(0);
  expect(m.modules.load(stallModule("lp_busy"))).toBe(0);
  expect(m.modules.load(lpModule("lp_p", { states: loggingStates(m, [{ id: 20 }]) }))).toBe(0);
  const from = m.log.length;
  expect(m.vfs.writeFile(`${sys("lp_r")}/enabled`, "0\n")).toBe(0);
  m.sleep(2 * SEC);
  expect(m.vfs.readFile(`${sys("lp_r")}/transition`)).toBe("1\n");
  expect(m.vfs.writeFile(`${sys("lp_r")}/enabled`, "1\n")).toBe(0);
  m.sleep(2 * SEC);
  expect(m.vfs.readFile(`${sys("lp_r")}/transition`)).toBe("0\n");
  return { m, from };
}

describe("freeing the patches a replace patch replaced", () => {
  for (const semantics of ["mainline", "proposed"] as const) {
    it(`stops at the replace patch (${semantics})`, async () => {
      const { m } = await reversedReplaceDisable(semantics);
      expect(m.klp.patches.map((p) => p.name)).toEqual(["lp_r", "lp_p"]);
      expect(m.vfs.readFile(`${sys("lp_p")}/enabled`)).toBe("1\n");
    });
  }

  it("proposed: the patch on top still gets post_unpatch for its own state", async () => {
    const { m, from } = await reversedReplaceDisable("proposed");
    const own = klpLines(m, from).filter((l) => l.startsWith("lp_p") || l.startsWith("dtor"));
    expect(own).toEqual(["lp_p: post_un 20", "dtor: id 20"]);
  });
});
