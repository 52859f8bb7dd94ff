// diff: the parts bash52/cases.json cannot hold (headers with times, directories on the test
// host) and the line analysis on its own.
import { describe, expect, it } from "vitest";
import { diffLines } from "./builtins/diff-lines.ts";
import { machine } from "./test-setup.ts";

describe("diffLines", () => {
  it("finds no change between equal lists", () => {
    expect(diffLines(["a", "b"], ["a", "b"])).toEqual([]);
  });

  it("slides a run of changes down as GNU diff does", () => {
    // Deleting one of two equal lines: GNU diff deletes the later one.
    expect(diffLines(["x", "a", "a", "y"], ["x", "a", "y"])).toEqual([
      { aStart: 2, aEnd: 3, bStart: 2, bEnd: 2 },
    ]);
  });

  it("keeps a change out of the identical tail beyond the horizon", () => {
    const a = ["c", "a", "a", "a", "b", "a"];
    const b = ["a", "a", "b", "a", "c", "a"];
    expect(diffLines(a, b)).toEqual([
      { aStart: 0, aEnd: 2, bStart: 0, bEnd: 0 },
      { aStart: 5, aEnd: 5, bStart: 3, bEnd: 5 },
    ]);
  });
});

describe("diff", () => {
  it("stamps a file with the epoch and standard input with the virtual clock", () => {
    const { host, sh } = machine();
    host.nowNs = 7_000_000_123;
    host.files.set("/root/b", "alpha\n");
    const r = sh.run("diff -u list - < b");
    expect(r.stdout.split("\n").slice(0, 3)).toEqual([
      "--- list\t1970-01-01 00:00:00.000000000 +0000",
      "+++ -\t1970-01-01 00:00:07.000000123 +0000",
      "@@ -1,3 +1 @@",
    ]);
    expect(r.status).toBe(1);
  });

  it("compares with the file of the same name in a directory operand", () => {
    const { host, sh } = machine();
    host.dirs.add("/root/d");
    host.files.set("/root/d/list", "alpha\nbeta\n");
    expect(sh.run("diff list d; echo $?").stdout).toBe("3d2\n< gamma\n1\n");
    expect(sh.run("diff d/ list").stdout).toBe("2a3\n> gamma\n");
  });
});
