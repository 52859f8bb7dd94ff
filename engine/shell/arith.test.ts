import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evalArith } from "./arith.ts";
import { machine } from "./test-setup.ts";

const SEED = Number(process.env.KLP_SEED ?? 1337);
console.log(`fast-check seed ${SEED}`);

function calc(expr: string, vars: Record<string, string> = {}): bigint | string {
  const r = evalArith(expr, {
    get: (n) => vars[n],
    set: (n, v) => {
      vars[n] = v;
    },
  });
  return r.ok ? r.value : r.error;
}

describe("arithmetic", () => {
  it("follows C precedence and associativity", () => {
    expect(calc("1 + 2 * 3")).toBe(7n);
    expect(calc("(1 + 2) * 3")).toBe(9n);
    expect(calc("10 - 4 - 3")).toBe(3n);
    expect(calc("-7 / 2")).toBe(-3n);
    expect(calc("-7 % 3")).toBe(-1n);
    expect(calc("1 << 4 | 1")).toBe(17n);
    expect(calc("3 > 2 && 2 > 3 || !0")).toBe(1n);
    expect(calc("5 == 5 ? 10 : 20")).toBe(10n);
    expect(calc("0x10 + 010 + ~0")).toBe(23n);
    expect(calc("2 ** 10")).toBe(1024n);
    expect(calc("")).toBe(0n);
    expect(calc("9223372036854775807 + 1")).toBe(-9223372036854775808n);
  });

  it("reads and assigns variables", () => {
    const vars: Record<string, string> = { i: "4", e: "i * 2", empty: "" };
    expect(calc("i + e + empty + unset", vars)).toBe(12n);
    expect(calc("i++", vars)).toBe(4n);
    expect(calc("++i", vars)).toBe(6n);
    expect(calc("x = i += 2, x * 2", vars)).toBe(16n);
    expect(vars).toMatchObject({ i: "8", x: "8" });
  });

  it("reports errors in bash's words", () => {
    expect(calc("1/0")).toBe('1/0: division by 0 (error token is "0")');
    expect(calc("1 +")).toBe('1 +: syntax error: operand expected (error token is "+")');
    expect(calc("1 2")).toBe('1 2: syntax error in expression (error token is "2")');
    expect(calc("08")).toBe('08: value too great for base (error token is "08")');
  });

  it("agrees with BigInt on random + - * trees (property)", () => {
    type T = { v: bigint; s: string };
    const leaf = fc.integer({ min: -50, max: 50 }).map((n): T => ({ v: BigInt(n), s: `(${n})` }));
    const tree = fc.letrec<{ t: T }>((tie) => ({
      t: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.tuple(tie("t"), fc.constantFrom("+", "-", "*"), tie("t")).map(([a, op, b]): T => {
          const v = op === "+" ? a.v + b.v : op === "-" ? a.v - b.v : a.v * b.v;
          return { v: BigInt.asIntN(64, v), s: `(${a.s} ${op} ${b.s})` };
        }),
      ),
    })).t;
    fc.assert(
      fc.property(tree, (t) => {
        expect(calc(t.s)).toBe(t.v);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("$((...)) in the shell", () => {
  it("expands arithmetic in words and assignments", () => {
    const { sh } = machine();
    expect(sh.run("i=3; echo $((i * 2)) $(( $i + 1 ))").stdout).toBe("6 4\n");
    expect(sh.run('n=0; while [ $n -lt 3 ]; do n=$((n + 1)); done; echo "$n"').stdout).toBe("3\n");
    expect(sh.run("echo $((i++)) $i; : $((j = 5)); echo $j").stdout).toBe("3 4\n5\n");
    expect(sh.run("echo $(( (1 + 2) * 3 ))").stdout).toBe("9\n");
    expect(sh.run("echo $( (echo sub) )").stdout).toBe("sub\n");
  });

  it("an arithmetic error drops the rest of the line", () => {
    const { sh } = machine();
    expect(sh.run("echo $((1/0)); echo after")).toEqual({
      status: 1,
      stdout: "",
      stderr: 'bash: 1/0: division by 0 (error token is "0")\n',
      exited: false,
    });
  });
});
