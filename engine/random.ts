// random.ts: the machine's seeded random source (sfc32, seeded through splitmix32), so that every
// choice that would be random in a real kernel (pointer hashing keys, scheduling jitter) repeats
// exactly for the same seed, in Node and in the browser.

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    const next = splitmix32(seed);
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/**
 * A keyed 32-bit hash of a 64-bit pointer value, standing in for ptr_to_id()'s siphash with a
 * random boot key: stable for a machine, different across seeds, never 0 for a non-NULL pointer.
 */
export function pointerHasher(key: number): (ptr: bigint) => bigint {
  return (ptr) => {
    let h = key >>> 0;
    for (const word of [Number(ptr & 0xffffffffn), Number((ptr >> 32n) & 0xffffffffn)]) {
      h = Math.imul(h ^ word, 0x9e3779b1) >>> 0;
      h = Math.imul(h ^ (h >>> 15), 0x85ebca77) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
    }
    return BigInt(h || 1);
  };
}
