// mod-target.ts: test_klp_mod_target (a module with /proc/test_klp_mod_target, whose show
// function prints its original text) and test_klp_mod_patch (a livepatch for that module's
// show function).
import { done, type KCode } from "../engine/machine/kcode.ts";
import type { Machine } from "../engine/machine/machine.ts";
import type { ModuleDef } from "../engine/machine/module.ts";
import type { SeqFile } from "../engine/machine/vmlinux.ts";
import { livePatchedShow, prInfo } from "./common.ts";

const TARGET = "test_klp_mod_target";
const SHOW = "test_klp_mod_target_show";

/** A procfs read by the current task: seq_read_iter -> the module's show function (by id). */
function readProc(m: Machine, showId: number): string {
  const t = m.current;
  if (!t) return "";
  const seq: SeqFile & { show: number } = { buf: "", show: showId };
  const body: KCode = m.call(t, m.fn("seq_read_iter"), seq);
  for (let r = body.next(); !r.done; r = body.next()) {
    /* show functions do not sleep */
  }
  return seq.buf;
}

export function testKlpModTarget(): ModuleDef {
  return {
    name: TARGET,
    functions: [
      {
        name: SHOW,
        size: 0x40,
        body: (_m, _t, arg) => {
          (arg as SeqFile).buf += `${TARGET}: original output\n`;
          return done(0);
        },
      },
    ],
    init: (ctx) => {
      const id = ctx.mod.symbols.find((s) => s.name === SHOW)?.id ?? -1;
      ctx.m.vfs.addFile(`/proc/${TARGET}`, { mode: 0o444, show: () => readProc(ctx.m, id) });
      prInfo(ctx.m, TARGET, "%s\n", `${TARGET}_init`);
      return 0;
    },
    exit: (ctx) => {
      ctx.m.vfs.remove(`/proc/${TARGET}`);
      prInfo(ctx.m, TARGET, "%s\n", `${TARGET}_exit`);
    },
  };
}

export function testKlpModPatch(): ModuleDef {
  const name = "test_klp_mod_patch";
  return {
    name,
    livepatch: true,
    functions: [{ name: "livepatch_mod_target_show", size: 0x40, body: livePatchedShow(name) }],
    init: (ctx) =>
      ctx.klpEnablePatch({
        objs: [
          { name: TARGET, funcs: [{ old_name: SHOW, new_func: "livepatch_mod_target_show" }] },
        ],
      }),
  };
}
