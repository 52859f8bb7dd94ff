import { describe, expect, it } from "vitest";
import { translate } from "./builtins/grep.ts";
import { machine } from "./test-setup.ts";

function run(src: string) {
  return machine().sh.run(src);
}

describe("echo and printf", () => {
  it("echo joins arguments; -n, -e, -E and combined flags", () => {
    expect(run("echo a  b").stdout).toBe("a b\n");
    expect(run("echo").stdout).toBe("\n");
    expect(run("echo -n x").stdout).toBe("x");
    expect(run("echo 'a\\tb'").stdout).toBe("a\\tb\n");
    expect(run("echo -e 'a\\tb\\x41\\0101\\\\'").stdout).toBe("a\tbAA\\\n");
    expect(run("echo -ne 'a\\n'").stdout).toBe("a\n");
    expect(run("echo -e 'a\\cb'; echo z").stdout).toBe("az\n");
    expect(run("echo -eE 'a\\n'").stdout).toBe("a\\n\n");
    expect(run("echo -x -- -n").stdout).toBe("-x -- -n\n");
  });

  it("printf formats %s %d %b %x %c and reuses the format", () => {
    expect(run("printf '%s=%d\\n' a 1 b 2").stdout).toBe("a=1\nb=2\n");
    expect(run("printf '%5s|%-4s|%03d\\n' ab cd 7").stdout).toBe("   ab|cd  |007\n");
    expect(run("printf '%b' 'x\\ty\\n'").stdout).toBe("x\ty\n");
    expect(run("printf '%x %X %o %c %%\\n' 255 255 8 hello").stdout).toBe("ff FF 10 h %\n");
    expect(run("printf '%d\\n' 0x10 -5 \"'A\"").stdout).toBe("16\n-5\n65\n");
    expect(run("printf '%.2s\\n' abc").stdout).toBe("ab\n");
    expect(run("printf 'no newline'").stdout).toBe("no newline");
    expect(run("printf '%s\\n'").stdout).toBe("\n");
  });

  it("printf reports invalid numbers like bash", () => {
    expect(run("printf '%d\\n' abc")).toMatchObject({
      status: 1,
      stdout: "0\n",
      stderr: "bash: printf: abc: invalid number\n",
    });
    expect(run("printf").status).toBe(2);
  });
});

describe("cat", () => {
  it("reads files and stdin", () => {
    expect(run("cat list").stdout).toBe("alpha\nbeta\ngamma\n");
    expect(run("echo in | cat").stdout).toBe("in\n");
    expect(run("echo in | cat - list").stdout).toBe("in\nalpha\nbeta\ngamma\n");
  });

  it("reports missing files and directories with coreutils' wording", () => {
    expect(run("cat /x list")).toMatchObject({
      status: 1,
      stdout: "alpha\nbeta\ngamma\n",
      stderr: "cat: /x: No such file or directory\n",
    });
    expect(run("cat /tmp").stderr).toBe("cat: /tmp: Is a directory\n");
    expect(run("cat /sys/kernel/livepatch/p/busy").stderr).toBe(
      "cat: /sys/kernel/livepatch/p/busy: Permission denied\n",
    );
  });
});

