// tracer.ts: the function tracer of /sys/kernel/debug/tracing as the selftests use it
// (kernel/trace/trace_functions.c): current_tracer "function" or "nop", set_ftrace_filter (one
// or more function names; none: every function), tracing_on, and the trace buffer. Choosing
// "function" registers the tracer's ftrace_ops (the top instance's is the static global_ops);
// its filter decides which records it covers, and those sites are poked like klp's
// (ftrace-sites.ts): alone on a site it has its own dynamic trampoline on x86-64 and is the
// CALL_OPS literal on arm64; on a livepatched function the site calls the shared ftrace_caller
// and the literal is &ftrace_list_ops; "nop" unregisters it and the sites go back to what the
// remaining ops need. A call records a line when its site enters ftrace and the filter covers
// it, and so does a livepatch's new function (its own entry). tracing_on only gates the buffer.
import { EINVAL } from "../../core-wasm/bindings/index.ts";
import { TextSymbol } from "../../core-wasm/bindings/text.ts";
import { dmesgStamp } from "../clock.ts";
import type { Ftrace } from "./ftrace.ts";
import type { SiteOps } from "./ftrace-sites.ts";
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
  /** The registered ops (current_tracer "function"), or null. */
  private ops: SiteOps | null = null;

  constructor(
    private readonly m: Machine,
    private readonly ft: Ftrace,
  ) {}

  /** Whether the tracer's ops covers function `fn`'s record (its filter hash, empty: all). */
  covers(fn: number): boolean {
    if (this.m.core.text.siteAddr(fn) === 0) return false;
    const name = this.m.names.get(fn);
    return name !== undefined && (this.filter.size === 0 || this.filter.has(name));
  }

  /** Machine.onCall: records `called` and, when redirected, the function that ran. */
  record(t: Task, called: number, ran: number): void {
    if (this.tracer !== "function" || !this.on) return;
    const caller = t.fns.length > 0 ? (this.m.names.get(t.fns[t.fns.length - 1]!) ?? "") : "";
    for (const id of called === ran ? [called] : [called, ran]) {
      const name = this.m.names.get(id);
      // The line is written by the tracer's callback: only a site that enters ftrace runs it.
      if (!name || !this.covers(id) || this.m.core.text.exec(id) === 0) continue;
      const stamp = dmesgStamp(this.m.clock.nowNs()).replace(/[[\]]/g, "").trim();
      const task = `${t.comm}-${t.pid}`.padStart(16);
      this.lines.push(`${task} [00${t.cpu}] ..... ${stamp.padStart(12)}: ${name} <-${caller}`);
    }
  }

  private setTracer(data: string): number {
    const v = data.trim();
    if (v !== "nop" && v !== "function") return -EINVAL;
    if (v === this.tracer) return data.length;
    this.tracer = v;
    const rc = v === "function" ? this.register() : this.unregister();
    return rc < 0 ? rc : data.length;
  }

  /** register_ftrace_function(tr->ops): x86-64 gets it a trampoline (none: the shared caller). */
  private register(): number {
    const { text } = this.m.core;
    const x86 = this.m.arch === "x86_64";
    const tramp = x86 ? text.trampAlloc() : 0;
    const token = x86 ? 0 : text.symbol(TextSymbol.globalOps);
    this.ops = { token, tramp: tramp > 0 ? tramp : 0, saveRegs: false };
    return this.ft.setTracerOps({ ops: this.ops, covers: (fn) => this.covers(fn) });
  }

  /** unregister_ftrace_function: sites first, then the trampoline is freed. */
  private unregister(): number {
    const rc = this.ft.setTracerOps(null);
    if (this.ops && this.ops.tramp !== 0) this.m.core.text.trampFree(this.ops.tramp);
    this.ops = null;
    return rc;
  }

  private setFilter(data: string): number {
    const names = data.split(/\s+/).filter((x) => x !== "");
    const known = new Set(this.m.names.values());
    if (names.some((n) => !known.has(n))) return -EINVAL;
    this.filter.clear();
    for (const n of names) this.filter.add(n);
    // ftrace_ops_update_code: the registered ops' records follow the new hash.
    const rc = this.ops ? this.ft.updateAll() : 0;
    return rc < 0 ? rc : data.length;
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
