import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

function run(src: string) {
  return machine().sh.run(src);
}

const LP = "/sys/kernel/livepatch/p";

describe("test and [", () => {
  const t = (expr: string) => run(`[ ${expr} ]`).status;

  it("tests strings and integers", () => {
    expect([t("a = a"), t("a = b"), t("a != b"), t("-z ''"), t("-n ''"), t("x"), t("''")]).toEqual([
      0, 1, 0, 0, 1, 0, 1,
    ]);
    expect([
      t("1 -eq 1"),
      t("2 -ne 2"),
      t("1 -lt 2"),
      t("2 -le 1"),
      t("3 -gt 2"),
      t("2 -ge 3"),
    ]).toEqual([0, 1, 0, 1, 0, 1]);
    expect([t("-5 -lt 0"), t("' 7' -eq 7"), t("")]).toEqual([0, 0, 1]);
  });

  it("combines with !, -a, -o and parentheses", () => {
    expect([t("! a = b"), t("a = a -a b = c"), t("a = b -o c = c"), t("! ''")]).toEqual([
      0, 1, 0, 0,
    ]);
    expect([t("'(' a = b ')'"), t("'(' a = a -o x = y ')' -a 1 -eq 1")]).toEqual([1, 0]);
    expect([t("a = b -o ! a = b"), t("! ! x")]).toEqual([0, 0]);
  });

  it("tests files through stat", () => {
    expect([
      t(`-e ${LP}/enabled`),
      t(`-f ${LP}/enabled`),
      t(`-d ${LP}`),
      t(`-d ${LP}/enabled`),
    ]).toEqual([0, 0, 0, 1]);
    expect([
      t("-e /nope"),
      t("-f /nope"),
      t(`-r ${LP}/transition`),
      t(`-w ${LP}/transition`),
    ]).toEqual([1, 1, 0, 0]);
    expect([t(`-x ${LP}/enabled`), t("-x /tmp"), t("-s list"), t("-s /tmp/empty")]).toEqual([
      1, 0, 0, 1,
    ]);
  });

  it("prints bash's errors with status 2", () => {
    expect(run("[ a = a")).toMatchObject({ status: 2, stderr: "bash: [: missing `]'\n" });
    expect(run("[ abc -eq 1 ]")).toMatchObject({
      status: 2,
      stderr: "bash: [: abc: integer expression expected\n",
    });
    expect(run("test a b").stderr).toBe("bash: test: a: unary operator expected\n");
    expect(run("test a b c").stderr).toBe("bash: test: b: binary operator expected\n");
    expect(run("test 1 -eq 1 a").status).toBe(2);
    expect(run("test a = a && test x").status).toBe(0);
  });
});

describe("true, false, sleep and getconf", () => {
  it("true, false and : give their statuses", () => {
    expect([run("true").status, run("false").status, run(":").status]).toEqual([0, 1, 0]);
  });

  it("sleep advances virtual time by the sum of its operands", () => {
    const { sh, host } = machine();
    expect(sh.run("sleep 1.5").status).toBe(0);
    expect(host.nowNs).toBe(1.5e9);
    sh.run("sleep 1m .25 2s");
    expect(host.nowNs).toBe(1.5e9 + 62.25e9);
    expect(sh.run("sleep x")).toMatchObject({
      status: 1,
      stderr: "sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n",
    });
    expect(sh.run("sleep").stderr).toBe(
      "sleep: missing operand\nTry 'sleep --help' for more information.\n",
    );
  });

  it("getconf knows USER_HZ, the page size and the CPU count", () => {
    expect(
      run("getconf CLK_TCK; getconf PAGESIZE; getconf PAGE_SIZE; getconf _NPROCESSORS_ONLN").stdout,
    ).toBe("100\n4096\n4096\n2\n");
    expect(run("getconf NOPE")).toMatchObject({
      status: 1,
      stderr: "getconf: Unrecognized variable `NOPE'\n",
    });
  });
});

describe("ls and stat", () => {
  it("lists a directory one entry per line, files by name", () => {
    expect(run(`ls ${LP}`).stdout).toBe("busy\nenabled\ntransition\n");
    expect(run(`ls ${LP}/enabled`).stdout).toBe(`${LP}/enabled\n`);
    expect(run(`cd ${LP}; ls`).stdout).toBe("busy\nenabled\ntransition\n");
    expect(run(`ls /sys/kernel ${LP}/enabled`).stdout).toBe(
      `${LP}/enabled\n\n/sys/kernel:\nlivepatch\n`,
    );
    expect(run(`ls -l ${LP}`).stdout).toBe(
      "total 0\n" +
        "--w------- 1 root root 0 Jan  1  1970 busy\n" +
        "-rw-r--r-- 1 root root 0 Jan  1  1970 enabled\n" +
        "-r--r--r-- 1 root root 0 Jan  1  1970 transition\n",
    );
    expect(run("ls /x")).toMatchObject({
      status: 2,
      stderr: "ls: cannot access '/x': No such file or directory\n",
    });
  });

  it("stat formats %a %A %U %G %n", () => {
    expect(run(`stat -c '%a %A %U:%G %n' ${LP}/enabled ${LP}`).stdout).toBe(
      `644 -rw-r--r-- root:root ${LP}/enabled\n755 drwxr-xr-x root:root ${LP}\n`,
    );
    expect(run(`stat --format=%a ${LP}/transition`).stdout).toBe("444\n");
    expect(run(`/bin/stat --format '%A' ${LP}/transition`).stdout).toBe("-r--r--r--\n");
    expect(run("/usr/bin/true").status).toBe(127);
    expect(run("/bin/stat -c %a /x").stderr).toBe(
      "/bin/stat: cannot statx '/x': No such file or directory\n",
    );
    expect(run(`stat --format %A ${LP}/busy`).stdout).toBe("--w-------\n");
    expect(run("stat -c %a /x")).toMatchObject({
      status: 1,
      stderr: "stat: cannot statx '/x': No such file or directory\n",
    });
    expect(run("stat").stderr).toBe(
      "stat: missing operand\nTry 'stat --help' for more information.\n",
    );
  });
});

