// warn.ts: a WARN()/WARN_ON() splat as the kernel prints it (kernel/panic.c __warn): the cut-here
// line, the message, "WARNING: CPU: n PID: p at file:line function+off/size", the module list, the
// CPU line, the call trace and the end-trace line. Goldens compare only the message.
import { LogLevel } from "../log.ts";
import type { Machine } from "./machine.ts";

export interface WarnSite {
  /** Source file, e.g. "kernel/livepatch/shadow.c". */
  file: string;
  line: number;
  /** The function that WARNed. */
  func: string;
}

/**
 * print_tainted(): 'G' and one column per taint flag in kernel/panic.c order (F S R M B U D A W C I
 * O E L K X T N J); modules are out of tree and unsigned here, so O and E are always set.
 */
export function taintString(m: Machine): string {
  const d = m.taintedDie ? "D" : " ";
  const k = m.taintedLivepatch ? "K" : " ";
  return `G      ${d}    OE ${k}    `;
}

/** " lp(OEK) mod(OE)": the module list of a splat. */
export function modulesLinkedIn(m: Machine): string {
  return m.modules
    .list()
    .map((x) => `${x.name}(${x.def.livepatch ? "OEK" : "OE"})`)
    .join(" ");
}

/** Prints a WARNING splat for `site` with an optional message (already formatted). */
export function warnSplat(m: Machine, site: WarnSite, message: string): void {
  const t = m.current;
  const pid = t?.pid ?? 0;
  const comm = t?.comm ?? "swapper/0";
  const cpu = t?.cpu ?? 0;
  const mods = modulesLinkedIn(m);
  const taint = taintString(m);
  const off = (site.line * 7) & 0xff;
  const lines = [
    "------------[ cut here ]------------",
    ...(message ? [message.replace(/\n$/, "")] : []),
    `WARNING: CPU: ${cpu} PID: ${pid} at ${site.file}:${site.line} ${site.func}+0x${off.toString(16)}/0x${(off + 0x90).toString(16)}`,
    `Modules linked in: ${mods}`,
    `CPU: ${cpu} UID: 0 PID: ${pid} Comm: ${comm} Tainted: ${taint}6.16.0-klp #1 PREEMPT(voluntary)`,
    "Call Trace:",
    " <TASK>",
    ...(t
      ? t.fns
          .slice()
          .reverse()
          .map((f) => `  ${m.names.get(f) ?? "?"}+0x1c/0x40`)
      : []),
    " </TASK>",
    "---[ end trace 0000000000000000 ]---",
  ];
  for (const l of lines) m.printk(LogLevel.Warning, l);
}
