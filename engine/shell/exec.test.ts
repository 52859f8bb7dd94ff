import { describe, expect, it } from "vitest";
import { LOOP_LIMIT } from "./exec.ts";
import { machine } from "./test-setup.ts";

function run(src: string) {
  const { sh } = machine();
  return sh.run(src);
}

describe("shell executor: lists and pipelines", () => {
  it("runs ; lists, && and || with bash's short-circuiting", () => {
    expect(run("echo a; echo b").stdout).toBe("a\nb\n");
    expect(run("true && echo yes || echo no").stdout).toBe("yes\n");
    expect(run("false && echo yes || echo no").stdout).toBe("no\n");
    expect(run("false || false && echo x").stdout).toBe("");
    expect(run("true || false && echo x").stdout).toBe("x\n");
    expect(run("false; true").status).toBe(0);
    expect(run("true; false").status).toBe(1);
  });

  it("negates with ! and reports $?", () => {
    expect(run("! false").status).toBe(0);
    expect(run("! true").status).toBe(1);
    expect(run("status 7; echo $?").stdout).toBe("7\n");
    expect(run("! status 7; echo $?").stdout).toBe("0\n");
  });

  it("pipes stdout into the next stdin; the status is the last stage's", () => {
    expect(run("echo hello | upper").stdout).toBe("HELLO\n");
    expect(run("cat list | grep a | upper").stdout).toBe("ALPHA\nBETA\nGAMMA\n");
    expect(run("echo x | false").status).toBe(1);
    expect(run("false | true").status).toBe(0);
  });

  it("runs pipeline stages in subshells: assignments do not survive", () => {
    expect(run("x=1; x=2 | true; echo $x").stdout).toBe("1\n");
    expect(run("echo a | { read v; echo got $v; }").stdout).toBe("got a\n");
  });

  it("calls host.returnToUser after every foreground command", () => {
    const { sh, host } = machine();
    sh.run("true; echo a | upper; false || true");
    expect(host.returns).toBe(5);
  });
});

