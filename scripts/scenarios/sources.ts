// sources.ts: the TypeScript sources of the teaching scenarios' embedded modules (they travel
// inside the scenario JSON; this file is where the generator takes them from). Names are the
// playground's own, not the kernel's test modules.

/**
 * klp_sleeper: sleeper_wait() waits for work for up to an hour: with msleep_interruptible when
 * `interruptible=1` (a fake signal wakes it), with msleep (TASK_UNINTERRUPTIBLE) otherwise. The
 * scenario's machine has a task that calls it (a kthread's loop, or a process's system call).
 * Nothing runs after the sleep: the engine ends an interrupted system call by unwinding it, where
 * the kernel would return from msleep_interruptible early; this way both print the same.
 */
export const SLEEPER = `import { module_param, msleep, msleep_interruptible, pr_info } from "linux";

const HOUR_MS = 3600 * 1000;

function* sleeper_wait() {
  if (module_param("interruptible")) yield msleep_interruptible(HOUR_MS);
  else yield msleep(HOUR_MS);
  return 0;
}

export default {
  params: [{ name: "interruptible", type: "bool", perm: 0o444, value: true }],
  functions: [{ name: "sleeper_wait", size: 0x80, body: sleeper_wait }],
  init(): number {
    pr_info("%s\\n", "klp_sleeper_init");
    return 0;
  },
  exit(): void {
    pr_info("%s\\n", "klp_sleeper_exit");
  },
};
`;

/** A livepatch of klp_sleeper's sleeper_wait: the new wait says so, then sleeps as the old. */
export function sleeperFix(opts: { replace?: boolean; tag: string }): string {
  return `import { klp_enable_patch, module_param, msleep, msleep_interruptible, pr_info } from "linux";

const HOUR_MS = 3600 * 1000;

function* ${opts.tag}_sleeper_wait() {
  pr_info("%s: waiting (${opts.tag})\\n", "sleeper_wait");
  yield msleep(HOUR_MS);
  return 0;
}

export default {
  livepatch: true,
  functions: [{ name: "${opts.tag}_sleeper_wait", size: 0x80, body: ${opts.tag}_sleeper_wait }],
  init(): number {
    return klp_enable_patch({
      objs: [{ name: "klp_sleeper",
               funcs: [{ old_name: "sleeper_wait", new_func: ${opts.tag}_sleeper_wait }] }],
      replace: ${opts.replace ? "true" : "false"},
    });
  },
};
`;
}

/** A livepatch of the listed /proc show functions, each printing `<tag>: <function>`. */
export function procPatch(opts: { tag: string; funcs: string[]; replace: boolean }): string {
  const fns = opts.funcs
    .map(
      (f) => `function ${opts.tag}_${f}(m: number): number {
  seq_printf(m, "%s\\n", "${opts.tag}: ${f}");
  return 0;
}`,
    )
    .join("\n\n");
  const list = opts.funcs
    .map((f) => `{ name: "${opts.tag}_${f}", body: ${opts.tag}_${f} }`)
    .join(", ");
  const funcs = opts.funcs
    .map((f) => `{ old_name: "${f}", new_func: ${opts.tag}_${f} }`)
    .join(", ");
  return `import { klp_enable_patch, seq_printf } from "linux";

${fns}

export default {
  livepatch: true,
  functions: [${list}],
  init(): number {
    return klp_enable_patch({ objs: [{ name: null, funcs: [${funcs}] }], replace: ${opts.replace} });
  },
};
`;
}

/**
 * klp_shadow_state: a livepatch without functions whose init allocates shadow variable 7 on a
 * fixed object and whose state 7 is_shadow with a shadow_dtor (the proposed series' fields; a
 * mainline kernel ignores them). Loaded again, init says whether the variable outlived the
 * previous patch. Playground code, not a kernel module.
 */
export const SHADOW_STATE = `import {
  GFP_KERNEL,
  klp_enable_patch,
  klp_shadow_alloc,
  klp_shadow_get,
  pr_info,
} from "linux";

const ID = 7;
const OBJ = 0x1000;

export default {
  livepatch: true,
  init(): number {
    if (klp_shadow_get(OBJ, ID)) pr_info("%s: shadow %d still there: leaked\\n", "init", ID);
    else if (klp_shadow_alloc(OBJ, ID, 8, GFP_KERNEL)) pr_info("%s: shadow %d allocated\\n", "init", ID);
    return klp_enable_patch({
      objs: [{ name: null, funcs: [] }],
      states: [{
        id: ID,
        is_shadow: true,
        callbacks: { shadow_dtor: () => pr_info("%s: shadow %d freed\\n", "dtor", ID) },
      }],
    });
  },
};
`;
