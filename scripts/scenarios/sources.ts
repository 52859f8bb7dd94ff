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

/**
 * klp_objs: three objects kept for the module's lifetime (kzalloc), each used through obj_use()
 * (which logs it) when /proc/klp_objs is read; they are freed at rmmod. The target of klp_objs_fix. Playground
 * code, not a kernel module.
 */
export const OBJS = `import { GFP_KERNEL, kaddr, kcall, kfree, kzalloc, pr_info, proc_create_single,
  remove_proc_entry } from "linux";

const objs: number[] = [];

function obj_use(obj: number): number {
  pr_info("%s: obj %p\\n", "obj_use", kaddr(obj));
  return 0;
}

function klp_objs_show(): number {
  for (const obj of objs) kcall(obj_use, obj);
  return 0;
}

export default {
  functions: [{ name: "obj_use", body: obj_use }, { name: "klp_objs_show", body: klp_objs_show }],
  init(): number {
    for (let i = 0; i < 3; i++) objs.push(kzalloc(16, GFP_KERNEL));
    if (!proc_create_single("klp_objs", 0, klp_objs_show)) return -12;
    pr_info("%s\\n", "klp_objs_init");
    return 0;
  },
  exit(): void {
    remove_proc_entry("klp_objs");
    for (const obj of objs) kfree(obj);
    pr_info("%s\\n", "klp_objs_exit");
  },
};
`;

/**
 * klp_objs_fix: a livepatch of obj_use that counts each object's uses in a shadow variable
 * (id 1), allocated on first use. State 1 is_shadow with a shadow_dtor, and the patch has no
 * callback that calls klp_shadow_free_all: under the proposed series the core frees the counters
 * when the state goes; under mainline (neither field) nothing does. Playground code.
 */
export const OBJS_FIX = `import { GFP_KERNEL, kaddr, klp_enable_patch, klp_shadow_get_or_alloc, pr_info,
  shadow_read_u32, shadow_write_u32 } from "linux";

const SV_USES = 1;

function fix_obj_use(obj: number): number {
  const uses = klp_shadow_get_or_alloc(obj, SV_USES, 4, GFP_KERNEL);
  if (!uses) return -12;
  shadow_write_u32(uses, 0, shadow_read_u32(uses, 0) + 1);
  pr_info("%s: obj %p, use %u\\n", "fix_obj_use", kaddr(obj), shadow_read_u32(uses, 0));
  return 0;
}

export default {
  livepatch: true,
  functions: [{ name: "fix_obj_use", body: fix_obj_use }],
  init(): number {
    return klp_enable_patch({
      objs: [{ name: "klp_objs", funcs: [{ old_name: "obj_use", new_func: fix_obj_use }] }],
      states: [{
        id: SV_USES,
        is_shadow: true,
        callbacks: { shadow_dtor: (obj) => pr_info("%s: obj %p\\n", "uses freed", kaddr(obj)) },
      }],
    });
  },
};
`;
