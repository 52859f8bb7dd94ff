// fixture.ts: a core with some kernel functions, and the same functions in a reference kallsyms.
import type { Core } from "../bindings/index.ts";
import { VMLINUX } from "../bindings/index.ts";
import { RefKallsyms } from "../reference/ops.ts";
import { createReference } from "../reference/tasks.ts";
import { loadCore } from "./loadCore.ts";

export interface Fixture {
  core: Core;
  syms: RefKallsyms;
  ref: ReturnType<typeof createReference>;
  /** Function ids 0..n-1 (sizes 64, 80, 96, ...). */
  fns: number[];
}

/** A fresh x86_64 core with `n` vmlinux functions, mirrored in a reference model. */
export async function fixture(n = 8): Promise<Fixture> {
  const core = await loadCore();
  if (core.text.init("x86_64") !== 0) throw new Error("text_init failed");
  const syms = new RefKallsyms();
  const fns: number[] = [];
  for (let i = 0; i < n; i++) {
    const size = 64 + 16 * (i % 8);
    const id = core.text.addFunction(VMLINUX, size);
    syms.add(core.text.funcAddr(id), size);
    fns.push(id);
  }
  return { core, syms, ref: createReference(syms), fns };
}
