import { describe, expect, it } from "vitest";
import type { Program, SimpleCommand, Word } from "./ast.ts";
import { parseShell, plainText } from "./parse.ts";

function parse(src: string): Program {
  const r = parseShell(src);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function firstSimple(p: Program): SimpleCommand {
  const c = p.items[0]!.command.first.commands[0]!;
  if (c.type !== "simple") throw new Error(`not simple: ${c.type}`);
  return c;
}

const texts = (ws: Word[]) => ws.map((w) => plainText(w));

describe("shell parser", () => {
  it("parses the selftests' command lines with redirections", () => {
    const c = firstSimple(parse("echo 0 > /sys/kernel/livepatch/lp_demo/enabled"));
    expect(texts(c.words)).toEqual(["echo", "0"]);
    expect(c.redirects).toHaveLength(1);
    expect(c.redirects[0]).toMatchObject({ fd: 1, op: ">" });
    expect(plainText(c.redirects[0]!.target)).toBe("/sys/kernel/livepatch/lp_demo/enabled");
    const d = firstSimple(parse("insmod test_modules/x.ko 2>&1 >>/dev/kmsg"));
    expect(d.redirects.map((r) => [r.fd, r.op, plainText(r.target)])).toEqual([
      [2, ">&", "1"],
      [1, ">>", "/dev/kmsg"],
    ]);
  });

  it("keeps quoting, variables and command substitution as parts", () => {
    const c = firstSimple(parse(`echo 'a $b' "c $d \${e}" $? $! \\$f "$(cat /proc/cmdline)"`));
    expect(c.words[1]!.parts).toEqual([{ kind: "lit", text: "a $b", quoted: true }]);
    expect(c.words[2]!.parts).toEqual([
      { kind: "lit", text: "c ", quoted: true },
      { kind: "var", name: "d", quoted: true },
      { kind: "lit", text: " ", quoted: true },
      { kind: "var", name: "e", quoted: true },
      { kind: "lit", text: "", quoted: true },
    ]);
    expect(c.words[3]!.parts).toEqual([{ kind: "var", name: "?", quoted: false }]);
    expect(c.words[4]!.parts).toEqual([{ kind: "var", name: "!", quoted: false }]);
    // A backslash quotes one character: it is a quoted part (so `\*` stays literal in a pattern).
    expect(c.words[5]!.parts).toEqual([
      { kind: "lit", text: "$", quoted: true },
      { kind: "lit", text: "f", quoted: false },
    ]);
    const sub = c.words[6]!.parts[0]!;
    expect(sub.kind).toBe("cmdsub");
    if (sub.kind === "cmdsub")
      expect(texts(firstSimple(sub.program).words)).toEqual(["cat", "/proc/cmdline"]);
  });

  it("parses assignments, lists, and-or lists, pipelines and background jobs", () => {
    const p = parse("X=1 Y=$X cmd a; false || echo no && echo yes\ncat f | grep -q x &\nwait $!");
    expect(p.items).toHaveLength(4);
    const first = firstSimple(p);
    expect(first.assigns.map((a) => a.name)).toEqual(["X", "Y"]);
    expect(p.items[1]!.command.rest.map((r) => r.op)).toEqual(["||", "&&"]);
    expect(p.items[2]!.command.first.commands).toHaveLength(2);
    expect(p.items[2]!.background).toBe(true);
  });

  it("parses if/elif/else, while, until, for, groups, subshells and functions", () => {
    const p = parse(`
      if [ -e /sys/kernel/livepatch/p ]; then echo yes
      elif test 1 = 2; then echo maybe
      else echo no; fi
      while ! grep -q 0 f; do sleep 1; done
      until true; do :; done
      for i in $(seq 1 3) last; do echo $i; done
      { echo a; echo b; } > out
      (cd /; pwd)
      greet() { echo "hi $1"; }
    `);
    const kinds = p.items.map((i) => i.command.first.commands[0]!.type);
    expect(kinds).toEqual(["if", "while", "until", "for", "group", "subshell", "function"]);
    const ifc = p.items[0]!.command.first.commands[0]!;
    if (ifc.type === "if") {
      expect(ifc.clauses).toHaveLength(2);
      expect(ifc.otherwise?.items).toHaveLength(1);
    }
    const loop = p.items[1]!.command.first.commands[0]!;
    if (loop.type === "while") expect(loop.cond.items[0]!.command.first.negate).toBe(true);
    const forc = p.items[3]!.command.first.commands[0]!;
    if (forc.type === "for") expect(forc.items).toHaveLength(2);
    const group = p.items[4]!.command.first.commands[0]!;
    if (group.type === "group") expect(group.redirects).toHaveLength(1);
  });

  it("treats reserved words as words outside command position", () => {
    expect(texts(firstSimple(parse("echo if then fi")).words)).toEqual([
      "echo",
      "if",
      "then",
      "fi",
    ]);
  });

  it("reports syntax errors as bash does", () => {
    expect(parseShell("fi")).toEqual({
      ok: false,
      error: "syntax error near unexpected token `fi'",
    });
    expect(parseShell("if true; then echo")).toEqual({
      ok: false,
      error: "syntax error: unexpected end of file",
    });
    expect(parseShell("echo 'open")).toEqual({
      ok: false,
      error: "unexpected EOF while looking for matching `''",
    });
    expect(parseShell("a && ; b")).toEqual({
      ok: false,
      error: "syntax error near unexpected token `;'",
    });
    expect(parseShell("| x")).toEqual({
      ok: false,
      error: "syntax error near unexpected token `|'",
    });
  });

  it("reads &> and &>> as a redirection of stdout and stderr", () => {
    const c = firstSimple(parse("sysctl x=1 &> /dev/null"));
    expect(texts(c.words)).toEqual(["sysctl", "x=1"]);
    expect(c.redirects.map((r) => [r.fd, r.op, plainText(r.target)])).toEqual([
      [1, ">", "/dev/null"],
      [2, ">&", "1"],
    ]);
    expect(firstSimple(parse("a &>>f")).redirects[0]).toMatchObject({ fd: 1, op: ">>" });
    expect(parse("a & b").items.map((i) => i.background)).toEqual([true, false]);
  });

  it("parses bash's function keyword", () => {
    const p = parse("function log() { echo; }\nfunction f { :; }");
    expect(p.items.map((i) => i.command.first.commands[0])).toMatchObject([
      { type: "function", name: "log", body: { type: "group" } },
      { type: "function", name: "f", body: { type: "group" } },
    ]);
  });

  it("ignores comments and line continuations, and accepts an empty script", () => {
    expect(parse("# nothing\n\n").items).toEqual([]);
    expect(texts(firstSimple(parse("echo a \\\n b # c")).words)).toEqual(["echo", "a", "b"]);
  });
});

describe("shell parser robustness", () => {
  it("returns a result, never throws, for arbitrary input (fixed seed)", async () => {
    const fc = await import("fast-check");
    const SEED = Number(process.env.KLP_SEED ?? 0x5e11);
    console.log(`fast-check seed ${SEED}`);
    const alphabet = fc.constantFrom(..."ab $(){};&|<>'\"\\\n#!=12ifthenfidodone".split(""));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        const r = parseShell(chars.join(""));
        return r.ok || typeof r.error === "string";
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe("(( )) and for (( ))", () => {
  it("reads an arithmetic command, and `( (` as nested subshells", () => {
    const arith = parse("(( i++ )) > /dev/null").items[0]!.command.first.commands[0]!;
    expect(arith).toMatchObject({ type: "arith", expr: " i++ " });
    expect(arith.type === "arith" && arith.redirects.length).toBe(1);
    expect(parse("( (true) )").items[0]!.command.first.commands[0]!.type).toBe("subshell");
  });

  it("reports a for (( )) without three expressions as interactive bash 5.2 does", () => {
    // bash --norc -i, fed `for ((a;b)); do :; done`: these two lines, then $? is 2.
    expect(parseShell("for ((a;b)); do :; done")).toEqual({
      ok: false,
      error: "syntax error: arithmetic expression required\nbash: syntax error: `((a;b))'",
    });
  });
});