describe("shell executor: redirections", () => {
  it("writes, appends and reads files", () => {
    const { sh, host } = machine();
    sh.run("echo one > /tmp/f; echo two >> /tmp/f");
    expect(host.files.get("/tmp/f")).toBe("one\ntwo\n");
    expect(sh.run("upper < /tmp/f").stdout).toBe("ONE\nTWO\n");
    sh.run("echo three > /tmp/f");
    expect(host.files.get("/tmp/f")).toBe("three\n");
    sh.run("true > /tmp/f");
    expect(host.files.get("/tmp/f")).toBe("");
  });

  it("stores one write per command into a sysfs attribute", () => {
    const { sh, host, state } = machine();
    const r = sh.run("echo 1 > /sys/kernel/livepatch/p/enabled");
    expect(r).toMatchObject({ status: 0, stderr: "" });
    expect(state.enabled).toBe(1);
    const writes = host.writes.filter((w) => w.data !== "");
    expect(writes).toEqual([
      { path: "/sys/kernel/livepatch/p/enabled", data: "1\n", append: true },
    ]);
    expect(sh.run("cat /sys/kernel/livepatch/p/enabled").stdout).toBe("1\n");
  });

  it("prints bash's write error for a failing store", () => {
    const { sh } = machine();
    const r = sh.run("echo 2 > /sys/kernel/livepatch/p/enabled");
    expect(r).toEqual({
      status: 1,
      stdout: "",
      stderr: "bash: echo: write error: Invalid argument\n",
      exited: false,
    });
    expect(sh.run("echo 1 > /sys/kernel/livepatch/p/busy").stderr).toBe(
      "bash: echo: write error: Device or resource busy\n",
    );
    expect(sh.run("printf x > /sys/kernel/livepatch/p/busy").stderr).toBe(
      "bash: printf: write error: Device or resource busy\n",
    );
    expect(sh.run("cat list > /sys/kernel/livepatch/p/busy").stderr).toBe(
      "cat: write error: Device or resource busy\n",
    );
  });

  it("reports open errors before running the command", () => {
    const { sh, host } = machine();
    expect(sh.run("echo x > /nodir/f")).toMatchObject({
      status: 1,
      stderr: "bash: /nodir/f: No such file or directory\n",
    });
    expect(sh.run("upper < /x")).toMatchObject({
      status: 1,
      stderr: "bash: /x: No such file or directory\n",
    });
    expect(sh.run("echo 1 > /sys/kernel/livepatch/p/transition").stderr).toBe(
      "bash: /sys/kernel/livepatch/p/transition: Permission denied\n",
    );
    expect(sh.run("echo x > /tmp").stderr).toBe("bash: /tmp: Is a directory\n");
    expect(host.returns).toBe(4);
  });

  it("duplicates descriptors left to right", () => {
    const { sh, host } = machine();
    expect(sh.run("status 3 2>&1").stdout).toBe("status 3\n");
    expect(sh.run("status 3 2>/dev/null")).toMatchObject({ stdout: "", stderr: "" });
    sh.run("status 4 > /tmp/o 2>&1");
    expect(host.files.get("/tmp/o")).toBe("status 4\n");
    const r = sh.run("status 5 2>&1 > /tmp/p");
    expect(r.stdout).toBe("status 5\n");
    expect(host.files.get("/tmp/p")).toBe("");
    expect(sh.run("echo err >&2").stderr).toBe("err\n");
    expect(sh.run("echo gone > /dev/null").stdout).toBe("");
    expect(sh.run("upper < /dev/null").stdout).toBe("");
    sh.run("status 7 &> /tmp/both; echo x &>> /tmp/both");
    expect(host.files.get("/tmp/both")).toBe("status 7\nx\n");
    sh.run("status 6 2>/tmp/e 3>/tmp/three");
    expect([host.files.get("/tmp/e"), host.files.get("/tmp/three")]).toEqual(["status 6\n", ""]);
  });

  it("sends each line written to /dev/kmsg to the kernel log", () => {
    const { sh, host } = machine();
    sh.run("echo 'livepatch: start' > /dev/kmsg; printf 'a\\nb\\n' >> /dev/kmsg");
    expect(host.kmsgLines).toEqual(["livepatch: start", "a", "b"]);
    sh.run("status 2 2>&1 >>/dev/kmsg");
    expect(host.kmsgLines).toHaveLength(3);
    sh.run("status 2 >>/dev/kmsg 2>&1");
    expect(host.kmsgLines[3]).toBe("status 2");
  });

  it("redirects compound commands, flushing once per inner command", () => {
    const { sh, host } = machine();
    sh.run("{ echo a; echo b; } > /tmp/g");
    expect(host.files.get("/tmp/g")).toBe("a\nb\n");
    expect(host.writes.filter((w) => w.path === "/tmp/g").map((w) => w.data)).toEqual([
      "",
      "a\n",
      "b\n",
    ]);
    sh.run("for i in 1 2; do echo $i; done > /tmp/h");
    expect(host.files.get("/tmp/h")).toBe("1\n2\n");
    expect(sh.run("while read l; do echo [$l]; done < list").stdout).toBe(
      "[alpha]\n[beta]\n[gamma]\n",
    );
  });

  it("rejects an ambiguous redirect", () => {
    expect(run('f="a b"; echo x > $f')).toMatchObject({
      status: 1,
      stderr: "bash: $f: ambiguous redirect\n",
    });
  });
});

describe("shell executor: errors", () => {
  it("prints command not found with status 127", () => {
    expect(run("foo bar")).toMatchObject({
      status: 127,
      stderr: "bash: foo: command not found\n",
    });
    expect(run("./foo").stderr).toBe("bash: ./foo: No such file or directory\n");
    expect(run("foo; echo $?").stdout).toBe("127\n");
  });

  it("prints syntax errors with status 2 and runs nothing", () => {
    const { sh, host } = machine();
    expect(sh.run("echo a; fi")).toEqual({
      status: 2,
      stdout: "",
      stderr: "bash: syntax error near unexpected token `fi'\n",
      exited: false,
    });
    expect(sh.run("if true; then echo").stderr).toBe(
      "bash: syntax error: unexpected end of file\n",
    );
    expect(sh.run("echo $?").stdout).toBe("2\n");
    expect(host.returns).toBe(1);
  });
});

