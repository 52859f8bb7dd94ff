import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

const SEED = Number(process.env.KLP_SEED ?? 4711);
console.log(`fast-check seed ${SEED}`);

interface Atom {
  id: number;
  ok: boolean;
  negate: boolean;
}
type List = { first: Atom; rest: { op: "&&" | "||"; atom: Atom }[] }[];

const atom = fc.record({ id: fc.nat(99), ok: fc.boolean(), negate: fc.boolean() });
const andOr = fc.record({
  first: atom,
  rest: fc.array(fc.record({ op: fc.constantFrom("&&" as const, "||" as const), atom }), {
    maxLength: 4,
  }),
});
const script = fc.array(andOr, { minLength: 1, maxLength: 4 });

function source(list: List): string {
  const a = (x: Atom) => `${x.negate ? "! " : ""}{ echo ${x.id}; ${x.ok ? "true" : "false"}; }`;
  return list
    .map((l) => [a(l.first), ...l.rest.map((r) => `${r.op} ${a(r.atom)}`)].join(" "))
    .join("; ");
}

/** What bash does, computed directly: && runs on success, || on failure, left to right. */
function expected(list: List): { status: number; stdout: string } {
  let status = 0;
  let stdout = "";
  const exec = (x: Atom) => {
    stdout += `${x.id}\n`;
    status = x.ok !== x.negate ? 0 : 1;
  };
  for (const l of list) {
    exec(l.first);
    for (const r of l.rest) if ((r.op === "&&") === (status === 0)) exec(r.atom);
  }
  return { status, stdout };
}

describe("and-or lists (property)", () => {
  it("give bash's status and run exactly the commands bash runs", () => {
    fc.assert(
      fc.property(script, (list) => {
        const { sh } = machine();
        const r = sh.run(source(list));
        expect({ status: r.status, stdout: r.stdout }).toEqual(expected(list));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});
