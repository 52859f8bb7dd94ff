// graph.ts: an in-place image of a JavaScript object graph, the engine half of a checkpoint.
// capture() walks everything reachable from the roots (own enumerable properties, array
// elements, Map and Set entries) and keeps, per object, a shallow copy of its contents; restore()
// writes those contents back into the same objects. Identity is kept, so a closure that holds
// an object of the graph (a timer's `() => this.wake(t)`) still holds the right one after a
// restore, and the objects created since the capture simply become unreachable.
//
// What cannot be imaged is refused, so that a caller falls back to an exact replay rather than
// restoring something half: a generator (its position is invisible), a promise, a weak
// collection. Functions are leaves: what they capture must be const bindings to objects that
// the walk also reaches (engine/README.md says so for code that keeps closures in state).
// Objects that hold state outside JavaScript (the core's linear memory, a QuickJS heap) are
// resources: they image themselves (SNAPSHOT below) and the walk does not enter them.
import { err, ok, type Result } from "../result.ts";

/** The method by which a resource images itself: returns what puts it back. */
export const SNAPSHOT: unique symbol = Symbol.for("klp-playground.snapshot");

/** Puts a resource back as it was when its SNAPSHOT method ran. */
export type Restorer = (() => void) & {
  /** About how many bytes the image holds that no earlier image shares (for a budget). */
  bytes?: number;
};

export interface Snapshottable {
  [SNAPSHOT](): Result<Restorer, string>;
}

/** Images an object that holds state outside JavaScript: returns what puts it back. */
export type Imager = (o: object) => Result<Restorer, string>;

export interface CaptureOptions {
  /** Objects that are not state: not entered, not imaged (identity, checked first). */
  external?: ReadonlySet<object>;
  /**
   * How to treat instances of classes (asked once per prototype): a resource imaging itself, or
   * opaque. Plain objects, arrays and the built-in collections are never asked.
   */
  classify?: (proto: object) => "opaque" | Imager | undefined;
  /** The image taken before: contents that did not change are shared with it. */
  previous?: GraphImage;
}

export interface GraphImage {
  /** The objects, in walk order, and for each the shallow copy of its contents. */
  readonly objects: readonly object[];
  readonly contents: readonly Contents[];
  readonly restorers: readonly Restorer[];
  /** About how many bytes this image added (contents and resources it does not share). */
  readonly bytes: number;
}

/** A rough size of new contents: an object header and a slot per entry. */
function sizeOf(c: Contents): number {
  if (c.kind === Kind.Bytes) return 48 + c.bytes.length;
  return 48 + 8 * (c.kind === Kind.Record || c.kind === Kind.Map ? c.kv.length : c.items.length);
}

/** An object's contents: [key, value, key, value, ...] for records and maps, items otherwise. */
type Contents =
  | { kind: Kind.Record; kv: unknown[] }
  | { kind: Kind.Array; items: unknown[] }
  | { kind: Kind.Map; kv: unknown[] }
  | { kind: Kind.Set; items: unknown[] }
  | { kind: Kind.Bytes; bytes: Uint8Array };

const enum Kind {
  Record,
  Array,
  Map,
  Set,
  Bytes,
  Opaque,
  Resource,
  Refused,
}

const REFUSED = new Set([
  "[object Generator]",
  "[object AsyncGenerator]",
  "[object Promise]",
  "[object WeakMap]",
  "[object WeakSet]",
  "[object WeakRef]",
  "[object ArrayBuffer]",
]);

