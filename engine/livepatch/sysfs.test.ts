import { describe, expect, it } from "vitest";
import { EACCES, EINVAL, EISDIR, ENOENT } from "../../core-wasm/bindings/index.ts";
import type { ModuleCtx } from "../machine/module.ts";
import { boot, lpModule } from "../testing/fixture.ts";

const D = "/sys/kernel/livepatch/lp_demo";

describe("livepatch sysfs", () => {
  it("has the kernel's layout and permissions", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_demo"));
    expect(m.vfs.listDir(D)).toEqual([
      "enabled",
      "force",
      "replace",
      "stack_order",
      "transition",
      "vmlinux",
    ]);
    const mode = (f: string) => {
      const s = m.vfs.stat(`${D}/${f}`);
      return typeof s === "number" ? s : s.mode;
    };
    expect([
      mode("enabled"),
      mode("transition"),
      mode("force"),
      mode("replace"),
      mode("stack_order"),
    ]).toEqual([0o644, 0o444, 0o200, 0o444, 0o444]);
    expect(mode("vmlinux/patched")).toBe(0o444);
    expect(m.vfs.listDir(`${D}/vmlinux`)).toEqual(["cmdline_proc_show,1", "patched"]);
    const st = m.vfs.stat("/proc/5/patch_state");
    expect(typeof st === "number" ? st : st.mode).toBe(0o400);
  });

  it("proposed keeps mainline's stack_order (its 6.13-rc7 base predates it; the series has no part in it)", async () => {
    const m = await boot({ semantics: "proposed" });
    m.modules.load(lpModule("lp_demo"));
    expect(m.vfs.listDir(D)).toEqual([
      "enabled",
      "force",
      "replace",
      "stack_order",
      "transition",
      "vmlinux",
    ]);
  });

  it("answers with the kernel's errors", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_demo"));
    expect(m.vfs.readFile(`${D}/force`)).toBe(-EACCES);
    for (const f of ["transition", "replace", "stack_order", "vmlinux/patched"]) {
      expect(m.vfs.writeFile(`${D}/${f}`, "1\n")).toBe(-EACCES);
    }
    expect(m.vfs.writeFile(`${D}/enabled`, "maybe\n")).toBe(-EINVAL);
    expect(m.vfs.writeFile(`${D}/enabled`, "1\n")).toBe(-EINVAL);
    expect(m.vfs.writeFile(`${D}/force`, "1\n")).toBe(-EINVAL);
    expect(m.vfs.readFile(`${D}/vmlinux`)).toBe(-EISDIR);
    expect(m.vfs.readFile(`${D}/nothing`)).toBe(-ENOENT);
    expect(m.vfs.writeFile(`${D}/enabled`, "off\n")).toBe(0);
    expect(m.vfs.readFile(`${D}/enabled`)).toBe(-ENOENT);
  });

  it("refuses rmmod while the patch holds its module", async () => {
    const m = await boot();
    m.modules.load(lpModule("lp_demo"));
    expect(m.vfs.readFile("/sys/module/lp_demo/refcnt")).toBe("1\n");
    expect(m.modules.unload("lp_demo")).toBe(-11);
    m.vfs.writeFile(`${D}/enabled`, "0\n");
    expect(m.vfs.readFile("/sys/module/lp_demo/refcnt")).toBe("0\n");
    expect(m.modules.unload("lp_demo")).toBe(0);
  });

  it("refuses a module not marked as livepatch and reports missing symbols", async () => {
    const m = await boot();
    const plain = { ...lpModule("lp_plain"), livepatch: false };
    expect(m.modules.load(plain)).toBe(-EINVAL);
    const missing = lpModule("lp_missing", { objs: [{ name: null, funcs: ["no_such_function"] }] });
    expect(m.modules.load(missing)).toBe(-EINVAL);
    expect(m.log.lines().filter((l) => l.startsWith("livepatch"))).toEqual([
      "livepatch: module lp_plain is not marked as a livepatch module",
      "livepatch: symbol 'no_such_function' not found in symbol table",
    ]);
    expect(m.vfs.exists("/sys/kernel/livepatch/lp_missing")).toBe(false);
  });

  it("module parameters: int, bool as Y/N, charp, and read-only ones", async () => {
    const m = await boot();
    let hooked = 0;
    m.modules.load(
      {
        name: "lp_params",
        params: [
          {
            name: "n",
            type: "int",
            perm: 0o644,
            value: 0,
            set: (v) => ((hooked = v as number), 0),
          },
          { name: "on", type: "bool", perm: 0o644, value: false },
          { name: "who", type: "charp", perm: 0o644, value: "x" },
          { name: "ro", type: "int", perm: 0o444, value: 3 },
        ],
      },
      ["n=-19", "who=abc"],
    );
    const p = "/sys/module/lp_params/parameters";
    expect(m.vfs.readFile(`${p}/n`)).toBe("-19\n");
    expect(hooked).toBe(-19);
    expect(m.vfs.readFile(`${p}/on`)).toBe("N\n");
    expect(m.vfs.writeFile(`${p}/on`, "y\n")).toBe(0);
    expect(m.vfs.readFile(`${p}/on`)).toBe("Y\n");
    expect(m.vfs.readFile(`${p}/who`)).toBe("abc\n");
    expect(m.vfs.writeFile(`${p}/n`, "zz\n")).toBe(-EINVAL);
    expect(m.vfs.writeFile(`${p}/ro`, "1\n")).toBe(-EACCES);
  });
});

