// kprobeApi.test.ts: register_kprobe / unregister_kprobe from module code. The kernel knows a
// struct kprobe by its address: the same object registered twice is refused (-EINVAL, one
// WARNING), two objects of one module or of two modules on one function are one probe point whose
// handlers all run (newest first), and a handler that throws Oopses the task that hit the probe.
import { describe, expect, it } from "vitest";
import { hexBytes } from "../../core-wasm/bindings/text.ts";
import { kprobesOf } from "../machine/kprobes.ts";
import type { Machine } from "../machine/machine.ts";
import type { ModuleDef } from "../machine/module.ts";
import { le32 } from "../testing/encode.ts";
import { boot } from "../testing/fixture.ts";
import { loadSandboxedModule } from "./moduleLoader.ts";

async function sandboxed(m: Machine, name: string, src: string): Promise<ModuleDef> {
  const r = await loadSandboxedModule(m, name, src);
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value;
}

/** Module source with kprobes `names` on cmdline_proc_show, each pre handler printing its name. */
function probes(names: string[], initExtra = "", preBody = ""): string {
  const decl = names
    .map(
      (n) =>
        `const ${n}: Kprobe = { symbol_name: "cmdline_proc_show", pre_handler: () => { ${preBody} pr_info("${n}\\n"); return 0; } };`,
    )
    .join("\n");
  return `
    import { type Kprobe, pr_info, register_kprobe, unregister_kprobe } from "linux";
    ${decl}
    export default {
      init: () => {
        ${initExtra}
        for (const kp of [${names.join(", ")}]) { const rc = register_kprobe(kp); if (rc) return rc; }
        return 0;
      },
      exit: () => { for (const kp of [${names.join(", ")}]) unregister_kprobe(kp); },
    };`;
}

const BRK = le32(0xd4200000 | (4 << 5));
const MOV_X9_X30 = le32(0xaa1e03e9);

describe("kprobes from module code", () => {
  it("two structs in one module and one in another: one point, every handler, newest first", async () => {
    const m = await boot({ arch: "arm64" });
    const { text } = m.core;
    const at = text.funcAddr(m.fn("cmdline_proc_show"));
    const first = () => hexBytes(text.bytes(at, 4) as Uint8Array);
    expect(m.modules.load(await sandboxed(m, "kp_pair", probes(["a", "b"])))).toBe(0);
    expect(m.modules.load(await sandboxed(m, "kp_other", probes(["c"])))).toBe(0);
    expect(kprobesOf(m).table.size).toBe(1);
    expect(first()).toBe(BRK);
    let from = m.log.length;
    m.host().readFile("/proc/cmdline");
    expect(m.log.lines(from)).toEqual(["kp_other: c", "kp_pair: b", "kp_pair: a"]);
    expect(m.modules.unload("kp_pair")).toBe(0);
    expect(first()).toBe(BRK);
    from = m.log.length;
    m.host().readFile("/proc/cmdline");
    expect(m.log.lines(from)).toEqual(["kp_other: c"]);
    expect(m.modules.unload("kp_other")).toBe(0);
    expect(first()).toBe(MOV_X9_X30);
    expect(kprobesOf(m).table.size).toBe(0);
  });

  it("the same struct registered twice: -EINVAL after one WARNING, the first stays", async () => {
    const m = await boot({ arch: "x86_64" });
    const again = `pr_info("again %d\\n", register_kprobe(a)); pr_info("again %d\\n", register_kprobe(a));`;
    const src = probes(["a"], "").replace(
      "return 0;\n      },\n      exit",
      `${again} return 0;\n      },\n      exit`,
    );
    const from = m.log.length;
    expect(m.modules.load(await sandboxed(m, "kp_twice", src))).toBe(0);
    const log = m.log.lines(from);
    expect(log.filter((l) => l.startsWith("kp_twice: again"))).toEqual([
      "kp_twice: again -22",
      "kp_twice: again -22",
    ]);
    expect(log.filter((l) => l.startsWith("WARNING: CPU:"))).toHaveLength(1);
    const f2 = m.log.length;
    m.host().readFile("/proc/cmdline");
    expect(m.log.lines(f2)).toEqual(["kp_twice: a"]);
    expect(m.modules.unload("kp_twice")).toBe(0);
    expect(kprobesOf(m).table.size).toBe(0);
  });

  it("a pre handler that throws Oopses the task that called the probed function", async () => {
    const m = await boot({ arch: "arm64" });
    const src = probes(["a"], "", `throw new Error("boom");`);
    expect(m.modules.load(await sandboxed(m, "kp_throw", src))).toBe(0);
    const from = m.log.length;
    m.host().readFile("/proc/cmdline");
    const log = m.log.lines(from);
    expect(log[0]).toBe("BUG: kp_throw: cmdline_proc_show pre_handler: exception: Error: boom");
    expect(log).toContain("Oops: 0000 [#1] PREEMPT SMP NOPTI");
  });
});
