// trace.test.ts: the Perfetto export (engine/trace) on real runs of the built-in modules and a
// sandboxed one: the tour script (a stall ended by the fake signal, the shadow samples, a forced
// transition of the callbacks demo), in both semantics and on both architectures, must give a
// structurally sound Chrome trace with every kind of track.
import { describe, expect, it } from "vitest";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import { runRequest } from "../engine/host/run.ts";
import { checkTrace } from "../engine/trace/check.ts";
import { toChromeTrace } from "../engine/trace/export.ts";
import type { ChromeTrace } from "../engine/trace/format.ts";
import { PROCESSES } from "../engine/trace/tracks.ts";
import { bootPlayground } from "../modules/playground.ts";
import { LP_WAIT, tourScript } from "../modules/runs.ts";

async function tour(semantics: "mainline" | "proposed", arch: "x86_64" | "arm64") {
  const r = await runRequest(
    { script: tourScript(semantics), semantics, arch, seed: 1, modules: [LP_WAIT] },
    await coreBytes(),
    bootPlayground,
  );
  if (!r.ok) throw new Error(r.error.message);
  return { run: r.value, trace: toChromeTrace(r.value.events, { endNs: r.value.endNs }) };
}

const names = (t: ChromeTrace, meta: string) =>
  t.traceEvents.filter((e) => e.ph === "M" && e.name === meta).map((e) => String(e.args?.name));

describe("the Perfetto trace of the tour", () => {
  for (const semantics of ["mainline", "proposed"] as const) {
    for (const arch of ["x86_64", "arm64"] as const) {
      it(`is structurally sound (${semantics}, ${arch})`, async () => {
        const { run, trace } = await tour(semantics, arch);
        expect(checkTrace(trace)).toEqual([]);
        // Survives JSON (what --trace writes) unchanged.
        expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
        expect(names(trace, "process_name")).toEqual([
          "Tasks",
          "Livepatch transitions",
          "Livepatch callbacks",
          "Shadow variables",
          "Modules",
          "Kernel text (entry sites)",
          "Kernel log",
        ]);
        const threads = names(trace, "thread_name");
        const forcedPatch =
          semantics === "mainline" ? "test_klp_callbacks_demo" : "test_klp_speaker_livepatch";
        // The blocked work item's kworker (the busy module's, or the speaker's doors).
        const blocker = "kworker/0:1";
        for (const t of ["systemd", "bash", blocker, "lp_wait", forcedPatch])
          expect(threads).toContain(t);
        expect(threads.filter((t) => t === "swapper/0" || t === "swapper/1")).toHaveLength(2);
        // Microseconds of virtual time: the fake signal's line at 14.816 s.
        const signal = trace.traceEvents.find(
          (e) => e.name === "livepatch: signaling remaining tasks",
        );
        expect(signal?.ts).toBe(14_816_000);
        const shadowAllocs = run.events.filter((e) => e.kind === "shadow" && e.op === "alloc");
        // A lifetime of no virtual time is an async instant ("n"), the others b/e pairs.
        const b = trace.traceEvents.filter((e) => e.ph === "b" || e.ph === "n");
        expect(b.length).toBe(shadowAllocs.length);
        expect(b.length).toBeGreaterThan(0);
        expect(
          b.every((e) => e.cat === "klp_shadow" && /^<0x[0-9a-f]+, [0-9a-f]+>$/.test(e.id!)),
        ).toBe(true);
        const callbacks = run.events.filter((e) => e.kind === "callback");
        const cb = PROCESSES.callbacks.pid;
        const x = trace.traceEvents.filter((e) => e.pid === cb && e.ph !== "M");
        expect(x.every((e) => e.ph === "X" && e.dur === 0)).toBe(true);
        expect(x.length).toBe(callbacks.length);
        // Mainline: per-object callbacks of every object; proposed: state 10's and test_klp_state's.
        expect(x.length).toBeGreaterThanOrEqual(semantics === "mainline" ? 8 : 6);
        // init (systemd) was pending from the start until the signal let it switch.
        const sys = trace.traceEvents.filter(
          (e) =>
            e.name === "patching lp_wait" &&
            e.ph === "E" &&
            e.pid === PROCESSES.tasks.pid &&
            e.tid === 1,
        );
        expect(sys.map((e) => e.args?.switched)).toEqual(["user-return"]);
        // The forced transition: the busy worker switched by force.
        const forced = trace.traceEvents.filter(
          (e) => e.ph === "E" && e.args?.switched === "force",
        );
        expect(forced.length).toBeGreaterThan(0);
        // Shadow variables still allocated when the run ended are closed there, marked so.
        const open = trace.traceEvents.filter((e) => e.ph === "e" && e.args?.open_at_end);
        expect(open.every((e) => e.ts * 1000 === run.endNs)).toBe(true);
      });
    }
  }
});
