// params.ts: module parameters (kernel/params.c): int, bool (shown Y/N) and charp, set at load
// from "name=value" arguments and through /sys/module/<m>/parameters/<name> when the permission
// allows it, with optional get/set hooks (module_param_cb).
import { EINVAL, ENOENT } from "../../core-wasm/bindings/index.ts";
import type { ModuleCtx } from "./module.ts";
import type { Attr } from "./vfs.ts";

export type ParamType = "int" | "bool" | "charp";

export interface ParamDef {
  name: string;
  type: ParamType;
  /** sysfs permission, e.g. 0o644; 0 hides the file. */
  perm: number;
  value: number | boolean | string;
  /**
   * A set hook (kernel_param_ops.set): runs after the value was parsed and stored, in the
   * module's context (it may start work and wait for it). @returns 0 or -errno.
   */
  set?: (value: number | boolean | string, ctx: ModuleCtx) => number;
  /** A get hook (kernel_param_ops.get): the text shown instead of the default. */
  get?: (ctx: ModuleCtx) => string;
}

/** kstrtobool(): looks at the first character (two for on/off). @returns the value or null. */
export function kstrtobool(s: string): boolean | null {
  const c = s[0] ?? "";
  if ("yYtTeE1".includes(c) && c !== "") return true;
  if ("nNfFdD0".includes(c) && c !== "") return false;
  if (c === "o" || c === "O") {
    const d = s[1] ?? "";
    if (d === "n" || d === "N") return true;
    if (d === "f" || d === "F") return false;
  }
  return null;
}

/** kstrtoint() on a value with an optional trailing newline. */
function parseInt32(s: string): number | null {
  const t = s.endsWith("\n") ? s.slice(0, -1) : s;
  if (!/^[+-]?(0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(t)) return null;
  const neg = t.startsWith("-");
  const body = t.replace(/^[+-]/, "");
  const v = body.startsWith("0x")
    ? parseInt(body, 16)
    : body.length > 1 && body.startsWith("0")
      ? parseInt(body, 8)
      : parseInt(body, 10);
  const r = neg ? -v : v;
  return r < -2147483648 || r > 2147483647 ? null : r;
}

/** Parses and stores one value. @returns 0 or -EINVAL. */
export function setParam(ctx: ModuleCtx, p: ParamDef, raw: string): number {
  let v: number | boolean | string;
  if (p.type === "int") {
    const n = parseInt32(raw);
    if (n === null) return -EINVAL;
    v = n;
  } else if (p.type === "bool") {
    const b = kstrtobool(raw);
    if (b === null) return -EINVAL;
    v = b;
  } else {
    v = raw.endsWith("\n") ? raw.slice(0, -1) : raw;
  }
  ctx.mod.params.set(p.name, v);
  return p.set ? p.set(v, ctx) : 0;
}

/** One "name=value" load argument. @returns 0, -ENOENT (unknown parameter), -EINVAL. */
export function parseParam(ctx: ModuleCtx, defs: ParamDef[], arg: string): number {
  const eq = arg.indexOf("=");
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const p = defs.find((d) => d.name === name);
  if (!p) return -ENOENT;
  // A bare boolean name means "Y", as parse_args does.
  return setParam(ctx, p, eq < 0 ? "Y" : arg.slice(eq + 1));
}

/** The sysfs attribute of a parameter: show/store only where the permission has r/w bits. */
export function paramAttr(ctx: ModuleCtx, p: ParamDef): Attr {
  const attr: Attr = { mode: p.perm };
  if (p.perm & 0o444) {
    attr.show = () => {
      if (p.get) return p.get(ctx);
      const v = ctx.mod.params.get(p.name);
      if (p.type === "bool") return v ? "Y\n" : "N\n";
      return `${String(v)}\n`;
    };
  }
  if (p.perm & 0o222) {
    attr.store = (data) => {
      const r = setParam(ctx, p, data);
      return r < 0 ? r : data.length;
    };
  }
  return attr;
}
