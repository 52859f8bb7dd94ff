import { describe, expect, it } from "vitest";
import { capture, restore } from "../checkpoint/graph.ts";
import { isolatedArena, loadQuickJS, ModuleSandbox, SandboxRef } from "./sandbox.ts";
import { SandboxArena } from "./arena.ts";

const host = { now: () => 1_000, random: () => 0.25 };

const COUNTER = `
  let n = 0;
  const kept: number[] = [];
  export function bump(): number { n++; kept.push(n * 10); return n; }
  export function seen(): string { return JSON.stringify({ n, kept }); }
`;

function sandbox(arena: SandboxArena, name: string): ModuleSandbox {
  const sb = ModuleSandbox.createSync(name, host, {}, arena);
  if (!sb.ok) throw new Error(sb.error.message);
  const r = sb.value.load(COUNTER, {});
  if (!r.ok) throw new Error(r.error.message);
  return sb.value;
}

function call(sb: ModuleSandbox, name: string): unknown {
  const f = sb.getExport(name);
  if (!f.ok || !(f.value instanceof SandboxRef)) throw new Error(`no export ${name}`);
  const r = sb.call(f.value, [], name);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe("sandbox arena", () => {
  it("an isolated arena's image puts every guest heap back, sandboxes made since included", async () => {
    const arena = await isolatedArena();
    const a = sandbox(arena, "mod_a");
    call(a, "bump");
    const img = capture([arena]);
    if (!img.ok) throw new Error(img.error);
    call(a, "bump");
    call(a, "bump");
    const b = sandbox(arena, "mod_b"); // made after the image: its runtime is gone after restore
    call(b, "bump");
    a.dispose(); // only a flag in an isolated arena: the restore turns it back
    restore(img.value);
    expect(call(a, "seen")).toBe(JSON.stringify({ n: 1, kept: [10] }));
    // The run goes on from the image exactly as it went the first time.
    expect(call(a, "bump")).toBe(2);
    const b2 = sandbox(arena, "mod_b");
    expect(call(b2, "bump")).toBe(1);
    // The image can be restored again, after more work.
    restore(img.value);
    expect(call(a, "seen")).toBe(JSON.stringify({ n: 1, kept: [10] }));
  });

  it("after a restore, the C side's calls reach the restored sandbox, not a later one at its address", async () => {
    const arena = await isolatedArena();
    const before = capture([arena]);
    const s = sandbox(arena, "mod_a");
    const withS = capture([arena]);
    if (!before.ok || !withS.ok) throw new Error("no image");
    restore(before.value);
    sandbox(arena, "mod_a"); // the same allocations: the same runtime and context addresses
    restore(withS.value);
    // The interrupt handler that counts s's budget must be s's: the long loop is stopped (with the
    // later sandbox's handler, which sees no call of its own running, it would run to its end).
    const loop = s.load(
      "export function spin(): number { let n = 0; for (let i = 0; i < 3e7; i++) n += i; return n; }",
      {},
    );
    expect(loop.ok).toBe(true);
    const spin = s.getExport("spin");
    if (!spin.ok || !(spin.value instanceof SandboxRef)) throw new Error("no spin");
    const r = s.call(spin.value, [], "spin");
    expect(r.ok ? "returned" : r.error.kind).toBe("budget");
  }, 20_000);

  it("shares the pages that did not change with the previous image", async () => {
    const arena = await isolatedArena();
    const a = sandbox(arena, "mod_a");
    expect(capture([arena]).ok).toBe(true);
    const all = arena.lastImageCopied;
    expect(all.pages).toBe(all.of); // the first image copies everything
    capture([arena]); // nothing ran in the guest since: nothing is copied
    expect(arena.lastImageCopied.pages).toBe(0);
    call(a, "bump");
    capture([arena]);
    const busy = arena.lastImageCopied.pages;
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThan(all.of / 4);
  });

  it("refuses to image the host's shared instance (other machines live in it)", async () => {
    const arena = SandboxArena.shared(await loadQuickJS());
    const img = capture([{ arena }]);
    expect(img.ok ? "" : img.error).toMatch(/share the host's QuickJS heap/);
  });
});