function isObject(v: unknown): v is object {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

/** Images a resource through its SNAPSHOT method. */
const bySnapshotMethod: Imager = (o) => (o as Snapshottable)[SNAPSHOT]();

/**
 * The kind of every object with prototype `proto` (asked once per prototype and walk), and for a
 * resource its imager.
 */
function kindOf(o: object, proto: object, opts: CaptureOptions): [Kind, Imager?] {
  if (o instanceof Map) return [Kind.Map];
  if (o instanceof Set) return [Kind.Set];
  if (ArrayBuffer.isView(o)) return [Kind.Bytes];
  if (REFUSED.has(Object.prototype.toString.call(o))) return [Kind.Refused];
  const c = opts.classify?.(proto);
  if (c === "opaque") return [Kind.Opaque];
  if (c) return [Kind.Resource, c];
  if (typeof (o as Partial<Snapshottable>)[SNAPSHOT] === "function")
    return [Kind.Resource, bySnapshotMethod];
  return [Kind.Record];
}

/**
 * Images everything reachable from `roots`. @returns the image, or why it cannot be taken (the
 * path to what was refused).
 */
export function capture(
  roots: readonly object[],
  opts: CaptureOptions = {},
): Result<GraphImage, string> {
  const objects: object[] = [];
  const contents: Contents[] = [];
  const restorers: Restorer[] = [];
  let bytes = 0;
  const seen = new Set<object>();
  const kinds = new Map<object | null, Kind>([
    [Object.prototype, Kind.Record],
    [null, Kind.Record],
    [Array.prototype, Kind.Array],
  ]);
  const imagers = new Map<object, Imager>();
  const external = opts.external;
  const previous = opts.previous;
  const stack: object[] = [...roots].reverse();
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    if (typeof o === "function" || external?.has(o)) continue;
    const proto = Object.getPrototypeOf(o) as object | null;
    let kind = kinds.get(proto);
    if (kind === undefined) {
      const [k, imager] = kindOf(o, proto!, opts);
      kind = k;
      kinds.set(proto, k);
      if (imager) imagers.set(proto!, imager);
    }
    if (kind === Kind.Opaque) continue;
    if (kind === Kind.Refused)
      return err(`${pathTo(o, roots, opts)}: a ${tagOf(o)} cannot be imaged`);
    if (kind === Kind.Resource) {
      const r = imagers.get(proto!)!(o);
      if (!r.ok) return err(`${pathTo(o, roots, opts)}: ${r.error}`);
      restorers.push(r.value);
      bytes += r.value.bytes ?? 0;
      continue;
    }
    const i = objects.length;
    const prev = previous && previous.objects[i] === o ? previous.contents[i] : undefined;
    objects.push(o);
    const c = contentsOf(o, kind, prev, stack, seen);
    if (c !== prev) bytes += sizeOf(c);
    contents.push(c);
  }
  return ok({ objects, contents, restorers, bytes: bytes + 8 * objects.length });
}

function tagOf(o: object): string {
  return Object.prototype.toString.call(o).slice(8, -1);
}

/** Pushes the children of `o` and returns its contents, `prev` itself when they are the same. */
function contentsOf(
  o: object,
  kind: Kind,
  prev: Contents | undefined,
  stack: object[],
  seen: Set<object>,
): Contents {
  switch (kind) {
    case Kind.Array: {
      const a = o as unknown[];
      let same = prev !== undefined && prev.kind === Kind.Array && prev.items.length === a.length;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (same && v !== (prev as { items: unknown[] }).items[i]) same = false;
        if (isObject(v) && !seen.has(v)) stack.push(v);
      }
      return same ? prev! : { kind: Kind.Array, items: a.slice() };
    }
    case Kind.Map: {
      const m = o as Map<unknown, unknown>;
      const old = prev?.kind === Kind.Map && prev.kv.length === m.size * 2 ? prev.kv : null;
      let same = old !== null;
      let i = 0;
      for (const [k, v] of m) {
        if (same && (old![i] !== k || old![i + 1] !== v)) same = false;
        i += 2;
        if (isObject(k) && !seen.has(k)) stack.push(k);
        if (isObject(v) && !seen.has(v)) stack.push(v);
      }
      if (same) return prev!;
      const kv: unknown[] = [];
      for (const [k, v] of m) kv.push(k, v);
      return { kind: Kind.Map, kv };
    }
    case Kind.Set: {
      const items = [...(o as Set<unknown>)];
      for (const v of items) if (isObject(v) && !seen.has(v)) stack.push(v);
      return { kind: Kind.Set, items };
    }
    case Kind.Bytes: {
      const v = o as ArrayBufferView;
      return {
        kind: Kind.Bytes,
        bytes: new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice(),
      };
    }
    default:
      return recordOf(o as Record<string, unknown>, prev, stack, seen);
  }
}

