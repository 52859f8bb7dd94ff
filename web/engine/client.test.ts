// client.test.ts: where Worker is missing (Node here) startEngine falls back to running the engine
// in-process, through the same EngineServer, with the same answers as a direct run.
import { describe, expect, it } from "vitest";
import { coreBytes } from "../../core-wasm/tests/loadCore.ts";
import { runRequest } from "../../engine/host/run.ts";
import { bootPlayground } from "../../modules/playground.ts";
import { LP_WAIT, STALL_SCRIPT } from "../../modules/runs.ts";
import { startEngine } from "./client.ts";

describe("startEngine without Worker", () => {
  it("runs in-process and answers as runRequest does", async () => {
    expect(typeof Worker).toBe("undefined");
    const bytes = await coreBytes();
    const started = await startEngine(bytes.slice().buffer);
    if (!started.ok) throw new Error(started.error);
    const engine = started.value;
    expect(engine.mode).toBe("in-process");
    const req = {
      script: STALL_SCRIPT,
      semantics: "mainline" as const,
      arch: "arm64" as const,
      seed: 3,
      modules: [LP_WAIT],
    };
    const a = await engine.run(req);
    const b = await runRequest(req, bytes, bootPlayground);
    if (!a.ok || !b.ok) throw new Error("run failed");
    expect(a.value.hash).toBe(b.value.hash);
    expect(a.value.stdout).toBe("1\n0\n");
    expect(await engine.stop()).toEqual({
      ok: false,
      error: "an in-process run cannot be stopped",
    });
  });
});
