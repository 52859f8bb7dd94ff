// Here-documents, here-strings and `...` substitutions; every expected text was checked
// against bash 5.2 (`bash -c`, its "line N:" prefix removed as the interactive shell prints it).
import { describe, expect, it } from "vitest";
import { machine } from "./test-setup.ts";

function run(src: string): { out: string; err: string } {
  const r = machine().sh.run(src);
  return { out: r.stdout, err: r.stderr };
}

describe("here-documents", () => {
  it("expands $, $(...), ` and $((...)) in an unquoted body; quotes stay, \\ escapes $ and \\", () => {
    const src =
      "cat <<EOF\nhello $HOME\n  $(echo sub) `echo back` \\$x \\\\ \"q\" 'q' $((2*3))\nEOF\necho after\n";
    expect(run(src)).toEqual({
      out: "hello /root\n  sub back $x \\ \"q\" 'q' 6\nafter\n",
      err: "",
    });
  });

  it("keeps the body literal when any part of the delimiter is quoted", () => {
    expect(run("cat <<'EOF'\nhello $HOME `x` \\$\nEOF\n").out).toBe("hello $HOME `x` \\$\n");
    expect(run('cat <<"E F"\nraw $x\nE F\n').out).toBe("raw $x\n");
    expect(run("cat <<\\EOF\nraw $x\nEOF\n").out).toBe("raw $x\n");
  });

  it("<<- strips leading tabs from the body and the delimiter line", () => {
    const src = "\tcat <<-EOF\n\ttab stripped $((1+2))\n\t\ttwo\n\tEOF\necho done\n";
    expect(run(src).out).toBe("tab stripped 3\ntwo\ndone\n");
    // Without the dash the tabbed line is no delimiter: the body runs to the end of input.
    expect(run("cat <<EOF\n\tEOF\n").err).toContain("delimited by end-of-file");
  });

  it("joins a backslash-newline in an unquoted body, not in a quoted one", () => {
    expect(run("cat <<EOF\na \\\nb\nEOF\n").out).toBe("a b\n");
    expect(run("cat <<'EOF'\na \\\nb\nEOF\n").out).toBe("a \\\nb\n");
  });

  it("starts the body after the line's newline; the rest of the line runs after", () => {
    expect(run("cat <<EOF; echo same line\nbody\nEOF\n").out).toBe("body\nsame line\n");
    expect(run("cat <<A <<B\na\nA\nb\nB\n").out).toBe("b\n");
    expect(run("cat <<EOF | cat\npiped\nEOF\n").out).toBe("piped\n");
    expect(run("cat << EOF >/dev/null\nx\nEOF\necho ok\n").out).toBe("ok\n");
  });

  it("works inside functions, compound commands and $(...), expanding at each run", () => {
    expect(run("f() {\n  cat <<EOF\nin f: $1\nEOF\n}\nf one; f two\n").out).toBe(
      "in f: one\nin f: two\n",
    );
    expect(run("if true; then cat <<EOF\nin if\nEOF\nfi\n").out).toBe("in if\n");
    expect(run("for i in 1 2; do cat <<EOF\ni=$i\nEOF\ndone\n").out).toBe("i=1\ni=2\n");
    expect(run('x=$(cat <<EOF\ninside\nEOF\n)\necho "[$x]"\n').out).toBe("[inside]\n");
    expect(run("read a b <<EOF\n1 2\nEOF\necho $b $a\n").out).toBe("2 1\n");
  });

  it("warns as bash does when the input ends before the delimiter, naming the start line", () => {
    expect(run("echo a\ncat <<EOF\nnever ends")).toEqual({
      out: "a\nnever ends\n",
      err: "bash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')\n",
    });
    expect(run("cat <<END").err).toBe(
      "bash: warning: here-document at line 1 delimited by end-of-file (wanted `END')\n",
    );
    expect(run("cat <<\n").err).toBe("bash: syntax error near unexpected token `newline'\n");
  });
});

describe("here-documents: edge cases", () => {
  it("reads bodies in backquotes, eval and function calls; the delimiter line must match exactly", () => {
    expect(run('x=`cat <<EOF\nin backticks $HOME\nEOF\n`; echo "$x"').out).toBe(
      "in backticks /root\n",
    );
    expect(run("eval 'cat <<EOF\nfrom eval $((1+1))\nEOF'").out).toBe("from eval 2\n");
    expect(run("f() { cat; }; f <<EOF\nto function\nEOF\n").out).toBe("to function\n");
    expect(run("cat <<EOF\nEOF \nEOF\n").out).toBe("EOF \n");
    expect(run("cat <<-'EOF'\n\t$literal\ttab\n\tEOF\n").out).toBe("$literal\ttab\n");
  });

  it("expands parameter operators and positional parameters in the body", () => {
    expect(
      run("cat <<EOF\n${HOME:+set} ${nope:-dflt} ${#HOME} ${HOME#/} ${HOME%t}\nEOF\n").out,
    ).toBe("set dflt 5 root /roo\n");
    expect(run('set -- x; cat <<EOF\n$1 $# "$@"\nEOF\n').out).toBe('x 1 "x"\n');
  });
});

