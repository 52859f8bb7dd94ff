// log.ts: the kernel log buffer (kernel/printk/printk.c as far as a reader sees it): records with a
// sequence number, a level, a timestamp from the virtual clock and the text; dmesg renders them.
// One record per line: printk splits a message at newlines the way the console shows it.
import { type Restorer, SNAPSHOT } from "./checkpoint/graph.ts";
import { dmesgStamp } from "./clock.ts";
import { ok, type Result } from "./result.ts";

/** Console log levels, KERN_EMERG (0) .. KERN_DEBUG (7). */
export const LogLevel = {
  Emerg: 0,
  Alert: 1,
  Crit: 2,
  Err: 3,
  Warning: 4,
  Notice: 5,
  Info: 6,
  Debug: 7,
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** The level printk uses when a message names none (CONFIG_MESSAGE_LOGLEVEL_DEFAULT). */
export const DEFAULT_MESSAGE_LOGLEVEL: LogLevel = LogLevel.Warning;

export interface LogRecord {
  seq: number;
  level: LogLevel;
  /** Nanoseconds since boot. */
  tsNs: number;
  text: string;
}

export class KernelLog {
  private records: LogRecord[] = [];
  private nextSeq = 0;

  /**
   * Appends a message; a trailing newline ends it, inner newlines start new records with the
   * same level and timestamp, and an empty message adds nothing.
   */
  append(level: LogLevel, tsNs: number, text: string): void {
    const body = text.endsWith("\n") ? text.slice(0, -1) : text;
    if (body === "" && text !== "\n") return;
    for (const line of body.split("\n")) {
      this.records.push({ seq: this.nextSeq++, level, tsNs, text: line });
    }
  }

  /** Records with seq >= `from`. */
  since(from = 0): readonly LogRecord[] {
    const i = this.records.findIndex((r) => r.seq >= from);
    return i < 0 ? [] : this.records.slice(i);
  }

  get length(): number {
    return this.nextSeq;
  }

  /** As EventStream's: records are only ever appended, and a restore copies the prefix. */
  [SNAPSHOT](): Result<Restorer, string> {
    const records = this.records;
    const n = records.length;
    const next = this.nextSeq;
    return ok(() => {
      this.records = records.slice(0, n);
      this.nextSeq = next;
    });
  }

  /** `dmesg` output: "[    1.000000] text" lines. */
  dmesg(from = 0): string[] {
    return this.since(from).map((r) => dmesgStamp(r.tsNs) + r.text);
  }

  /** The lines without timestamps, as the selftests' check_result compares them. */
  lines(from = 0): string[] {
    return this.since(from).map((r) => r.text);
  }
}
