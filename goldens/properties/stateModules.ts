// stateModules.ts: small livepatch modules with proposed-series klp_states for the property tests
// (the speaker modules come later): each carries some state ids, with callbacks that print,
// allocate the state's shadow variable in post_patch and, in pre_patch, return the module's
// pre_patch_ret parameter (so `echo -19 > .../pre_patch_ret` makes the next introduction fail).
import type { KlpStateDef } from "../../engine/livepatch/api.ts";
import { LogLevel } from "../../engine/log.ts";
import type { Machine } from "../../engine/machine/machine.ts";
import type { ModuleDef } from "../../engine/machine/module.ts";
import { lpModule } from "../../engine/testing/fixture.ts";

export interface StateModuleSpec {
  name: string;
  ids: number[];
  replace: boolean;
  blockDisable?: number[];
}

export const STATE_MODULES: readonly StateModuleSpec[] = [
  { name: "klp_states_a", ids: [11, 12], replace: false },
  { name: "klp_states_b", ids: [12, 13], replace: false },
  { name: "klp_states_r", ids: [11, 13], replace: true },
  { name: "klp_states_blk", ids: [14], replace: false, blockDisable: [14] },
  { name: "klp_states_rblk", ids: [11, 14], replace: true, blockDisable: [14] },
];

/** The int parameter `pre_patch_ret` of loaded module `name` (0 when none). */
export function preRetOf(m: Machine, name: string): number {
  const v = m.modules.get(name)?.params.get("pre_patch_ret");
  return typeof v === "number" ? v : 0;
}

function states(m: () => Machine, spec: StateModuleSpec): KlpStateDef[] {
  const say = (p: string, what: string, id: number) =>
    m().pr(LogLevel.Info, `${p}: `, "%s %d\n", what, id);
  return spec.ids.map((id) => ({
    id,
    is_shadow: true,
    block_disable: spec.blockDisable?.includes(id) ?? false,
    callbacks: {
      pre_patch: (p) => {
        say(p.name, "pre_patch", id);
        return preRetOf(m(), p.name);
      },
      post_patch: (p) => {
        say(p.name, "post_patch", id);
        m().klp.shadow.getOrAlloc(0, id, 8);
      },
      pre_unpatch: (p) => say(p.name, "pre_unpatch", id),
      post_unpatch: (p) => say(p.name, "post_unpatch", id),
    },
  }));
}

/** The module `spec` describes; it patches cmdline_proc_show and the busy module's worker. */
export function stateModule(m: () => Machine, spec: StateModuleSpec): ModuleDef {
  const def = lpModule(spec.name, {
    replace: spec.replace,
    states: states(m, spec),
    objs: [
      { name: null, funcs: ["cmdline_proc_show"] },
      { name: "test_klp_callbacks_busy", funcs: ["busymod_work_func"] },
    ],
  });
  return { ...def, params: [{ name: "pre_patch_ret", type: "int", perm: 0o644, value: 0 }] };
}
