// dump-stack.ts: dump_stack() as the kernel prints it (lib/dump_stack.c dump_stack_lvl at
// KERN_DEFAULT): dump_stack_print_info()'s CPU line, then the arch's show_stack(). x86's
// show_trace_log_lvl() frames the trace with "Call Trace:" and <TASK>; arm64's dump_backtrace()
// prints "Call trace:" with show_stack itself first, marked (C) as the frame it was called from.
// The frames are the caller's kernel path (the engine keeps no kernel stack for it) and the
// syscall entry; offsets are fixed, as in warnSplat.
import { DEFAULT_MESSAGE_LOGLEVEL } from "../log.ts";
import type { Machine } from "./machine.ts";
import { taintString } from "./warn.ts";

/** The syscall entry under a call made from user space, innermost first, per arch. */
const SYSCALL_ENTRY = {
  x86_64: ["do_syscall_64", "entry_SYSCALL_64_after_hwframe"],
  arm64: [
    "invoke_syscall",
    "el0_svc_common.constprop.0",
    "do_el0_svc",
    "el0_svc",
    "el0t_64_sync_handler",
    "el0t_64_sync",
  ],
} as const;

/**
 * Prints dump_stack() for a call made in `path` (innermost first, without dump_stack itself, e.g.
 * do_init_module, load_module, ...), entered from user space through syscall `sys` (the name after
 * the arch prefix, e.g. "sys_finit_module").
 */
export function dumpStack(m: Machine, path: readonly string[], sys: string): void {
  const t = m.current;
  const pid = t?.pid ?? 0;
  const comm = t?.comm ?? "swapper/0";
  const cpu = t?.cpu ?? 0;
  const arm = m.arch === "arm64";
  // printk_stack_address() (x86) and dump_backtrace_entry() (arm64): " %pBb", one space.
  const frame = (f: string) => ` ${f}+0x1c/0x40`;
  const calls = [
    ...path,
    `${arm ? "__arm64_" : "__x64_"}${sys}`,
    ...SYSCALL_ENTRY[arm ? "arm64" : "x86_64"],
  ];
  const lines = [
    `CPU: ${cpu} UID: 0 PID: ${pid} Comm: ${comm} Tainted: ${taintString(m)}6.16.0-klp #1 PREEMPT(voluntary)`,
    ...(arm
      ? [
          "Call trace:",
          " show_stack+0x18/0x24 (C)",
          " dump_stack_lvl+0x60/0x80",
          " dump_stack+0x18/0x24",
          ...calls.map(frame),
        ]
      : ["Call Trace:", " <TASK>", " dump_stack_lvl+0x5d/0x80", ...calls.map(frame), " </TASK>"]),
  ];
  for (const l of lines) m.printk(DEFAULT_MESSAGE_LOGLEVEL, l);
}
