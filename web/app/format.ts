// format.ts: how the views print engine values: dmesg's timestamp, the virtual clock, a task's
// reason for not switching (klp_try_switch_task's own words, from the errno it returned).
import { dmesgStamp } from "../../engine/clock.ts";

export { dmesgStamp };

/** "12.345 s" of virtual time. */
export function clock(ns: number): string {
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** klp_try_switch_task's reasons (kernel/livepatch/transition.c, its pr_debug lines). */
export function blockedReason(b: { errno: number; func: string | null }): string {
  if (b.errno === -16) return "running";
  if (b.errno === -22) return "unreliable stack";
  if (b.errno === -98) return `sleeping on function ${b.func ?? "?"}`;
  return `error ${b.errno}`;
}

export const PATCH_STATE: Record<number, string> = {
  [-1]: "idle",
  0: "unpatched",
  1: "patched",
};