describe("here-strings", () => {
  it("expands the word without splitting and adds a newline", () => {
    expect(run('cat <<< "here $HOME"; cat <<<word; read a b <<< "1 2"; echo $b $a').out).toBe(
      "here /root\nword\n2 1\n",
    );
    expect(run("x='a  b'; cat <<<$x").out).toBe("a  b\n");
  });
});

describe("backquote substitution", () => {
  it('runs the command, nests with \\`, and removes backslashes before $ ` \\ and " (in quotes)', () => {
    expect(run('echo `echo a` "`echo b c`" `echo \\`echo nested\\``').out).toBe("a b c nested\n");
    expect(run('echo `echo \'$HOME\'` "`echo \\"q\\"`"').out).toBe("$HOME q\n");
    expect(run('x=`echo hi`; echo $x; echo "$(echo `echo mixed`)"').out).toBe("hi\nmixed\n");
    expect(run('echo "a `echo "inner"` b"; echo ${x:-`echo dflt`}').out).toBe("a inner b\ndflt\n");
  });

  it("nests inside $(...) and double quotes", () => {
    expect(run('echo $(echo $(echo `echo deep`)) "$(echo "`echo "q r"`")"').out).toBe("deep q r\n");
  });

  it("reports an unclosed backquote or quote with bash 5.2's message", () => {
    expect(run("echo `").err).toBe("bash: unexpected EOF while looking for matching ``'\n");
    expect(run('echo "').err).toBe("bash: unexpected EOF while looking for matching `\"'\n");
  });
});

describe("${name/pattern/replacement}", () => {
  it("replaces the first, every, a leading or a trailing longest match", () => {
    expect(run("v=abcabc; echo ${v/b/X} ${v//b/X} ${v/#a/X} ${v/%c/X} ${v/b} ${v//}").out).toBe(
      "aXcabc aXcaXc Xbcabc abcabX acabc abcabc\n",
    );
    expect(run('v=abcabc; echo "${v/#/X}" "${v/%/X}" ${v/b*/Z}').out).toBe("Xabcabc abcabcX aZ\n");
    expect(run("v=aaa; echo ${v//a/bb} ${v/%a*/Z} ${v/#*/Z}").out).toBe("bbbbbb Z Z\n");
    expect(run('u=; echo "[${u/x/y}]" "[${unset/x/y}]"').out).toBe("[] []\n");
  });

  it("treats quoted pattern text literally and & in the replacement as the match (patsub_replacement)", () => {
    expect(run('v=abcabc; echo ${v/b*/&&} "${v//[ac]/<&>}" ${v/b/\\&}').out).toBe(
      "abcabcbcabc <a>b<c><a>b<c> a&cabc\n",
    );
    const src =
      'v=abc; r="<&>"; echo "${v/b/&}" ${v/b/$r} ${v/b/"$r"} ${v/b/"&"} ${v/b/\\\\&} "${v/"b*"/X}"';
    expect(run(src).out).toBe("abc a<b>c a<&>c a&c a\\bc abc\n");
    expect(run('w="a*c"; echo ${w/"*"/S} ${w/\\*/S}').out).toBe("aSc aSc\n");
    expect(run('set -- ab "c b" d; printf "<%s>" "${@/b/X}" "${*/b/X}" ${@#a} "${@%b}"').out).toBe(
      "<aX><c X><d><aX c X d><b><c><b><d><a><c ><d>",
    );
    expect(run('set --; printf "<%s>" "${@/b/X}" x').out).toBe("<x>");
    expect(
      run('set -- a.b c; x=${@/./-}; echo "$x"; for f in "${@/#/pre-}"; do echo "$f"; done').out,
    ).toBe("a-b c\npre-a.b\npre-c\n");
    expect(run('v=a.b.c; echo ${v//./\\/} ${v/./ } "${v//./ }"').out).toBe("a/b/c a b.c a b c\n");
    expect(run("v=abc; p=b; echo ${v/b/x/y} ${v/b/}. ${v/\\//q} ${v/$p/P}").out).toBe(
      "ax/yc ac. abc aPc\n",
    );
  });
});