describe("shell executor: compound commands", () => {
  it("runs if/elif/else", () => {
    const src = (v: string) =>
      `x=${v}; if [ $x = a ]; then echo A; elif [ $x = b ]; then echo B; else echo C; fi`;
    expect(run(src("a")).stdout).toBe("A\n");
    expect(run(src("b")).stdout).toBe("B\n");
    expect(run(src("c")).stdout).toBe("C\n");
    expect(run("if false; then echo x; fi").status).toBe(0);
  });

  it("runs while and until loops with break and continue", () => {
    expect(run('i=; while [ "$i" != xx ]; do echo "[$i]"; i=x$i; done').stdout).toBe("[]\n[x]\n");
    expect(run('n=; until [ "$n" = xxx ]; do n=x$n; done; echo $n').stdout).toBe("xxx\n");
    expect(run("for i in 1 2 3 4; do [ $i = 3 ] && break; echo $i; done").stdout).toBe("1\n2\n");
    expect(run("for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done").stdout).toBe("1\n3\n");
    expect(
      run("for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done")
        .stdout,
    ).toBe("a1\nb1\n");
    expect(
      run("for i in a b; do for j in 1 2; do break 2; done; echo no; done; echo $i$j").stdout,
    ).toBe("a1\n");
  });

  it("stops a runaway loop at the playground's limit", () => {
    const r = run("while true; do :; done");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`bash: while: stopped after ${LOOP_LIMIT} iterations\n`);
  });

  it("iterates for over words, splitting unquoted expansions, and over $@", () => {
    expect(run('l="x y"; for w in $l "$l" z; do echo "[$w]"; done').stdout).toBe(
      "[x]\n[y]\n[x y]\n[z]\n",
    );
    expect(run("set -- p q; for a; do echo $a; done").stdout).toBe("p\nq\n");
  });

  it("keeps group assignments and isolates subshells", () => {
    expect(run("{ x=1; }; echo $x").stdout).toBe("1\n");
    expect(run("x=1; (x=2; echo $x); echo $x").stdout).toBe("2\n1\n");
    expect(run("(exit 3); echo $?").stdout).toBe("3\n");
    expect(run("(cd /tmp); pwd").stdout).toBe("/root\n");
  });

  it("calls functions with positional parameters, return and local", () => {
    const src = `f() { echo "$# $1 $2"; return 4; echo no; }; f a "b c"; echo $?`;
    expect(run(src).stdout).toBe("2 a b c\n4\n");
    expect(run("set -- o; f() { echo $1; }; f i; echo $1").stdout).toBe("i\no\n");
    expect(run("x=g; f() { local x=l; echo $x; }; f; echo $x").stdout).toBe("l\ng\n");
    expect(run('f() { local y=1; }; f; echo "[$y]"').stdout).toBe("[]\n");
    expect(run("f() { x=set; }; f; echo $x").stdout).toBe("set\n");
    expect(run("f() { return; }; false; f; echo $?").stdout).toBe("1\n");
    expect(run("return")).toMatchObject({
      status: 2,
      stderr: "bash: return: can only `return' from a function or sourced script\n",
    });
    expect(run("local x").stderr).toBe("bash: local: can only be used in a function\n");
  });

  it("accepts bash's function keyword, with or without parentheses", () => {
    expect(run('function log() { echo "$1" > /dev/null; echo L$1; }; log a').stdout).toBe("La\n");
    expect(run("function f\n{\n  echo in f\n}\nf").stdout).toBe("in f\n");
    expect(run("function").stderr).toBe("bash: syntax error: unexpected end of file\n");
  });

  it("runs eval in the current shell", () => {
    expect(run("cmd='x=5; echo $x'; eval \"$cmd\"; echo $x").stdout).toBe("5\n5\n");
    expect(run("f() { eval 'return 3'; echo no; }; f; echo $?").stdout).toBe("3\n");
    expect(run("eval 'if'")).toMatchObject({
      status: 2,
      stderr: "bash: eval: syntax error: unexpected end of file\n",
    });
    expect(run("eval; echo $?").stdout).toBe("0\n");
  });

  it("stops runaway recursion instead of overflowing the stack", () => {
    const r = run("f() { echo $(f); }; f; echo after");
    expect(r.stderr).toContain("bash: f: maximum function nesting level exceeded (200)\n");
    const e = run(`x='eval "$x"'; eval "$x"`);
    expect(e.stderr).toBe("bash: eval: maximum function nesting level exceeded (200)\n");
    expect(
      run("g() { if [ $1 -lt 150 ]; then g $(($1 + 1)); else echo $1; fi; }; g 0").stdout,
    ).toBe("150\n");
  });

  it("applies prefix assignments to the one command only", () => {
    expect(run('f() { echo $V; }; V=1 f; echo "[$V]"').stdout).toBe("1\n[]\n");
    expect(run("V=1; echo $V").stdout).toBe("1\n");
  });
});

