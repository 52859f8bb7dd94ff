// sandboxCheck.ts: the foundation page's proof that module code runs in the QuickJS sandbox in a
// browser exactly as in Node: a TypeScript module is type-stripped, called, and an endless loop is
// stopped by the deterministic tick budget.
import { ModuleSandbox, SandboxRef } from "../engine/sandbox/sandbox.ts";

const SOURCE = `
export function greet(who: string): string { return "hello " + who + " from QuickJS"; }
export function spin(): never { for (;;) {} }
`;

/** Runs the checks; one line per answer. */
export async function sandboxChecks(): Promise<string[]> {
  const sb = await ModuleSandbox.create(
    "page_check",
    { now: () => 0, random: () => 0 },
    { budgetTicks: 20 },
  );
  const lines: string[] = [];
  const loaded = sb.load(SOURCE, {});
  if (!loaded.ok) return [`sandbox: ${loaded.error.message}`];
  const call = (name: string): string => {
    const fn = sb.getExport(name);
    if (!fn.ok || !(fn.value instanceof SandboxRef)) return `no export ${name}`;
    const r = sb.call(fn.value, name === "greet" ? ["the browser"] : [], name);
    return r.ok ? String(r.value) : `${r.error.module}.${r.error.fn}: ${r.error.message}`;
  };
  lines.push(`sandbox: ${call("greet")}`);
  lines.push(`sandbox: ${call("spin")}`);
  sb.dispose();
  return lines;
}
