// proposed.ts: test helpers for the proposed states model: klp_state definitions whose callbacks
// print through the livepatch module's prefix and keep a shadow variable on the NULL object, as
// the proposed series' own tests do (engine names only).
import type { KlpStateDef } from "../livepatch/api.ts";
import { LogLevel } from "../log.ts";
import type { Machine } from "../machine/machine.ts";

export interface StateSpec {
  id: number;
  /** What pre_patch returns (0 by default). */
  preRet?: number;
  block_disable?: boolean;
  /** is_shadow; true by default. */
  shadow?: boolean;
}

/**
 * States whose callbacks print `<patch>: <cb> <id>`; post_patch allocates the state's shadow
 * variable on object 0 (get_or_alloc), and the dtor prints `<patch>: dtor <id>`.
 */
export function loggingStates(m: Machine, specs: StateSpec[]): KlpStateDef[] {
  const say = (who: string, what: string, id: number) =>
    m.pr(LogLevel.Info, `${who}: `, "%s %d\n", what, id);
  return specs.map((sp) => ({
    id: sp.id,
    is_shadow: sp.shadow ?? true,
    block_disable: sp.block_disable ?? false,
    callbacks: {
      pre_patch: (p, s) => {
        say(p.name, "pre", s.id);
        return sp.preRet ?? 0;
      },
      post_patch: (p, s) => {
        say(p.name, "post", s.id);
        m.klp.shadow.getOrAlloc(0, s.id, 8);
      },
      pre_unpatch: (p, s) => say(p.name, "pre_un", s.id),
      post_unpatch: (p, s) => say(p.name, "post_un", s.id),
      shadow_dtor: () => say("dtor", "id", sp.id),
    },
  }));
}
