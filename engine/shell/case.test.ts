// The case compound command, checked against bash 5.2's output for the same scripts.
import { describe, expect, it } from "vitest";
import { parseShell } from "./parse.ts";
import { machine } from "./test-setup.ts";

function run(src: string) {
  const { sh } = machine();
  return sh.run(src);
}

const out = (src: string) => run(src).stdout;

describe("case: matching", () => {
  it("runs the first clause whose pattern matches, as a glob", () => {
    expect(out("case x in x) echo X;; esac")).toBe("X\n");
    expect(out("case abc in a) echo 1;; a*) echo 2;; *c) echo 3;; esac")).toBe("2\n");
    expect(out("case ab in [a-c]?) echo br;; esac")).toBe("br\n");
    expect(out("case a in [!b]) echo neg;; esac")).toBe("neg\n");
    expect(out("case abc in x|a?c|y) echo multi;; esac")).toBe("multi\n");
    expect(out("case '' in '') echo empty;; esac")).toBe("empty\n");
    expect(out("case z in a) echo a;; esac")).toBe("");
  });

  it("matches quoted and backslashed pattern parts literally", () => {
    expect(out(`case x in "*") echo bad;; *) echo ok;; esac`)).toBe("ok\n");
    expect(out(`case "*" in "*") echo lit;; esac`)).toBe("lit\n");
    expect(out(`case abc in "a"*) echo qa;; esac`)).toBe("qa\n");
    expect(out(`case ab in a"*") echo 1;; a\\*) echo 2;; *) echo 3;; esac`)).toBe("3\n");
    expect(out(`case 'a*' in a\\*) echo star;; esac`)).toBe("star\n");
  });

  it("expands the word without splitting and patterns from variables as globs", () => {
    expect(out(`v="a b"; case $v in "a b") echo sp;; esac`)).toBe("sp\n");
    expect(
      out(`p="*"; case x in $p) echo g;; esac; case x in "$p") echo n;; *) echo q;; esac`),
    ).toBe("g\nq\n");
    expect(out(`v='a|b'; case 'a|b' in $v) echo pipe;; esac; case a in $v) echo bad;; esac`)).toBe(
      "pipe\n",
    );
    expect(out("case $(echo hi) in h*) echo hi;; esac")).toBe("hi\n");
  });

  it("falls through with ;& and tests on with ;;&", () => {
    expect(out("case x in x) echo a;& y) echo b;& z) echo c;; q) echo d;; esac")).toBe("a\nb\nc\n");
    expect(out("case x in x) echo a;;& *) echo b;; x) echo c;; esac")).toBe("a\nb\n");
    expect(out("case x in x) echo a;;& y) echo b;; esac")).toBe("a\n");
    expect(out("case x in x) echo a;& esac; echo $?")).toBe("a\n0\n");
  });

  it("returns 0 when nothing ran or the list is empty, else the list's status", () => {
    expect(out("false; case x in y) echo y;; esac; echo $?")).toBe("0\n");
    expect(out("false; case x in x) ;; esac; echo $?")).toBe("0\n");
    expect(run("case x in x) status 3;; esac").status).toBe(3);
    expect(out("case 1 in 1) echo one ;; 2) echo two ;; esac && echo and")).toBe("one\nand\n");
  });
});

