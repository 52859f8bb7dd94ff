// shopt.ts: bash's shopt builtin for the options the playground's shell has: extglob (patterns'
// @(..) ?(..) *(..) +(..) !(..) groups) and nullglob. Other names are not options here.
import type { Builtin } from "../state.ts";

type Option = "extglob" | "nullglob";
const OPTIONS: readonly Option[] = ["extglob", "nullglob"];

function isOption(name: string): name is Option {
  return (OPTIONS as readonly string[]).includes(name);
}

const USAGE = "shopt: usage: shopt [-pqsu] [-o] [optname ...]\n";

/** shopt [-pqsu] [optname...]: set (-s), unset (-u), query (-q) or list the options. */
export const shopt: Builtin = (ctx, argv, fds) => {
  let args = argv.slice(1);
  let mode: "s" | "u" | null = null;
  let quiet = false;
  let print = false;
  for (; args.length && /^-./.test(args[0]!); args = args.slice(1)) {
    if (args[0] === "--") {
      args = args.slice(1);
      break;
    }
    for (const f of args[0]!.slice(1)) {
      if (f === "s" || f === "u") mode = f;
      else if (f === "q") quiet = true;
      else if (f === "p") print = true;
      else {
        fds.stderr.write(`bash: shopt: -${f}: invalid option\n${USAGE}`);
        return 2;
      }
    }
  }
  const state = ctx.state;
  // With no names, `shopt -s` / `shopt -u` list the options that are on / off.
  if (args.length === 0) {
    for (const name of OPTIONS) {
      if (mode !== null && state[name] !== (mode === "s")) continue;
      if (!quiet) fds.stdout.write(line(name, state[name], print));
    }
    return 0;
  }
  const names = args;
  let status = 0;
  for (const name of names) {
    if (!isOption(name)) {
      fds.stderr.write(`bash: shopt: ${name}: invalid shell option name\n`);
      status = 1;
      continue;
    }
    if (mode !== null) {
      state[name] = mode === "s";
      continue;
    }
    const on = state[name];
    if (!on) status = 1;
    if (!quiet) fds.stdout.write(line(name, on, print));
  }
  return status;
};

/** One option as `shopt` lists it, or as `shopt -p` prints the command that sets it. */
function line(name: string, on: boolean, print: boolean): string {
  return print
    ? `shopt -${on ? "s" : "u"} ${name}\n`
    : `${name.padEnd(15)}\t${on ? "on" : "off"}\n`;
}