describe("cd and pwd", () => {
  it("changes the cwd; relative paths resolve against it", () => {
    const { sh } = machine();
    expect(sh.run("pwd").stdout).toBe("/root\n");
    expect(sh.run("cd /sys/kernel/livepatch; pwd; cat p/transition; echo $PWD").stdout).toBe(
      "/sys/kernel/livepatch\n0\n/sys/kernel/livepatch\n",
    );
    expect(sh.run("cd ../..; pwd").stdout).toBe("/sys\n");
    expect(sh.run("cd; pwd").stdout).toBe("/root\n");
    expect(sh.run("cd -; pwd").stdout).toBe("/sys\n/sys\n");
    expect(sh.run("cd ~; pwd").stdout).toBe("/root\n");
    expect(sh.run("cd /nope")).toMatchObject({
      status: 1,
      stderr: "bash: cd: /nope: No such file or directory\n",
    });
    expect(sh.run("cd list").stderr).toBe("bash: cd: list: Not a directory\n");
    expect(sh.cwd).toBe("/root");
  });
});

describe("kill and wait", () => {
  it("sends signals by number and name", () => {
    const { sh, host } = machine();
    sh.run("sleeper & a=$!; sleeper & b=$!; sleeper & c=$!; sleeper & d=$!");
    expect(sh.run("kill -9 $a; kill -SIGKILL $b; kill -TERM $c; kill -s INT $d").status).toBe(0);
    expect([...host.jobs.values()].map((j) => j.status)).toEqual([137, 137, 143, 130]);
    expect(sh.run("wait $a; echo $?").stdout).toBe("137\n");
  });

  it("prints bash's kill errors", () => {
    expect(run("kill 123")).toMatchObject({
      status: 1,
      stderr: "bash: kill: (123) - No such process\n",
    });
    expect(run("kill -FOO 1").stderr).toBe("bash: kill: FOO: invalid signal specification\n");
    expect(run("kill").status).toBe(2);
    expect(run("kill abc").stderr).toBe("bash: kill: abc: arguments must be process or job IDs\n");
  });

  it("wait without operands waits for every child", () => {
    const { sh, host } = machine();
    sh.run("sleep 3 & sleep 5 &");
    expect(sh.run("wait; echo $?").stdout).toBe("0\n");
    expect(host.nowNs).toBe(5e9);
    expect(host.jobs.size).toBe(0);
  });
});

describe("variables: set, shift, export, unset, read", () => {
  it("set -- and shift move positional parameters", () => {
    expect(run("set -- a b c; shift; echo $# $1; shift 2; echo $#; shift; echo $?").stdout).toBe(
      "2 b\n0\n1\n",
    );
    expect(run("set -q").stderr).toBe("bash: set: -q: invalid option\n");
  });

  it("set -o pipefail reports the rightmost failing stage", () => {
    expect(run("status 3 2>/dev/null | true; echo $?").stdout).toBe("0\n");
    expect(
      run("set -o pipefail; status 3 2>/dev/null | status 4 2>&1 | true; echo $?").stdout,
    ).toBe("4\n");
    expect(run("set -o pipefail; set +o pipefail; false | true").status).toBe(0);
  });

  it("source runs a file in the current shell", () => {
    const { sh, host } = machine();
    host.files.set("/root/lib.sh", 'log() { echo "[$1]"; }\nX=1\necho "args: $*"\n');
    expect(sh.run(". lib.sh; log a; echo $X").stdout).toBe("args: \n[a]\n1\n");
    expect(sh.run("source /root/lib.sh p q; echo $#").stdout).toBe("args: p q\n0\n");
    expect(sh.run("source /nope")).toMatchObject({
      status: 1,
      stderr: "bash: /nope: No such file or directory\n",
    });
  });

  it("export and unset", () => {
    expect(run("export A=1 B; B=2; export -p").stdout).toBe('declare -x A="1"\ndeclare -x B="2"\n');
    expect(run('x=1; unset x; echo "[$x]"').stdout).toBe("[]\n");
    expect(run("f() { echo f; }; unset -f f; f").status).toBe(127);
    expect(run("export 1x=2")).toMatchObject({
      status: 1,
      stderr: "bash: export: `1x=2': not a valid identifier\n",
    });
  });

  it("read splits a line on IFS; the last name takes the rest", () => {
    expect(run("echo 'a b  c d' | { read x y; echo \"$x|$y\"; }").stdout).toBe("a|b  c d\n");
    expect(run("echo '  lone  ' | { read x; echo \"[$x]\"; }").stdout).toBe("[lone]\n");
    expect(run("read x < /dev/null; echo $?").stdout).toBe("1\n");
    expect(run("echo 'a\\b' | { read -r x; echo \"$x\"; }").stdout).toBe("a\\b\n");
  });
});