describe("case: grammar", () => {
  it("accepts (pattern), no ;; before esac, newlines, and esac right after ;;", () => {
    expect(out("case x in (x) echo a;;(y) echo b;; esac")).toBe("a\n");
    expect(out("case x in x) echo a; esac")).toBe("a\n");
    expect(out("case x in x) echo a;; y) esac")).toBe("a\n");
    expect(out("case x in x)echo a;;esac")).toBe("a\n");
    expect(out("case x\nin\n  x)\n    echo nl\n    ;;\n\n  y) echo y\nesac\n")).toBe("nl\n");
    expect(out("case x in x) echo a\n;; esac")).toBe("a\n");
  });

  it("treats esac and in as reserved words only where bash does", () => {
    expect(out("case in in in) echo a;; esac")).toBe("a\n");
    expect(out("case x in (esac) echo y;; esac; echo $?")).toBe("0\n");
    expect(out("echo case esac in")).toBe("case esac in\n");
    expect(out("case x in x) echo esac;; esac")).toBe("esac\n");
  });

  it("nests in functions, loops, pipelines, $(...), here-documents and other cases", () => {
    expect(out("f() { case $1 in a) return 3;; esac; echo no; }; f a; echo $?")).toBe("3\n");
    expect(out("f() case $1 in a) echo fa;; esac; f a")).toBe("fa\n");
    expect(out("for i in 1 2 3; do case $i in 2) continue;; esac; echo $i; done")).toBe("1\n3\n");
    expect(out("i=0; while :; do case $i in 2) break;; esac; echo $i; i=$((i+1)); done")).toBe(
      "0\n1\n",
    );
    expect(out("case x in x) echo a;; esac | upper")).toBe("A\n");
    expect(out("echo $(case x in x) echo sub;; esac)")).toBe("sub\n");
    expect(out("case x in x) cat <<EOF\nheredoc\nEOF\n;; esac")).toBe("heredoc\n");
    expect(out("case x in x) case y in y) echo inner;; esac;; esac")).toBe("inner\n");
    expect(out("case x in x) echo a;; esac > /tmp/o; cat /tmp/o")).toBe("a\n");
  });

  it("reports bash 5.2's syntax errors", () => {
    const bad = (src: string) => {
      const r = parseShell(src);
      return r.ok ? "parsed" : r.error;
    };
    const near = (t: string) => `syntax error near unexpected token \`${t}'`;
    const eof = "syntax error: unexpected end of file";
    expect(bad("case esac in esac) echo y;; esac")).toBe(near(")"));
    expect(bad("case x in a |\nb) echo y;; esac")).toBe(near("newline"));
    expect(bad("case x foo")).toBe(near("foo"));
    expect(bad("case x in x echo a;; esac")).toBe(near("echo"));
    expect(bad("case x in ) echo a;; esac")).toBe(near(")"));
    expect(bad("case x in ( ) echo a;; esac")).toBe(near(")"));
    expect(bad("case x in x|) echo a;; esac")).toBe(near(")"));
    expect(bad("case x in |x) echo a;; esac")).toBe(near("|"));
    expect(bad("case x in x)) echo a;; esac")).toBe(near(")"));
    expect(bad("case ; in x) echo a;; esac")).toBe(near(";"));
    expect(bad("case x in x) echo a;; ;; esac")).toBe(near(";;"));
    expect(bad("echo a;; echo b")).toBe(near(";;"));
    expect(bad("echo a;& echo b")).toBe(near(";&"));
    expect(bad("esac")).toBe(near("esac"));
    expect(bad("case x in x) echo a;; esac esac")).toBe(near("esac"));
    expect(bad("case x in x) echo a;; esac x")).toBe(near("x"));
    expect(bad("case\n")).toBe(near("newline"));
    for (const src of ["case x in", "case x in x)", "case x in x) echo a", "case x in x) echo a;;"])
      expect(bad(src)).toBe(eof);
    expect(bad("case x in x) echo a esac")).toBe(eof);
  });

  it("reports an expansion error in the word and stops the line", () => {
    const r = run("case ${u:?nope} in *) echo no;; esac; echo next");
    expect(r.stderr).toBe("bash: u: nope\n");
    expect(r.stdout).toBe("");
  });
});

describe("until and [[ == ]]", () => {
  it("loops until the condition holds", () => {
    expect(out("i=0; until [ $i = 2 ]; do echo $i; i=$((i+1)); done")).toBe("0\n1\n");
  });

  it("matches [[ == ]] against a glob, quoted parts literally", () => {
    expect(run("x=abc; [[ $x == a* ]]").status).toBe(0);
    expect(run(`x=abc; [[ $x == "a*" ]]`).status).toBe(1);
    expect(run("x=abc; [[ $x != a?c ]]").status).toBe(1);
  });
});

describe("backslash quoting in words", () => {
  it("quotes one character and joins lines at a backslash-newline", () => {
    expect(out("echo a\\\nb")).toBe("ab\n");
    expect(out("echo \\~ a\\ b \\$HOME")).toBe("~ a b $HOME\n");
    expect(out("v=abc; echo ${v#\\a} ${v%\\*}")).toBe("bc abc\n");
    expect(run("\\case x in x) echo a;; esac").stderr).toBe(
      "bash: syntax error near unexpected token `)'\n",
    );
  });
});
