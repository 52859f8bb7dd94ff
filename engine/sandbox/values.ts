// values.ts: what crosses the sandbox boundary, on the host side.

/** A guest function or generator object, held by the guest and named by this reference. */
export class SandboxRef {
  constructor(
    /** Index in the guest's reference table. */
    readonly id: number,
    /** The sandbox (module) the reference belongs to. */
    readonly owner: string,
  ) {}
}

export type SandboxValue =
  | number
  | string
  | boolean
  | null
  | undefined
  | bigint
  | SandboxRef
  | SandboxValue[]
  | { [key: string]: SandboxValue };

type Wire = number | string | boolean | null | Wire[] | { [key: string]: Wire };

/** Host value -> the JSON wire form the guest prelude decodes. */
export function encode(v: SandboxValue): Wire {
  if (v === undefined) return { $undef: 1 };
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : { $num: String(v) };
  if (typeof v === "bigint") return { $big: v.toString() };
  if (v instanceof SandboxRef) return { $ref: v.id };
  if (Array.isArray(v)) return v.map(encode);
  const out: { [key: string]: Wire } = {};
  for (const [k, x] of Object.entries(v)) out[k] = encode(x);
  return "$ref" in v || "$undef" in v ? { $obj: out } : out;
}

/** The guest's JSON wire form -> host value. */
export function decode(w: unknown, owner: string): SandboxValue {
  if (w === null || typeof w !== "object") return w as SandboxValue;
  if (Array.isArray(w)) return w.map((x) => decode(x, owner));
  const o = w as Record<string, unknown>;
  if ("$ref" in o) return new SandboxRef(Number(o.$ref), owner);
  if ("$undef" in o) return undefined;
  if ("$num" in o) return Number(o.$num);
  if ("$big" in o) return BigInt(String(o.$big));
  const src = ("$obj" in o ? o.$obj : o) as Record<string, unknown>;
  const out: { [key: string]: SandboxValue } = {};
  for (const [k, x] of Object.entries(src)) out[k] = decode(x, owner);
  return out;
}

/**
 * `v` as sandbox `owner` may receive it: references into another sandbox mean nothing there
 * (they would name an unrelated guest object), so they become undefined.
 */
export function ownedBy(v: SandboxValue, owner: string): SandboxValue {
  if (v instanceof SandboxRef) return v.owner === owner ? v : undefined;
  if (Array.isArray(v)) return v.map((x) => ownedBy(x, owner));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ownedBy(x, owner)]));
  }
  return v;
}