describe("grep", () => {
  it("selects lines with status 0, none with 1", () => {
    expect(run("grep ta list")).toMatchObject({ status: 0, stdout: "beta\n" });
    expect(run("grep zz list")).toMatchObject({ status: 1, stdout: "" });
    expect(run("grep -v a list").stdout).toBe("");
    expect(run("grep -v ph list").stdout).toBe("beta\ngamma\n");
    expect(run("grep -c a list").stdout).toBe("3\n");
    expect(run("grep -q beta list")).toMatchObject({ status: 0, stdout: "" });
    expect(run("grep -n m list").stdout).toBe("3:gamma\n");
  });

  it("supports -x, -i, -F, -E, -w and -e", () => {
    expect(run("grep -x bet list").status).toBe(1);
    expect(run("grep -x beta list").stdout).toBe("beta\n");
    expect(run("grep -i BETA list").stdout).toBe("beta\n");
    expect(run("echo abc | grep -F a.c; echo a.c | grep -F a.c").stdout).toBe("a.c\n");
    expect(run("grep -E '^(al|be)' list").stdout).toBe("alpha\nbeta\n");
    expect(run("grep '^\\(al\\|be\\)' list").stdout).toBe("alpha\nbeta\n");
    expect(run("echo 'a+b' | grep 'a+b'").stdout).toBe("a+b\n");
    expect(run("echo 'aab' | grep -E 'a+b'").stdout).toBe("aab\n");
    expect(run("printf 'x y\\nxy\\n' | grep -w x").stdout).toBe("x y\n");
    expect(run("grep -e alpha -e gamma list").stdout).toBe("alpha\ngamma\n");
    expect(run("echo 'n 12' | grep '[[:digit:]]\\{2\\}'").stdout).toBe("n 12\n");
  });

  it("prefixes file names with several files; errors give status 2", () => {
    const { sh } = machine();
    sh.run("echo beta > /tmp/b");
    expect(sh.run("grep beta list /tmp/b").stdout).toBe("list:beta\n/tmp/b:beta\n");
    expect(sh.run("grep beta /x list")).toMatchObject({
      status: 2,
      stdout: "list:beta\n",
      stderr: "grep: /x: No such file or directory\n",
    });
    expect(sh.run("grep -q beta list /x").status).toBe(0);
    expect(sh.run("grep").stderr).toBe(
      "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
    );
    expect(sh.run("grep -Z a list")).toMatchObject({ status: 2 });
  });

  it("-r searches directories (names before lines), -l names files, -h and -H (GNU grep 3.8)", () => {
    const { sh } = machine();
    sh.run("echo 1 > /sys/kernel/livepatch/p/enabled");
    expect(sh.run("grep -r . /sys/kernel/livepatch")).toMatchObject({
      status: 2,
      stdout: "/sys/kernel/livepatch/p/enabled:1\n/sys/kernel/livepatch/p/transition:0\n",
      stderr: "grep: /sys/kernel/livepatch/p/busy: Permission denied\n",
    });
    expect(sh.run("grep -rls 1 /sys/kernel").stdout).toBe("/sys/kernel/livepatch/p/enabled\n");
    expect(sh.run("cd /sys/kernel/livepatch; grep -rhs .").stdout).toBe("1\n0\n");
    // No operand: the working directory, its files named without "./".
    expect(sh.run("cd /sys/kernel/livepatch; grep -rs 0").stdout).toBe("p/transition:0\n");
    // One regular file: no name, as without -r; -H asks for it.
    expect(sh.run("cd /sys/kernel/livepatch/p; grep -r . enabled; grep -H . enabled").stdout).toBe(
      "1\nenabled:1\n",
    );
    expect(sh.run("grep . /sys/kernel/livepatch")).toMatchObject({ status: 2 });
  });

  it("translates BRE and ERE", () => {
    expect(translate("a\\(b\\)*c", false)).toBe("a(b)*c");
    expect(translate("a(b)+?{", false)).toBe("a\\(b\\)\\+\\?\\{");
    expect(translate("*x", false)).toBe("\\*x");
    expect(translate("a|b", true)).toBe("a|b");
    expect(translate("[^]a]", true)).toBe("[^\\]a]");
  });
});

describe("seq", () => {
  it("counts with 1, 2 or 3 operands", () => {
    expect(run("seq 3").stdout).toBe("1\n2\n3\n");
    expect(run("seq 2 4").stdout).toBe("2\n3\n4\n");
    expect(run("seq 10 -3 1").stdout).toBe("10\n7\n4\n1\n");
    expect(run("seq 0 0.5 1").stdout).toBe("0.0\n0.5\n1.0\n");
    expect(run("seq 0").stdout).toBe("");
  });

  it("rejects bad operands with coreutils' wording", () => {
    expect(run("seq x")).toMatchObject({
      status: 1,
      stderr: "seq: invalid floating point argument: 'x'\nTry 'seq --help' for more information.\n",
    });
    expect(run("seq").stderr).toBe(
      "seq: missing operand\nTry 'seq --help' for more information.\n",
    );
  });
});