function recordOf(
  r: Record<string, unknown>,
  prev: Contents | undefined,
  stack: object[],
  seen: Set<object>,
): Contents {
  const old = prev?.kind === Kind.Record ? prev.kv : null;
  let same = old !== null;
  let n = 0;
  for (const k in r) {
    if (!Object.prototype.hasOwnProperty.call(r, k)) continue;
    const v = r[k];
    if (same && (old![n] !== k || old![n + 1] !== v)) same = false;
    n += 2;
    if (isObject(v) && !seen.has(v)) stack.push(v);
  }
  if (same && n === old!.length) return prev!;
  const kv: unknown[] = new Array(n);
  let i = 0;
  for (const k in r) {
    if (!Object.prototype.hasOwnProperty.call(r, k)) continue;
    kv[i++] = k;
    kv[i++] = r[k];
  }
  return { kind: Kind.Record, kv };
}

/** The path from a root to `target` (a second, slower walk, only to say where a refusal is). */
function pathTo(target: object, roots: readonly object[], opts: CaptureOptions): string {
  const seen = new Set<object>();
  const queue: { o: object; path: string }[] = roots.map((o, i) => ({ o, path: `root${i}` }));
  for (let q = 0; q < queue.length; q++) {
    const { o, path } = queue[q]!;
    if (o === target) return path;
    if (seen.has(o) || typeof o === "function" || opts.external?.has(o)) continue;
    seen.add(o);
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto && proto !== Object.prototype && proto !== Array.prototype) {
      const [k] = kindOf(o, proto, opts);
      if (k === Kind.Opaque || k === Kind.Resource || k === Kind.Refused) continue;
    }
    const step = (v: unknown, key: string) => {
      if (isObject(v)) queue.push({ o: v, path: `${path}${key}` });
    };
    if (o instanceof Map) for (const [k, v] of o) step(v, `.get(${String(k)})`);
    else if (o instanceof Set) for (const v of o) step(v, ".<item>");
    else if (Array.isArray(o)) o.forEach((v, i) => step(v, `[${i}]`));
    else for (const k of Object.keys(o)) step((o as Record<string, unknown>)[k], `.${k}`);
  }
  return "(unknown)";
}

/** Writes every imaged object's contents back, then each resource's state. */
export function restore(image: GraphImage): void {
  for (let i = 0; i < image.objects.length; i++) putBack(image.objects[i]!, image.contents[i]!);
  for (const r of image.restorers) r();
}

function putBack(o: object, c: Contents): void {
  switch (c.kind) {
    case Kind.Array: {
      const a = o as unknown[];
      a.length = c.items.length;
      for (let i = 0; i < c.items.length; i++) a[i] = c.items[i];
      return;
    }
    case Kind.Map: {
      const m = o as Map<unknown, unknown>;
      m.clear();
      for (let i = 0; i < c.kv.length; i += 2) m.set(c.kv[i], c.kv[i + 1]);
      return;
    }
    case Kind.Set: {
      const s = o as Set<unknown>;
      s.clear();
      for (const v of c.items) s.add(v);
      return;
    }
    case Kind.Bytes: {
      const v = o as ArrayBufferView;
      new Uint8Array(v.buffer, v.byteOffset, v.byteLength).set(c.bytes);
      return;
    }
    case Kind.Record:
      // A frozen object cannot have changed (its children are imaged on their own).
      if (!Object.isFrozen(o)) putRecord(o as Record<string, unknown>, c.kv);
  }
}

/**
 * Same keys in the same order: values only. Otherwise rebuilt, so that key order is kept too. An
 * accessor (a getter in an object literal) is not state: it is left as it is.
 */
function putRecord(r: Record<string, unknown>, kv: unknown[]): void {
  const keys = Object.keys(r);
  let same = keys.length * 2 === kv.length;
  for (let i = 0; same && i < keys.length; i++) same = keys[i] === kv[i * 2];
  if (!same) for (const k of keys) if (!isAccessor(r, k)) delete r[k];
  for (let i = 0; i < kv.length; i += 2) {
    const k = kv[i] as string;
    // Unchanged values are not written (a restore touches only what changed).
    if ((!same || r[k] !== kv[i + 1]) && !isAccessor(r, k)) r[k] = kv[i + 1];
  }
}

function isAccessor(r: object, k: string): boolean {
  const d = Object.getOwnPropertyDescriptor(r, k);
  return d !== undefined && (d.get !== undefined || d.set !== undefined);
}
