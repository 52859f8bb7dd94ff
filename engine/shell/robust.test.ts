import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

const SEED = Number(process.env.KLP_SEED ?? 0xb45);
console.log(`fast-check seed ${SEED}`);

// Pieces that combine into plausible and implausible command lines.
const PIECES = [
  "echo",
  "printf",
  "cat",
  "grep",
  "test",
  "[",
  "]",
  "seq",
  "ls",
  "stat",
  "kill",
  "wait",
  "read",
  "set",
  "shift",
  "local",
  "eval",
  "exit",
  "return",
  "break",
  "f",
  "x",
  "$x",
  "$1",
  "$@",
  '"$@"',
  "$((",
  "))",
  "$(",
  ")",
  "(",
  "{",
  "}",
  ";",
  "&&",
  "||",
  "|",
  "&",
  ">",
  ">>",
  "<",
  "2>&1",
  "/dev/kmsg",
  "/sys/kernel/livepatch/p/enabled",
  "list",
  "-e",
  "-n",
  "-q",
  "-c",
  "1",
  "0",
  "-1",
  "x=1",
  "f()",
  "if",
  "then",
  "fi",
  "for",
  "in",
  "do",
  "done",
  "while",
  "!",
  "'a b'",
  "*",
  "%s",
  "1/0",
  "[[",
  "]]",
  "=~",
  "==",
  "${x:-",
  "${#x}",
  "}",
  "+",
  "\n",
].map((p) => p);

describe("shell robustness (property)", () => {
  it("never throws and always ends with a status in 0..255", () => {
    const line = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((a) => a.join(" "));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 3 }), (lines) => {
        const { sh } = machine();
        for (const l of lines) {
          const r = sh.run(l);
          expect(r.status).toBeGreaterThanOrEqual(0);
          expect(r.status).toBeLessThanOrEqual(255);
        }
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
