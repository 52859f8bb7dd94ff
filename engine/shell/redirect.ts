// redirect.ts: applying a command's redirections to its descriptors, left to right as bash does
// (so `>f 2>&1` and `2>&1 >f` differ). Opening is the open(2): a missing file or a denied open fails
// here, before the command runs, with bash's "bash: <name>: <strerror>".
import { err, ok, type Result } from "../result.ts";
import { strerror } from "../strerror.ts";
import type { Redirect } from "./ast.ts";
import type { ExpandEnv } from "./expand.ts";
import { expandString, expandWord } from "./expand.ts";
import type { ShellHost } from "./host.ts";
import {
  FileOutput,
  inputOf,
  KmsgOutput,
  NullOutput,
  type Fds,
  type Input,
  type Output,
} from "./io.ts";

/** Resolves paths against the shell's cwd. */
export type Resolve = (path: string) => string;

/** A failed redirection: the message after "bash: "; `expansion` when expanding the target failed. */
export interface RedirectError {
  message: string;
  expansion: boolean;
}

/** Applies `redirects` on top of `fds`. @returns the new descriptors or what went wrong. */
export function applyRedirects(
  redirects: readonly Redirect[],
  fds: Fds,
  host: ShellHost,
  env: ExpandEnv,
  resolve: Resolve,
): Result<Fds, RedirectError> {
  const out: Fds = { ...fds };
  for (const r of redirects) {
    if (r.op === "<<" || r.op === "<<<") {
      const e = hereInput(r, out, env);
      if (e !== null) return err({ message: e, expansion: true });
      continue;
    }
    const fields = expandWord(r.target, env);
    if (!fields.ok) return err({ message: fields.error, expansion: true });
    const target = fields.value.length === 1 ? fields.value[0]! : null;
    if (target === null)
      return err({ message: `${wordText(r)}: ambiguous redirect`, expansion: false });
    const e = applyOne(r, target, out, host, resolve);
    if (e !== null) return err({ message: e, expansion: false });
  }
  return ok(out);
}

/**
 * A here-document or here-string as the descriptor's input: expanded without splitting or globbing;
 * a here-string gets a newline (bash). @returns null, or the expansion's error.
 */
function hereInput(r: Redirect, fds: Fds, env: ExpandEnv): string | null {
  const text = expandString(r.target, env);
  if (!text.ok) return text.error;
  // Only fd 0 has a reader in this shell; `3<<EOF` is accepted and read by nobody.
  if (r.fd === 0) fds.stdin = inputOf(r.op === "<<<" ? `${text.value}\n` : text.value);
  return null;
}

function applyOne(
  r: Redirect,
  target: string,
  fds: Fds,
  host: ShellHost,
  resolve: Resolve,
): string | null {
  if (r.op === "<") {
    const input = openInput(target, host, resolve);
    if (typeof input === "string") return input;
    if (r.fd === 0) fds.stdin = input;
    return null;
  }
  if (r.op === ">&") return duplicate(r.fd, target, fds, host, resolve);
  const output = openOutput(target, r.op === ">>", fds, host, resolve);
  if (typeof output === "string") return output;
  setOutput(fds, r.fd, output);
  return null;
}

/** `n>&m`: fd n becomes a copy of fd m; `>&-` closes; `>& file` sends 1 and 2 to the file. */
function duplicate(
  fd: number,
  target: string,
  fds: Fds,
  host: ShellHost,
  resolve: Resolve,
): string | null {
  if (target === "-") {
    setOutput(fds, fd, new NullOutput());
    return null;
  }
  if (/^\d+$/.test(target)) {
    const src = target === "1" ? fds.stdout : target === "2" ? fds.stderr : null;
    if (src === null) return `${target}: Bad file descriptor`;
    setOutput(fds, fd, src);
    return null;
  }
  if (fd !== 1) return `${target}: ambiguous redirect`;
  const output = openOutput(target, false, fds, host, resolve);
  if (typeof output === "string") return output;
  fds.stdout = output;
  fds.stderr = output;
  return null;
}

function setOutput(fds: Fds, fd: number, output: Output): void {
  if (fd === 1) fds.stdout = output;
  else if (fd === 2) fds.stderr = output;
  // Other descriptors have no reader in this shell; the open still happened (files are created).
}

function openInput(target: string, host: ShellHost, resolve: Resolve): Input | string {
  if (target === "/dev/null") return inputOf("");
  const text = host.readFile(resolve(target));
  if (typeof text === "number") return `${target}: ${strerror(text)}`;
  return inputOf(text);
}

function openOutput(
  target: string,
  append: boolean,
  fds: Fds,
  host: ShellHost,
  resolve: Resolve,
): Output | string {
  switch (target) {
    case "/dev/null":
      return new NullOutput();
    case "/dev/kmsg":
      return new KmsgOutput(host);
    case "/dev/stdout":
      return fds.stdout;
    case "/dev/stderr":
      return fds.stderr;
  }
  const path = resolve(target);
  // An empty write is the open alone: it creates, or truncates unless appending (see host.ts).
  const rc = host.writeFile(path, "", append);
  if (rc < 0) return `${target}: ${strerror(rc)}`;
  return new FileOutput(host, path);
}

/** The redirection target as written, for "ambiguous redirect". */
function wordText(r: Redirect): string {
  return r.target.parts
    .map((p) => {
      if (p.kind === "lit") return p.text;
      if (p.kind === "var") return `$${p.name}`;
      return p.kind === "arith" ? `$((${p.expr}))` : "$(...)";
    })
    .join("");
}
