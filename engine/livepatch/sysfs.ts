// sysfs.ts: /sys/kernel/livepatch/<patch>/ (kernel/livepatch/core.c sysfs section): enabled 0644,
// transition 0444, force 0200, replace 0444, stack_order 0444, <object>/patched 0444 and an empty
// <func>,<sympos>/ directory per func. Reads print "%d\n"; writes parse kstrtobool.
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import { kstrtobool } from "../machine/params.ts";
import type { Livepatch } from "./core.ts";
import type { KlpFunc, KlpObject, KlpPatch } from "./types.ts";
import { objName } from "./types.ts";

export const LIVEPATCH_SYSFS = "/sys/kernel/livepatch";

const b = (v: boolean): string => (v ? "1\n" : "0\n");

export function patchDir(patch: KlpPatch): string {
  return `${LIVEPATCH_SYSFS}/${patch.name}`;
}

function objDir(patch: KlpPatch, obj: KlpObject): string {
  return `${patchDir(patch)}/${objName(obj)}`;
}

/** The patch's kobject and attributes. */
export function addPatchDir(lp: Livepatch, patch: KlpPatch): void {
  const d = patchDir(patch);
  const vfs = lp.m.vfs;
  vfs.mkdir(d);
  vfs.addFile(`${d}/enabled`, {
    mode: 0o644,
    show: () => b(patch.enabled),
    store: (data) => {
      const v = kstrtobool(data);
      const r = v === null ? -EINVAL : lp.enabledStore(patch, v);
      return r < 0 ? r : data.length;
    },
  });
  vfs.addFile(`${d}/transition`, { mode: 0o444, show: () => b(lp.transitionPatch === patch) });
  vfs.addFile(`${d}/force`, {
    mode: 0o200,
    store: (data) => {
      const v = kstrtobool(data);
      const r = v === null ? -EINVAL : lp.forceStore(patch, v);
      return r < 0 ? r : data.length;
    },
  });
  vfs.addFile(`${d}/replace`, { mode: 0o444, show: () => b(patch.replace) });
  vfs.addFile(`${d}/stack_order`, {
    mode: 0o444,
    show: () => `${lp.patches.indexOf(patch) + 1}\n`,
  });
}

/** An object's directory with `patched`. */
export function addObjectDir(lp: Livepatch, patch: KlpPatch, obj: KlpObject): void {
  const d = objDir(patch, obj);
  lp.m.vfs.mkdir(d);
  lp.m.vfs.addFile(`${d}/patched`, { mode: 0o444, show: () => b(obj.patched) });
}

/** A func's empty directory "<old_name>,<sympos or 1>". */
export function addFuncDir(lp: Livepatch, patch: KlpPatch, obj: KlpObject, f: KlpFunc): void {
  lp.m.vfs.mkdir(`${objDir(patch, obj)}/${f.oldName},${f.sympos || 1}`);
}

export function removeFuncDir(lp: Livepatch, patch: KlpPatch, obj: KlpObject, f: KlpFunc): void {
  lp.m.vfs.remove(`${objDir(patch, obj)}/${f.oldName},${f.sympos || 1}`);
}

export function removeObjectDir(lp: Livepatch, patch: KlpPatch, obj: KlpObject): void {
  lp.m.vfs.remove(objDir(patch, obj));
}
