// The trap builtin and the EXIT trap; every expected text was checked against bash 5.2 (`bash -c`,
// where the end of the script is the shell exiting: Shell.close here).
import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

/** Runs `src` as a whole script: the shell exits after it (by `exit`, or at its end). */
function script(src: string): { out: string; err: string; status: number } {
  const { sh } = machine();
  const r = sh.run(src);
  const end = r.exited ? { stdout: "", stderr: "", status: r.status } : sh.close();
  return { out: r.stdout + end.stdout, err: r.stderr + end.stderr, status: end.status };
}

describe("trap EXIT", () => {
  it("runs the action when the script ends, with $? the last status", () => {
    expect(script("cleanup() { echo cleaning; }\ntrap cleanup EXIT\necho working\n").out).toBe(
      "working\ncleaning\n",
    );
    expect(script("trap 'echo \"[$x]\"' EXIT; x=late").out).toBe("[late]\n");
    expect(script("trap 'echo $?; false' EXIT; true")).toEqual({ out: "0\n", err: "", status: 0 });
  });

  it("runs on exit and on set -e, keeping the exit status unless the action exits", () => {
    expect(script('trap "echo bye \\$?" EXIT; exit 3')).toEqual({
      out: "bye 3\n",
      err: "",
      status: 3,
    });
    expect(script('trap "echo in; exit 7" EXIT; exit 3')).toEqual({
      out: "in\n",
      err: "",
      status: 7,
    });
    expect(script('trap "echo tr" EXIT; set -e; false; echo no')).toEqual({
      out: "tr\n",
      err: "",
      status: 1,
    });
    expect(script("trap 'echo top' EXIT; f() { exit 2; }; f; echo no")).toEqual({
      out: "top\n",
      err: "",
      status: 2,
    });
  });

  it("runs once, the last action set; trap - EXIT and trap EXIT reset it", () => {
    expect(script("trap 'echo once' EXIT; trap 'echo twice' EXIT").out).toBe("twice\n");
    expect(script("trap 'echo no' EXIT; trap - EXIT").out).toBe("");
    expect(script("trap 'echo no' EXIT; trap EXIT").out).toBe("");
    expect(script("trap 'echo no' EXIT; trap '' EXIT").out).toBe("");
    const { sh } = machine();
    sh.run("trap 'echo at exit' EXIT");
    expect(sh.run("exit 0").stdout).toBe("at exit\n");
    expect(sh.close().stdout).toBe("");
  });

  it("is reset in subshells, which run their own at their end (also in $(...) and pipelines)", () => {
    const src =
      '(trap "echo sub" EXIT; echo body); echo x=$(trap "echo cs" EXIT; echo v); trap "echo top" EXIT';
    expect(script(src).out).toBe("body\nsub\nx=v cs\ntop\n");
    expect(script("trap 'echo outer' EXIT; ( echo in sub; exit 4 ); echo \"sub=$?\"").out).toBe(
      "in sub\nsub=4\nouter\n",
    );
    expect(script("trap 'echo t' EXIT; echo a | { trap 'echo pipe' EXIT; cat; }").out).toBe(
      "a\npipe\nt\n",
    );
  });
});

describe("trap builtin", () => {
  it("lists actions in bash's order and quoting; accepts names, SIG names and numbers", () => {
    expect(script("trap 'echo x' 0 INT TERM; trap; trap - EXIT INT TERM").out).toBe(
      "trap -- 'echo x' EXIT\ntrap -- 'echo x' SIGINT\ntrap -- 'echo x' SIGTERM\n",
    );
    expect(script('trap "a\'b" USR1; trap -p usr1 SIGUSR1').out).toBe(
      "trap -- 'a'\\''b' SIGUSR1\ntrap -- 'a'\\''b' SIGUSR1\n",
    );
    expect(script('trap "echo x" 40 RTMIN+1 sigrtmax; trap -p').out).toBe(
      "trap -- 'echo x' SIGRTMIN+1\ntrap -- 'echo x' SIGRTMIN+6\ntrap -- 'echo x' SIGRTMAX\n",
    );
    expect(script("trap '' INT; ( trap -p ); trap - INT").out).toBe("trap -- '' SIGINT\n");
  });

  it("prints the signal table for -l as bash does on x86-64 Linux", () => {
    const table = script("trap -l").out;
    expect(table.split("\n")[0]).toBe(
      " 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP",
    );
    expect(table).toContain("31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t");
    expect(table.endsWith("63) SIGRTMAX-1\t64) SIGRTMAX\t\n")).toBe(true);
    expect(table.split("\n")).toHaveLength(14);
  });

  it("reports bad signals, options and usage with bash's messages and statuses", () => {
    expect(script('trap "" BAD; echo $?')).toEqual({
      out: "1\n",
      err: "bash: trap: BAD: invalid signal specification\n",
      status: 0,
    });
    expect(script("trap -p FOO; echo $?").err).toBe(
      "bash: trap: FOO: invalid signal specification\n",
    );
    expect(script("trap FOO; echo $?")).toEqual({
      out: "2\n",
      err: "trap: usage: trap [-lp] [[arg] signal_spec ...]\n",
      status: 0,
    });
    expect(script("trap -x; echo $?")).toEqual({
      out: "2\n",
      err: "bash: trap: -x: invalid option\ntrap: usage: trap [-lp] [[arg] signal_spec ...]\n",
      status: 0,
    });
  });
});

describe("signals to the shell's own pid", () => {
  it("stay in the shell; the machine's kill gets only other pids", () => {
    const { host, sh } = machine();
    const seen: [number, number][] = [];
    const kill = host.kill.bind(host);
    host.kill = (pid, signal) => {
      seen.push([pid, signal]);
      return kill(pid, signal);
    };
    const r = sh.run('trap "echo t" USR1; kill -USR1 $$; sleeper & kill -9 $!; wait $!; echo $?');
    expect(r).toMatchObject({ stdout: "t\n137\n", stderr: "", status: 0 });
    expect(seen).toEqual([[1000, 9]]);
  });

  // bash 5.2: `bash -c '(kill -TERM $$; echo sub); echo parent'` prints sub and exits 143.
  it("end the shell when untrapped, whatever ran the kill (a subshell signals its parent)", () => {
    const { sh } = machine();
    const r = sh.run("(kill -TERM $$; echo sub); echo parent");
    expect(r).toMatchObject({ stdout: "sub\n", status: 143, exited: true });
  });
});
