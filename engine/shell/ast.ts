// ast.ts: the syntax tree of the playground's shell, a POSIX sh subset as a root console uses it.

export type WordPart =
  | { kind: "lit"; text: string; quoted: boolean }
  | {
      kind: "var";
      name: string;
      quoted: boolean;
      /** ${name<op>arg}: a default/assign/alternative/error operator, a pattern removal, or ${#name}. */
      op?: ParamOp;
      arg?: Word;
      /** ${name/pat/rep}: the replacement (arg is the pattern). */
      rep?: Word;
      /** ${name:offset[:length]}: arithmetic, expanded and evaluated when the word is. */
      offset?: Word;
      length?: Word | undefined;
      /** The length as written, which bash's "substring expression < 0" names. */
      lengthText?: string | undefined;
      /** ${name[sub]}: every element (@ or *), or one, by an arithmetic subscript. */
      subscript?: "@" | "*" | Word;
      /** ${!name[@]}: the array's indices rather than its values. */
      keys?: boolean;
      /** ${!name}: the variable named by name's value. */
      indirect?: boolean;
    }
  /** name=(words...) given to a declaration builtin (declare, local): its items, unexpanded. */
  | { kind: "array"; items: Word[]; quoted?: false }
  | { kind: "cmdsub"; program: Program; quoted: boolean }
  /**
   * <(list): the list runs in a subshell; the word is a /dev/fd path that reads its output.
   * >(list), `output`: the path is written to, and the list reads what was written as its input.
   */
  | { kind: "procsub"; program: Program; quoted?: false; output?: true }
  /** $((expr)): the expression's text, expanded for $name and evaluated when the word expands. */
  | { kind: "arith"; expr: string; quoted: boolean };

/** The operators of ${name...}; "length" is ${#name}. */
export type ParamOp =
  | "-"
  | ":-"
  | "="
  | ":="
  | "+"
  | ":+"
  | "?"
  | ":?"
  | "#"
  | "##"
  | "%"
  | "%%"
  | "length"
  /** ${name/pat/rep} (first match), // (every match), /# (at the start), /% (at the end). */
  | "/"
  | "//"
  | "/#"
  | "/%"
  /** ${name:offset} and ${name:offset:length} (bash's substring expansion). */
  | "substr"
  /** ${name^pat} ${name^^pat} ${name,pat} ${name,,pat}: case modification (pat defaults to ?). */
  | "^"
  | "^^"
  | ","
  | ",,"
  /** A malformed ${...}: `name` holds its text; expanding it fails ("bad substitution"). */
  | "bad";

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  /** The file descriptor redirected (1 for `>`, 0 for `<`, 2 for `2>`...). */
  fd: number;
  /** `<<` is a here-document (its body already the target) and `<<<` a here-string. */
  op: ">" | ">>" | "<" | ">&" | "<<" | "<<<";
  /**
   * A file name, for `>&` the target descriptor as a word ("1"), for `<<` the here-document's
   * body (all quoted text when its delimiter was quoted), for `<<<` the word.
   */
  target: Word;
}

/** name=value, name+=value, name[i]=value, name=(items) and name+=(items). */
export interface Assignment {
  name: string;
  value: Word;
  /** name[index]=value: the subscript, arithmetic once expanded. */
  index?: Word;
  append?: boolean;
  /** name=(items): a compound assignment; items may be [index]=value. */
  array?: Word[];
}

export interface SimpleCommand {
  type: "simple";
  assigns: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

export interface IfCommand {
  type: "if";
  clauses: { cond: Program; body: Program }[];
  otherwise: Program | null;
  redirects: Redirect[];
}

export interface LoopCommand {
  type: "while" | "until";
  cond: Program;
  body: Program;
  redirects: Redirect[];
}

export interface ForCommand {
  type: "for";
  name: string;
  /** null: iterate over "$@". */
  items: Word[] | null;
  body: Program;
  redirects: Redirect[];
}

export interface GroupCommand {
  type: "group" | "subshell";
  body: Program;
  redirects: Redirect[];
}

/** One token of a [[ ... ]] expression: an operator (&& || ( ) < >) or a word. */
export type CondToken = { kind: "op"; op: string } | { kind: "word"; word: Word };

/** bash's [[ expression ]]: words are expanded without splitting or globbing when evaluated. */
export interface CondCommand {
  type: "cond";
  tokens: CondToken[];
  redirects: Redirect[];
}

/** How a case clause's list ends: `;;` stops, `;&` runs the next list, `;;&` tests the next patterns. */
export type CaseEnd = ";;" | ";&" | ";;&";

/** `case word in (pattern|pattern) list ;; ... esac`: the first matching clause runs. */
export interface CaseCommand {
  type: "case";
  word: Word;
  clauses: { patterns: Word[]; body: Program; end: CaseEnd }[];
  redirects: Redirect[];
}

/** (( expr )): status 0 when the expression is not zero. */
export interface ArithCommand {
  type: "arith";
  expr: string;
  redirects: Redirect[];
}

/** for (( init; test; step )): C's loop; an empty test is true. */
export interface ArithForCommand {
  type: "arith-for";
  init: string;
  test: string;
  step: string;
  body: Program;
  redirects: Redirect[];
}

export interface FunctionDef {
  type: "function";
  name: string;
  body: Command;
}

export type Command =
  | SimpleCommand
  | IfCommand
  | LoopCommand
  | ForCommand
  | GroupCommand
  | CondCommand
  | CaseCommand
  | ArithCommand
  | ArithForCommand
  | FunctionDef;

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
}

export interface ListItem {
  command: AndOr;
  background: boolean;
}

export interface Program {
  items: ListItem[];
}
