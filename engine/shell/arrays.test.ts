import { describe, expect, it } from "vitest";
import {
  AssocArray,
  bashHash,
  declareArray,
  declareAssoc,
  declareQuote,
  IndexedArray,
} from "./arrays.ts";
import { machine } from "./test-setup.ts";

const run = (src: string) => machine().sh.run(src);

describe("IndexedArray", () => {
  it("lists elements by index whatever the order they were set in", () => {
    const a = new IndexedArray();
    a.set(7, "x");
    a.set(2, "y");
    a.push("z");
    expect(a.entries()).toEqual([
      [2, "y"],
      [7, "x"],
      [8, "z"],
    ]);
    expect(declareArray(a)).toBe('([2]="y" [7]="x" [8]="z")');
  });

  it("resolves negative subscripts from the highest index, refusing ones before 0", () => {
    const a = new IndexedArray();
    a.set(0, "a");
    a.set(4, "e");
    expect(a.get(-1)).toBe("e");
    expect(a.get(-5)).toBe("a");
    expect(a.get(-6)).toBeUndefined();
    expect(a.set(-6, "no")).toBe(false);
    expect(a.delete(-1)).toBe(true);
    expect(a.maxIndex()).toBe(0);
  });

  it("quotes values as declare -p does", () => {
    expect(declareQuote('a"b$c`d\\e')).toBe('"a\\"b\\$c\\`d\\\\e"');
    expect(declareQuote("t\nu'\x01")).toBe("$'t\\nu\\'\\001'");
  });
});

describe("AssocArray", () => {
  it("hashes as bash's hash_string (FNV-1 over signed bytes)", () => {
    expect(bashHash("")).toBe(2166136261);
    expect(bashHash("a")).toBe(((Math.imul(2166136261, 16777619) >>> 0) ^ 97) >>> 0);
    // A byte past 127 is a negative char: its sign extension flips the upper bits too.
    const e = new TextEncoder().encode("é");
    let h = 2166136261;
    for (const b of e) h = ((Math.imul(h, 16777619) >>> 0) ^ ((b << 24) >> 24)) >>> 0;
    expect(bashHash("é")).toBe(h);
  });

  it("lists keys in bash's order: by bucket, newest first within one (bash 5.2.15's output)", () => {
    const a = new AssocArray();
    for (const k of ["one", "two", "three"]) a.set(k, k.length.toString());
    expect(declareAssoc(a)).toBe('([two]="3" [three]="5" [one]="3" )');
    a.delete("two");
    a.set("one", "1");
    expect(a.entries()).toEqual([
      ["three", "5"],
      ["one", "1"],
    ]);
  });

  it("grows fourfold at twice as many keys as buckets, keeping every key", () => {
    const a = new AssocArray();
    for (let i = 0; i < 2049; i++) a.set(`k${i}`, String(i));
    expect(a.buckets.length).toBe(4096);
    expect(a.entries()).toHaveLength(2049);
    expect(new Set(a.entries().map((e) => e[0])).size).toBe(2049);
  });
});

describe("arrays in the shell", () => {
  it("keeps a subshell's changes to itself (fork copies arrays)", () => {
    expect(run("a=(1 2); (a[0]=9; a+=(3)); echo ${a[@]}").stdout).toBe("1 2\n");
  });

  it("restores an outer array when a function's local one goes", () => {
    const r = run("a=(o u t); f() { local -a a=(i n); a[5]=x; echo ${#a[@]}; }; f; echo ${a[@]}");
    expect(r.stdout).toBe("3\no u t\n");
  });

  it("keeps associative arrays apart in subshells and function locals", () => {
    const r = run(
      "declare -A m=([k]=v); (m[k]=w); f() { local -A m=([z]=1); }; f; echo ${m[k]} ${#m[@]}",
    );
    expect(r.stdout).toBe("v 1\n");
  });

  it("reports a subscript before the start on assignment", () => {
    const r = run("a=(1); a[-3]=x; echo $? ${a[@]}");
    expect(r.stderr).toBe("bash: a[-3]: bad array subscript\n");
    expect(r.stdout).toBe("1 1\n");
  });
});
