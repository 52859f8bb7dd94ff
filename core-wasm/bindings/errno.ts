// errno.ts: errno values shared with the core, and their kernel names for messages.
import * as E from "../assembly/shared/errno.ts";

export * from "../assembly/shared/errno.ts";

const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(E).map(([k, v]) => [v, k]));

/** Kernel name of a negative (or positive) errno, e.g. -22 -> "EINVAL". */
export function errnoName(code: number): string {
  return NAMES.get(Math.abs(code)) ?? `E${Math.abs(code)}`;
}
