// tracer.ts: the function tracer of /sys/kernel/debug/tracing as the selftests use it
// (kernel/trace/trace_functions.c): current_tracer "function" or "nop", set_ftrace_filter (one
// or more function names), tracing_on, and the trace buffer. A traced function's entry records a
// line when it is called, and so does a livepatch's new function when it is in the filter (its
// own entry). Entry-site bytes for the tracer's ops are not modelled.
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import { dmesgStamp } from "../clock.ts";
import type { Machine } from "./machine.ts";
import type { Task } from "./task.ts";

const DIR = "/sys/kernel/debug/tracing";
const HEADER =
  "# tracer: function\n#\n#           TASK-PID     CPU#     TIMESTAMP  FUNCTION\n#              | |         |         |         |\n";

export class FunctionTracer {
  tracer: "nop" | "function" = "nop";
  on = true;
  readonly filter = new Set<string>();
  private lines: string[] = [];

  constructor(private readonly m: Machine) {}

  /** Machine.onCall: records `called` and, when redirected, the function that ran. */
  record(t: Task, called: number, ran: number): void {
    if (this.tracer !== "function" || !this.on) return;
    const caller = t.fns.length > 0 ? (this.m.names.get(t.fns[t.fns.length - 1]!) ?? "") : "";
    for (const id of called === ran ? [called] : [called, ran]) {
      const name = this.m.names.get(id);
      if (!name || (this.filter.size > 0 && !this.filter.has(name))) continue;
      const stamp = dmesgStamp(this.m.clock.nowNs()).replace(/[[\]]/g, "").trim();
      const task = `${t.comm}-${t.pid}`.padStart(16);
      this.lines.push(`${task} [00${t.cpu}] ..... ${stamp.padStart(12)}: ${name} <-${caller}`);
    }
  }

  private setTracer(data: string): number {
    const v = data.trim();
    if (v !== "nop" && v !== "function") return -EINVAL;
    this.tracer = v;
    return data.length;
  }

  private setFilter(data: string): number {
    const names = data.split(/\s+/).filter((x) => x !== "");
    const known = new Set(this.m.names.values());
    if (names.some((n) => !known.has(n))) return -EINVAL;
    this.filter.clear();
    for (const n of names) this.filter.add(n);
    return data.length;
  }

  /** Creates the tracing files and hooks the machine's calls. */
  install(): void {
    const vfs = this.m.vfs;
    vfs.mkdir(DIR, 0o700);
    vfs.addFile(`${DIR}/current_tracer`, {
      mode: 0o644,
      show: () => `${this.tracer}\n`,
      store: (d) => this.setTracer(d),
    });
    vfs.addFile(`${DIR}/tracing_on`, {
      mode: 0o644,
      show: () => (this.on ? "1\n" : "0\n"),
      store: (d) => {
        const v = d.trim();
        if (v !== "0" && v !== "1") return -EINVAL;
        this.on = v === "1";
        return d.length;
      },
    });
    vfs.addFile(`${DIR}/set_ftrace_filter`, {
      mode: 0o644,
      show: () =>
        this.filter.size ? [...this.filter].join("\n") + "\n" : "#### all functions enabled ####\n",
      store: (d) => this.setFilter(d),
    });
    vfs.addFile(`${DIR}/trace`, {
      mode: 0o644,
      show: () => HEADER + this.lines.map((l) => `${l}\n`).join(""),
      store: (d) => {
        this.lines = [];
        return d.length;
      },
    });
    this.m.onCall = (t, called, ran) => this.record(t, called, ran);
  }
}