describe("symbol look-up by old_sympos", () => {
  const dupModule = {
    name: "lp_dup",
    functions: [
      { name: "lp_dup_fn", size: 0x40, body: function* () {} },
      { name: "lp_other", size: 0x40, body: function* () {} },
      { name: "lp_dup_fn", size: 0x50, body: function* () {} },
    ],
  };
  const patchWith = (name: string, sympos: number) => ({
    name,
    livepatch: true,
    functions: [{ name: `${name}_new`, size: 0x40, body: function* () {} }],
    init: (ctx: ModuleCtx) =>
      ctx.klpEnablePatch({
        objs: [
          {
            name: "lp_dup",
            funcs: [{ old_name: "lp_dup_fn", new_func: `${name}_new`, old_sympos: sympos }],
          },
        ],
      }),
  });

  it("applies the kernel's uniqueness and position rules", async () => {
    const m = await boot();
    m.modules.load(dupModule);
    expect(m.modules.load(patchWith("lp_p0", 0))).toBe(-EINVAL);
    expect(m.modules.load(patchWith("lp_p3", 3))).toBe(-EINVAL);
    expect(m.modules.load(patchWith("lp_p2", 2))).toBe(0);
    expect(m.vfs.listDir("/sys/kernel/livepatch/lp_p2/lp_dup")).toEqual(["lp_dup_fn,2", "patched"]);
    expect(m.log.lines().filter((l) => l.includes("symbol"))).toEqual([
      "livepatch: unresolvable ambiguity for symbol 'lp_dup_fn' in object 'lp_dup'",
      "livepatch: symbol position 3 for symbol 'lp_dup_fn' in object 'lp_dup' not found",
    ]);
    // The second lp_dup_fn (size 0x50) is the one patched.
    const second = m.modules.get("lp_dup")!.symbols[2]!.id;
    expect(m.core.ops.depth(second)).toBe(1);
    expect(m.core.ops.depth(m.modules.get("lp_dup")!.symbols[0]!.id)).toBe(0);
  });

  it("disable returns -EBUSY while another patch is in transition", async () => {
    const m = await boot();
    const { stallModule } = await import("../testing/fixture.ts");
    m.modules.load(lpModule("lp_demo"));
    m.modules.load(stallModule("lp_busy"));
    m.modules.load(
      lpModule("lp_fix", { sleepMs: 1000, objs: [{ name: "lp_busy", funcs: ["lp_busy_work"] }] }),
    );
    expect(m.vfs.writeFile(`${D}/enabled`, "0\n")).toBe(-16);
    expect(m.vfs.readFile(`${D}/enabled`)).toBe("1\n");
  });
});
