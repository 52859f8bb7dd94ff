// The shell against real bash: every case of bash52/cases.json holds a script and what bash 5.2
// printed for it (stdout, stderr, exit status), written by bash52/gen.sh. Each script runs here as
// a whole: the shell exits after it (by `exit`, a fatal signal, or at its end: Shell.close).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

interface BashCase {
  name: string;
  script: string;
  stdout: string;
  stderr: string;
  status: number;
  /** Where the console's shell differs from `bash -c` on purpose: its status, and why. */
  shell?: { status: number; why: string };
}

const data = JSON.parse(readFileSync(new URL("./bash52/cases.json", import.meta.url), "utf8")) as {
  bash: string;
  cases: BashCase[];
};

function run(src: string): { stdout: string; stderr: string; status: number } {
  const { sh } = machine();
  const r = sh.run(src);
  const end = r.exited ? { stdout: "", stderr: "", status: r.status } : sh.close();
  return { stdout: r.stdout + end.stdout, stderr: r.stderr + end.stderr, status: end.status };
}

describe(`the shell prints what bash ${data.bash} prints`, () => {
  it("has cases, each with bash's results filled in", () => {
    expect(data.cases.length).toBeGreaterThan(0);
    for (const c of data.cases) expect(typeof c.status, c.name).toBe("number");
  });

  for (const c of data.cases) {
    it(c.name, () => {
      expect(run(c.script), c.script).toEqual({
        stdout: c.stdout,
        stderr: c.stderr,
        status: c.shell?.status ?? c.status,
      });
    });
  }
});
