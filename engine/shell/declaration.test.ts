import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

const run = (src: string) => machine().sh.run(src);

describe("bash details the selftests' helpers lean on", () => {
  it("does not split or glob the assignments given to local/export (declaration builtins)", () => {
    expect(run('f() { local x="a  b"; local y=$x z; echo "[$y]"; }; f').stdout).toBe("[a  b]\n");
    expect(run('x="p q"; export E=$x; echo "[$E]"').stdout).toBe("[p q]\n");
    // Other commands still split.
    expect(run('x="p q"; printf "[%s]" $x').stdout).toBe("[p][q]");
  });

  it('treats the pattern in "${v%pat}" as a pattern, as bash does', () => {
    expect(run('v=abcabc; echo "${v%c}" "${v%%b*}" "${v#*b}" "${v##*b}"').stdout).toBe(
      "abcab a cabc c\n",
    );
    expect(run(`v='a*c'; echo "\${v%'*c'}"`).stdout).toBe("a\n");
  });
});
