// arrays.ts: bash's indexed arrays (array.c): sparse, indexed from 0 by 64-bit integers, listed in
// index order whatever the order of assignment. A negative subscript counts back from the end
// (past the highest index plus one); too far back is bash's "bad array subscript".

/** One indexed array variable. */
export class IndexedArray {
  /** Elements by index; kept in insertion order, so readers sort (see entries). */
  readonly items = new Map<number, string>();
  /** Declared (`declare -a a`) and never assigned: declare -p prints no value for it. */
  bare = false;

  /** Its elements in index order. */
  entries(): [number, string][] {
    return [...this.items.entries()].sort((a, b) => a[0] - b[0]);
  }

  values(): string[] {
    return this.entries().map((e) => e[1]);
  }

  indices(): number[] {
    return this.entries().map((e) => e[0]);
  }

  /** The highest index in use, -1 when empty (bash's array_max_index). */
  maxIndex(): number {
    let max = -1;
    for (const i of this.items.keys()) if (i > max) max = i;
    return max;
  }

  /** A subscript as bash resolves it: a negative one from the end. @returns null when before 0. */
  resolve(index: number): number | null {
    const i = index < 0 ? this.maxIndex() + 1 + index : index;
    return i < 0 ? null : i;
  }

  get(index: number): string | undefined {
    const i = this.resolve(index);
    return i === null ? undefined : this.items.get(i);
  }

  /** a[i]=v. @returns false for a subscript before the start. */
  set(index: number, value: string): boolean {
    const i = this.resolve(index);
    if (i === null) return false;
    this.items.set(i, value);
    this.bare = false;
    return true;
  }

  /** a+=(v...): appends after the highest index. */
  push(value: string): void {
    this.set(this.maxIndex() + 1, value);
  }

  /** unset 'a[i]'. @returns false for a subscript before the start. */
  delete(index: number): boolean {
    const i = this.resolve(index);
    if (i === null) return false;
    this.items.delete(i);
    return true;
  }

  clone(): IndexedArray {
    const a = new IndexedArray();
    for (const [i, v] of this.items) a.items.set(i, v);
    a.bare = this.bare;
    return a;
  }
}

/** `name[sub]` as a variable key (arithmetic and lookups pass elements by it). */
export const ELEMENT = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s;

/**
 * How `declare -p` writes a value (bash's sh_double_quote, or $'...' for control characters as
 * ansic_quote does): "..." with \ " $ ` escaped.
 */
export function declareQuote(v: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x01-\x1f\x7f]/.test(v)) return ansiQuote(v);
  return `"${v.replace(/[\\"$`]/g, "\\$&")}"`;
}

const ANSI: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\x1b": "\\E",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "'": "\\'",
  "\\": "\\\\",
};

function ansiQuote(v: string): string {
  let out = "";
  for (const c of v) {
    const code = c.codePointAt(0)!;
    if (ANSI[c] !== undefined) out += ANSI[c];
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += c;
  }
  return `$'${out}'`;
}

/** `declare -p`'s value part for an array: ([0]="x" [1]="y"), or nothing for no elements. */
export function declareArray(a: IndexedArray): string {
  return `(${a
    .entries()
    .map(([i, v]) => `[${i}]=${declareQuote(v)}`)
    .join(" ")})`;
}

/**
 * One associative array, kept as bash 5.2 keeps it (hashlib.c), because its keys come out in the
 * table's order: 1024 buckets by the key's FNV-1 hash, each a chain with the newest key first;
 * at twice as many keys as buckets the table grows fourfold, moving each chain's keys, in
 * order, to the front of their new buckets.
 */
export class AssocArray {
  buckets: string[][] = Array.from({ length: 1024 }, () => []);
  readonly items = new Map<string, string>();
  /** Declared (`declare -A a`) and never assigned: declare -p prints no value for it. */
  bare = false;

  private bucketOf(key: string): string[] {
    return this.buckets[bashHash(key) & (this.buckets.length - 1)]!;
  }

  get(key: string): string | undefined {
    return this.items.get(key);
  }

  set(key: string, value: string): void {
    this.bare = false;
    if (!this.items.has(key)) {
      if (this.items.size >= this.buckets.length * 2) this.grow();
      this.bucketOf(key).unshift(key);
    }
    this.items.set(key, value);
  }

  delete(key: string): void {
    if (!this.items.delete(key)) return;
    const b = this.bucketOf(key);
    b.splice(b.indexOf(key), 1);
  }

  private grow(): void {
    const old = this.buckets;
    this.buckets = Array.from({ length: old.length * 4 }, () => []);
    for (const chain of old) for (const k of chain) this.bucketOf(k).unshift(k);
  }

  /** Key and value pairs in the order bash lists them. */
  entries(): [string, string][] {
    return this.buckets.flat().map((k) => [k, this.items.get(k)!]);
  }

  clone(): AssocArray {
    const a = new AssocArray();
    a.buckets = this.buckets.map((b) => [...b]);
    for (const [k, v] of this.items) a.items.set(k, v);
    a.bare = this.bare;
    return a;
  }
}

/** hashlib.c's hash_string: 32-bit FNV-1 over the key's bytes, each as a signed char. */
export function bashHash(key: string): number {
  let h = 2166136261;
  for (const b of new TextEncoder().encode(key)) {
    h = Math.imul(h, 16777619) >>> 0;
    h = (h ^ ((b << 24) >> 24)) >>> 0;
  }
  return h;
}

/** An array variable of either kind. */
export type ArrayVar = IndexedArray | AssocArray;

/** `declare -p`'s value part for an associative array: keys quoted where bash quotes them. */
export function declareAssoc(a: AssocArray): string {
  const items = a.entries().map(([k, v]) => `[${assocKey(k)}]=${declareQuote(v)} `);
  return `(${items.join("")})`;
}

/** A key as assoc_to_assign writes it: double-quoted when it holds a shell metacharacter. */
function assocKey(k: string): string {
  const metas = /[ \t\n'"\\|&;()<>!{}*[?\]^$`]|^[~#]|[=:]~/.test(k);
  return metas || k === "@" || k === "*" ? declareQuote(k) : k;
}