describe("shell executor: exit and set -e", () => {
  it("exits with the given or the last status", () => {
    const { sh } = machine();
    expect(sh.run("echo a; exit 3; echo b")).toEqual({
      status: 3,
      stdout: "a\n",
      stderr: "",
      exited: true,
    });
    expect(sh.run("false; exit").status).toBe(1);
    expect(sh.run("exit 257").status).toBe(1);
    expect(sh.run("exit x")).toMatchObject({
      status: 2,
      stderr: "bash: exit: x: numeric argument required\n",
    });
    expect(sh.run("f() { exit 5; echo no; }; f; echo no").status).toBe(5);
  });

  it("set -e stops at a failing command outside conditions", () => {
    expect(run("set -e; echo a; false; echo b")).toMatchObject({
      status: 1,
      stdout: "a\n",
      exited: true,
    });
    const ok = "set -e; false || true; if false; then :; fi; ! true; false && true; echo end";
    expect(run(ok).stdout).toBe("end\n");
    expect(run("set -e; true && false; echo no").stdout).toBe("");
    expect(run("set -e; f() { false; echo no; }; f").stdout).toBe("");
    expect(run("set -e; set +e; false; echo yes").stdout).toBe("yes\n");
    expect(run("set -e; x=$(false); echo no").stdout).toBe("");
    expect(run('set -e; x=$(false; echo in); echo "$x"').stdout).toBe("in\n");
    expect(run("set -o errexit; (false); echo no").stdout).toBe("");
  });

  it("set -u makes unset variables an error", () => {
    const { sh } = machine();
    expect(sh.run("set -u; echo $nope; echo rest of the line")).toEqual({
      status: 1,
      stdout: "",
      stderr: "bash: nope: unbound variable\n",
      exited: false,
    });
    expect(sh.run("echo $?").stdout).toBe("1\n");
    expect(sh.run("x=$nope").stderr).toBe("bash: nope: unbound variable\n");
    expect(sh.run('set +u; echo "[$nope]"').stdout).toBe("[]\n");
  });
});

describe("shell executor: background jobs", () => {
  it("spawns through the host, sets $! and waits", () => {
    const { sh, host } = machine();
    const r = sh.run("sleep 2 & echo pid $!; wait $!; echo $?");
    expect(r.stdout).toBe("pid 1000\n0\n");
    expect(host.nowNs).toBe(2e9);
    expect(sh.run("sleeper & kill $!; wait $!; echo $?").stdout).toBe("143\n");
    expect(sh.run("sleeper & kill -9 $!; wait").status).toBe(0);
    expect(sh.run("wait 4242")).toMatchObject({
      status: 127,
      stderr: "bash: wait: pid 4242 is not a child of this shell\n",
    });
  });

  it("reports an unknown background command and runs builtins in a subshell", () => {
    const { sh } = machine();
    expect(sh.run("nope & echo $?")).toMatchObject({
      stdout: "0\n",
      stderr: "bash: nope: command not found\n",
    });
    expect(sh.run("x=1; { x=2; echo in; } & echo $x").stdout).toBe("in\n1\n");
    // A tool the shell implements, which the machine cannot start as a task: it runs at once.
    expect(sh.run('seq 2 & echo "[$!]"').stdout).toBe("1\n2\n[]\n");
  });
});

describe("shell executor: [[ ]]", () => {
  const t = (expr: string) => run(`[[ ${expr} ]]`).status;

  it("tests strings, patterns, regexes and numbers without splitting", () => {
    expect([t("a == a"), t("abc == a*"), t('abc == "a*"'), t("abc != a?c"), t("x = y")]).toEqual([
      0, 0, 1, 1, 1,
    ]);
    expect([t("abc =~ ^a.c$"), t("ab1 =~ [0-9]$"), t('a.c =~ "a.c"'), t('abc =~ "a.c"')]).toEqual([
      0, 0, 0, 1,
    ]);
    expect([t("a < b"), t("b < a"), t("10 -eq 1+9"), t("2 -gt 3"), t("x -eq 0")]).toEqual([
      0, 1, 0, 1, 0,
    ]);
    expect(run('v="a b"; [[ $v == "a b" ]] && [[ -n $v ]] && echo same').stdout).toBe("same\n");
    expect(run("[[ -z $unset ]] && echo empty").stdout).toBe("empty\n");
  });

  it("combines with && || ! and parentheses, short-circuiting expansion", () => {
    expect([t("a == b || c == c"), t("a == a && ! b == b"), t("( a == b || 1 ) && x")]).toEqual([
      0, 1, 0,
    ]);
    expect(run("[[ a == b && $(echo side >&2) ]]").stderr).toBe("");
  });

  it("tests files like test does", () => {
    expect([t("-e /sys/kernel/livepatch/p/enabled"), t("-d /tmp"), t("! -e /nope")]).toEqual([
      0, 0, 0,
    ]);
  });

  it("reports malformed expressions", () => {
    expect(run("[[ a == ]]")).toMatchObject({
      status: 2,
      stderr: "bash: syntax error in conditional expression\n",
    });
    expect(run("[[ ]]").status).toBe(2);
    expect(run("[[ '[z-a]' == [z-a] ]]").status).toBe(0);
    expect(run("v=x; echo ${v%[z-a]}").stdout).toBe("x\n");
    expect(run("[[ a").stderr).toBe("bash: syntax error: unexpected end of file\n");
  });
});
