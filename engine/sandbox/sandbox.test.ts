import { describe, expect, it } from "vitest";
import { type HostModule, ModuleSandbox, SandboxRef, type SandboxValue } from "./sandbox.ts";

const host = { now: () => 1_000, random: () => 0.25 };

function kernel(log: string[]): Record<string, HostModule> {
  return {
    klp: {
      functions: {
        pr_info: (...a: SandboxValue[]) => {
          log.push(a.map(String).join(" "));
          return undefined;
        },
        fails: () => {
          throw new Error("host said no");
        },
      },
      constants: { GFP_KERNEL: 0xcc0 },
    },
  };
}

async function load(src: string, log: string[] = [], limits = {}) {
  const sb = await ModuleSandbox.create("test_mod", host, limits);
  const r = sb.load(src, kernel(log));
  return { sb, r };
}

function exportRef(sb: ModuleSandbox, name: string): SandboxRef {
  const r = sb.getExport(name);
  if (!r.ok || !(r.value instanceof SandboxRef)) throw new Error(`no export ${name}`);
  return r.value;
}

describe("module sandbox", () => {
  it("strips TypeScript, imports host modules and calls exports with values both ways", async () => {
    const log: string[] = [];
    const { sb, r } = await load(
      `import { pr_info, GFP_KERNEL } from "klp";
       interface P { n: number }
       export function init(p: P, name: string): number { pr_info("hello", name); return p.n * 2 + GFP_KERNEL; }`,
      log,
    );
    expect(r).toEqual({ ok: true, value: ["init"] });
    const out = sb.call(exportRef(sb, "init"), [{ n: 21 }, "x"], "init");
    expect(out).toEqual({ ok: true, value: 42 + 0xcc0 });
    expect(log).toEqual(["hello x"]);
    sb.dispose();
  });

  it("passes functions out as references the host can call later, and keeps undefined/NaN/bigint", async () => {
    const { sb } = await load(
      `export const patch = { funcs: [{ old_name: "f", new_func: (x: number) => x + 1 }], data: [undefined, NaN, 10n] };`,
    );
    const patch = sb.getExport("patch");
    if (!patch.ok) throw new Error(patch.error.message);
    const p = patch.value as {
      funcs: { old_name: string; new_func: SandboxRef }[];
      data: unknown[];
    };
    expect(p.funcs[0]!.old_name).toBe("f");
    expect(p.data).toEqual([undefined, Number.NaN, 10n]);
    expect(sb.call(p.funcs[0]!.new_func, [41], "new_func")).toEqual({ ok: true, value: 42 });
  });

  it("runs generators step by step across calls (kernel code that sleeps yields)", async () => {
    const { sb } = await load(
      `export function* kthread() { let i = 0; while (true) { yield { msleep: 100 * ++i }; } }`,
    );
    const gen = sb.call(exportRef(sb, "kthread"), [], "kthread");
    if (!gen.ok || !(gen.value instanceof SandboxRef)) throw new Error("no generator");
    const g = gen.value;
    expect(sb.callMethod(g, "next", [], "kthread")).toEqual({
      ok: true,
      value: { value: { msleep: 100 }, done: false },
    });
    expect(sb.callMethod(g, "next", [], "kthread")).toEqual({
      ok: true,
      value: { value: { msleep: 200 }, done: false },
    });
  });

  it("reports a throw with the module and function named, and stays usable", async () => {
    const { sb } = await load(
      `export function bad() { throw new RangeError("nope"); } export function good() { return 1; }`,
    );
    expect(sb.call(exportRef(sb, "bad"), [], "pre_patch")).toEqual({
      ok: false,
      error: {
        kind: "exception",
        module: "test_mod",
        fn: "pre_patch",
        message: "RangeError: nope",
      },
    });
    expect(sb.call(exportRef(sb, "good"), [], "good")).toEqual({ ok: true, value: 1 });
  });

  it("turns a host function's failure into a guest exception", async () => {
    const { sb } = await load(
      `import { fails } from "klp"; export function f() { try { fails(); } catch (e) { return String(e); } }`,
    );
    expect(sb.call(exportRef(sb, "f"), [], "f")).toEqual({
      ok: true,
      value: "Error: host said no",
    });
  });

  it("stops an endless loop on its deterministic budget, the same count every time", async () => {
    const { sb } = await load(`export function spin() { for (;;) {} }`, [], { budgetTicks: 20 });
    const a = sb.call(exportRef(sb, "spin"), [], "spin");
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.error.kind).toBe("budget");
    const b = sb.call(exportRef(sb, "spin"), [], "spin");
    expect(b).toEqual(a);
  });

  it("stops a memory bomb at the memory limit", async () => {
    const { sb } = await load(
      `export function bomb() { const a: number[][] = []; for (;;) a.push([1, 2, 3, 4, 5, 6, 7, 8]); }`,
      [],
      { memoryBytes: 4 << 20, budgetTicks: 100_000 },
    );
    const r = sb.call(exportRef(sb, "bomb"), [], "bomb");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe("oom");
  });

  it("reports syntax errors with the file and position", async () => {
    const { r } = await load(`export function (`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe("syntax");
      expect(r.error.message).toMatch(/^test_mod\.ts: .*\(1:\d+\)/);
    }
  });

  it("gives the guest no host clock, randomness, network or page", async () => {
    const { sb } = await load(
      `export function probe() { return [Date.now(), new Date().getTime(), Math.random(),
         typeof fetch, typeof setTimeout, typeof document, typeof localStorage, typeof XMLHttpRequest,
         typeof globalThis.__klp_host]; }`,
    );
    expect(sb.call(exportRef(sb, "probe"), [], "probe")).toEqual({
      ok: true,
      value: [
        1000,
        1000,
        0.25,
        "undefined",
        "undefined",
        "undefined",
        "undefined",
        "undefined",
        "undefined",
      ],
    });
  });

  it("refuses unknown imports and calls after dispose", async () => {
    const { r } = await load(`import { x } from "fs"; export const y = x;`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain("Cannot find module 'fs'");
    const { sb } = await load(`export function f() { return 1; }`);
    const f = exportRef(sb, "f");
    sb.dispose();
    expect(sb.call(f, [], "f")).toMatchObject({ ok: false, error: { kind: "dead" } });
  });
});
