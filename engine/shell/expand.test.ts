import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

const SEED = Number(process.env.KLP_SEED ?? 20261122);
console.log(`fast-check seed ${SEED}`);

function out(src: string): string {
  return machine().sh.run(src).stdout;
}

/** Single-quotes a string for sh: ' becomes '\''. */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

describe("word expansion", () => {
  it("expands variables and special parameters", () => {
    const { sh, host } = machine();
    expect(sh.run("a=1; b=${a}2; echo $a $b ${b}3").stdout).toBe("1 12 123\n");
    expect(sh.run("echo $$ $0").stdout).toBe(`${host.shellPid} bash\n`);
    expect(sh.run("set -- a b c; echo $# $1 $3 ${2}").stdout).toBe("3 a c b\n");
    expect(sh.run('echo "[$!]"').stdout).toBe("[]\n");
    expect(sh.run("echo $undefined_var x").stdout).toBe("x\n");
  });

  it("substitutes commands, stripping trailing newlines", () => {
    expect(out('x=$(printf "a\\n\\n"); echo "[$x]"')).toBe("[a]\n");
    expect(out('echo "$(echo a; echo b)"')).toBe("a\nb\n");
    expect(out("echo $(echo a; echo b)")).toBe("a b\n");
    expect(out("echo [$(cat list | grep -c a)]")).toBe("[3]\n");
    expect(out("x=$(status 4 2>/dev/null); echo $?")).toBe("4\n");
    expect(out("x=$(exit 6); echo $?")).toBe("6\n");
    expect(out("x=1; y=$(x=2; echo $x); echo $x $y")).toBe("1 2\n");
  });

  it("splits unquoted expansions on IFS whitespace and keeps quoted ones", () => {
    expect(out('v="  a   b  "; args $v')).toBe("<a>\n<b>\n");
    expect(out('v="  a   b  "; args "$v"')).toBe("<  a   b  >\n");
    expect(out('v="a b"; args x$v"y"')).toBe("<xa>\n<by>\n");
    expect(out("IFS=:; v=a:b; args $v")).toBe("<a>\n<b>\n");
    expect(out("IFS=:; v=a::b:; args $v")).toBe("<a>\n<>\n<b>\n");
    expect(out("IFS=:; v=:b; args $v x$v")).toBe("<>\n<b>\n<x>\n<b>\n");
    expect(out("IFS=' :'; v=' a : b  c '; args $v")).toBe("<a>\n<b>\n<c>\n");
    expect(out("IFS=; v='a b'; args $v")).toBe("<a b>\n");
    expect(out('v="a "; args $v"b" x$v')).toBe("<a>\n<b>\n<xa>\n");
  });

  it("drops empty unquoted expansions and keeps empty quoted words", () => {
    expect(out('e=; args $e "" "$e" $e')).toBe("<>\n<>\n");
    expect(out("e=; args $e$e")).toBe("");
  });

  it("expands $@ and $* as bash does", () => {
    expect(out('set -- "a b" c; args "$@"')).toBe("<a b>\n<c>\n");
    expect(out('set -- "a b" c; args "x$@y"')).toBe("<xa b>\n<cy>\n");
    expect(out('set -- "a b" c; args $@')).toBe("<a>\n<b>\n<c>\n");
    expect(out('set -- "a b" c; args "$*"')).toBe("<a b c>\n");
    expect(out('set --; args "$@"')).toBe("");
  });

  it("applies ${name-word} defaults, assignments, alternatives and errors", () => {
    expect(out("e=; echo ${u-d} ${u:-d} [${e-d}] ${e:-d} ${u:+a} ${e:+a} [${e+a}]")).toBe(
      "d d [] d [a]\n",
    );
    expect(out("echo ${u:=set} $u; x=1; echo ${x:=2} $x")).toBe("set set\n1 1\n");
    expect(out('echo "${u:-a  b}" ${u:-"q r"} ${u:-$HOME}')).toBe("a  b q r /root\n");
    expect(out("set -u; echo ${u:-fine}")).toBe("fine\n");
    const { sh } = machine();
    expect(sh.run("echo ${u:?is required}; echo no")).toMatchObject({
      status: 1,
      stdout: "",
      stderr: "bash: u: is required\n",
    });
    expect(sh.run("echo ${u?}").stderr).toBe("bash: u: parameter null or not set\n");
    expect(sh.run("echo ${1:=x}").stderr).toBe("bash: $1: cannot assign in this way\n");
  });

  it("measures ${#name} and removes patterns with # ## % %%", () => {
    expect(out("v=hello; echo ${#v} ${#u}; set -- a b c; echo ${#}")).toBe("5 0\n3\n");
    const path = "p=/sys/kernel/livepatch/p/enabled;";
    expect(out(`${path} echo \${p##*/} \${p#*/} \${p%/*} \${p%%/k*}`)).toBe(
      "enabled sys/kernel/livepatch/p/enabled /sys/kernel/livepatch/p /sys\n",
    );
    expect(out('msg="% modprobe x "; echo "[${msg%% }]"')).toBe("[% modprobe x]\n");
    expect(out("f=a.tar.gz; echo ${f%.*} ${f%%.*} ${f#*.} ${f%'.*'} ${f%.[gt]z}")).toBe(
      "a.tar a tar.gz a.tar.gz a.tar\n",
    );
    expect(out("v=abc; echo ${v#?} ${v%?} ${v#x}")).toBe("bc ab abc\n");
  });

  it("rejects malformed braces as bash does", () => {
    const { sh } = machine();
    // Found when the word expands (bash): what runs before it runs, and the status is 1.
    expect(sh.run("echo before; echo ${x!}; echo after")).toMatchObject({
      status: 1,
      stdout: "before\n",
      stderr: "bash: ${x!}: bad substitution\n",
    });
    expect(sh.run("echo ${}").stderr).toBe("bash: ${}: bad substitution\n");
  });

  it("expands a leading ~ to $HOME", () => {
    expect(out("echo ~ ~/x a~ '~' \"~\"")).toBe("/root /root/x a~ ~ ~\n");
    expect(out("HOME=/tmp; x=~/y; echo $x")).toBe("/tmp/y\n");
  });

  it("removes quotes and honours backslashes", () => {
    expect(out(`echo 'a  b' "c  d" e\\ f \\$x`)).toBe("a  b c  d e f $x\n");
    expect(out(`x=1; echo "\\$x=$x" '$x'`)).toBe("$x=1 $x\n");
  });

  it("globs * in the last path component through listDir", () => {
    const { sh } = machine();
    expect(sh.run("echo /sys/kernel/livepatch/p/*").stdout).toBe(
      "/sys/kernel/livepatch/p/busy /sys/kernel/livepatch/p/enabled /sys/kernel/livepatch/p/transition\n",
    );
    expect(sh.run("for f in /sys/kernel/livepatch/p/*ed; do echo $f; done").stdout).toBe(
      "/sys/kernel/livepatch/p/enabled\n",
    );
    expect(sh.run("echo /sys/kernel/livepatch/p/t?ansition").stdout).toBe(
      "/sys/kernel/livepatch/p/transition\n",
    );
    expect(sh.run("echo /nomatch/* '/sys/*'").stdout).toBe("/nomatch/* /sys/*\n");
    expect(sh.run('d=/sys/kernel/livepatch/p; echo $d/e* "$d"/b*').stdout).toBe(
      "/sys/kernel/livepatch/p/enabled /sys/kernel/livepatch/p/busy\n",
    );
    expect(sh.run("p='/sys/kernel/livepatch/p/tr*'; echo $p \"$p\"").stdout).toBe(
      "/sys/kernel/livepatch/p/transition /sys/kernel/livepatch/p/tr*\n",
    );
    expect(sh.run("echo '/sys/kernel/livepatch/p/'*n").stdout).toBe(
      "/sys/kernel/livepatch/p/transition\n",
    );
    expect(sh.run("cd /sys/kernel/livepatch/p; echo *").stdout).toBe("busy enabled transition\n");
  });

  it("globs every path component, as bash does (checked against bash 5.2 on a copy of the tree)", () => {
    const { sh } = machine();
    expect(sh.run("echo /sys/kernel/livepatch/*/enabled").stdout).toBe(
      "/sys/kernel/livepatch/p/enabled\n",
    );
    expect(sh.run("echo /sys/*/livepatch /s?s/kernel/livepatch/p/b*").stdout).toBe(
      "/sys/kernel/livepatch /sys/kernel/livepatch/p/busy\n",
    );
    // A trailing slash keeps directories only; a literal last component must exist.
    expect(sh.run("echo /sys/kernel/livepatch/*/ /sys/kernel/livepatch/*/nope").stdout).toBe(
      "/sys/kernel/livepatch/p/ /sys/kernel/livepatch/*/nope\n",
    );
    expect(sh.run("cd /sys/kernel; echo */p/tr*").stdout).toBe("livepatch/p/transition\n");
  });

  it("round-trips arbitrary strings through single quotes and echo", () => {
    const { sh } = machine();
    const text = fc.string({ unit: "grapheme-ascii", maxLength: 30 });
    fc.assert(
      fc.property(text, (s) => {
        fc.pre(!/^-[neE]+$/.test(s) && !s.includes("\n"));
        expect(sh.run(`echo ${shQuote(s)}`).stdout).toBe(`${s}\n`);
        expect(sh.run(`x=${shQuote(s)}; echo "$x"`).stdout).toBe(`${s}\n`);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("splits like bash: unquoted $v gives the whitespace-separated words", () => {
    const { sh } = machine();
    const word = fc.stringMatching(/^[a-z]{1,5}$/);
    const gap = fc.constantFrom(" ", "  ", "\t", " \t ");
    const value = fc.tuple(gap, fc.array(fc.tuple(word, gap), { maxLength: 5 }));
    fc.assert(
      fc.property(value, ([lead, pairs]) => {
        const v = lead + pairs.map(([w, g]) => w + g).join("");
        const expected = pairs.map(([w]) => `<${w}>\n`).join("");
        expect(sh.run(`v=${shQuote(v)}; args $v`).stdout).toBe(expected);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
