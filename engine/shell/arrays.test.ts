import { describe, expect, it } from "vitest";
import { declareArray, declareQuote, IndexedArray } from "./arrays.ts";
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

describe("arrays in the shell", () => {
  it("keeps a subshell's changes to itself (fork copies arrays)", () => {
    expect(run("a=(1 2); (a[0]=9; a+=(3)); echo ${a[@]}").stdout).toBe("1 2\n");
  });

  it("restores an outer array when a function's local one goes", () => {
    const r = run("a=(o u t); f() { local -a a=(i n); a[5]=x; echo ${#a[@]}; }; f; echo ${a[@]}");
    expect(r.stdout).toBe("3\no u t\n");
  });

  it("refuses associative arrays rather than list them in the wrong order", () => {
    const r = run("declare -A m; echo $?");
    expect(r.stderr).toBe(
      "bash: declare: -A: associative arrays are not available in this shell\n",
    );
    expect(r.stdout).toBe("2\n");
  });

  it("reports a subscript before the start on assignment", () => {
    const r = run("a=(1); a[-3]=x; echo $? ${a[@]}");
    expect(r.stderr).toBe("bash: a[-3]: bad array subscript\n");
    expect(r.stdout).toBe("1 1\n");
  });
});
