// completion.ts: Tab completion from what the machine has now: the shell's commands, the modules
// the scenario can load or has loaded, and the livepatch sysfs files of the loaded patches.
import type { MachineView } from "../../engine/scenario/view.ts";
import { SHELL_COMMANDS } from "../../engine/shell/commands.ts";
import type { Scenario } from "../../scenarios/schema.ts";

// The shell's own commands, and the machine's programs (engine/machine/commands.ts).
const MACHINE_COMMANDS = ["dmesg", "insmod", "lsmod", "modinfo", "modprobe", "rmmod", "sysctl"];
const COMMANDS = [...SHELL_COMMANDS, ...MACHINE_COMMANDS].sort();
const PATCH_FILES = ["enabled", "force", "replace", "stack_order", "transition"];

function words(view: MachineView | null, scenario: Scenario | null, cmd: string): string[] {
  const mods = new Set([...(scenario?.modules ?? []).map((m) => m.name)]);
  for (const m of view?.modules ?? []) mods.add(m.name);
  if (cmd === "insmod") return [...mods].map((m) => `${m}.ko`);
  if (cmd === "rmmod" || cmd === "modprobe") return [...(view?.modules ?? [])].map((m) => m.name);
  const paths = ["/sys/kernel/livepatch/", "/proc/", "/sys/module/"];
  for (const p of view?.patches ?? []) {
    paths.push(`/sys/kernel/livepatch/${p.name}/`);
    for (const f of PATCH_FILES) paths.push(`/sys/kernel/livepatch/${p.name}/${f}`);
  }
  for (const t of view?.tasks ?? []) paths.push(`/proc/${t.pid}/patch_state`);
  return paths;
}

/** The longest common prefix of `xs`. */
function common(xs: string[]): string {
  let p = xs[0] ?? "";
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Completes the last word of `line`. @returns the new line and the candidates. */
export function complete(
  line: string,
  view: MachineView | null,
  scenario: Scenario | null,
): { line: string; options: string[] } {
  const parts = line.split(/(\s+)/);
  const last = parts[parts.length - 1] ?? "";
  const first = parts.length === 1;
  const pool = first ? COMMANDS : words(view, scenario, parts[0] ?? "");
  const options = pool.filter((w) => w.startsWith(last));
  if (!options.length) return { line, options };
  const word =
    options.length === 1 ? options[0]! + (options[0]!.endsWith("/") ? "" : " ") : common(options);
  return { line: parts.slice(0, -1).join("") + word, options };
}
