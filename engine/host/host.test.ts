// host.test.ts: the run hash (FNV-1a 64 test vectors, key order does not matter, any change
// does), request checking, and the server answering over the protocol with values only.
import { describe, expect, it } from "vitest";
import { coreBytes } from "../../core-wasm/tests/loadCore.ts";
import type { EngineEvent } from "../events.ts";
import { boot } from "../testing/fixture.ts";
import { Shell } from "../shell/exec.ts";
import { CommandHost } from "../machine/commands.ts";
import { canonicalJson, Fnv1a64, runHash } from "./hash.ts";
import { parseRunRequest, PROTOCOL_VERSION, type RunRequest } from "./protocol.ts";
import type { BootFn } from "./run.ts";
import { EngineServer } from "./server.ts";

const REQ: RunRequest = { script: "echo hi\n", semantics: "mainline", arch: "x86_64", seed: 1 };

/** A boot with no built-in modules: the engine's own machine and shell. */
const bare: BootFn = async (o) => {
  const m = await boot({ core: o.core, semantics: o.semantics, arch: o.arch, seed: o.seed });
  return { m, sh: new Shell(new CommandHost(m, m.shell, { modules: o.modules })) };
};

const ev = (e: object): EngineEvent => e as EngineEvent;
const buf = (): ArrayBuffer => new ArrayBuffer(8);

describe("runHash", () => {
  it("is FNV-1a 64", () => {
    expect(new Fnv1a64().update("").hex()).toBe("cbf29ce484222325");
    expect(new Fnv1a64().update("a").hex()).toBe("af63dc4c8601ec8c");
    expect(new Fnv1a64().update("foobar").hex()).toBe("85944171f73967e8");
  });

  it("ignores key order, sees every change", () => {
    const a = ev({ kind: "log", level: 6, text: "x", seq: 0, tNs: 0 });
    const b = ev({ tNs: 0, seq: 0, text: "x", level: 6, kind: "log" });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(runHash(["x"], [a])).toBe(runHash(["x"], [b]));
    expect(runHash(["x"], [a])).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
    expect(runHash(["y"], [a])).not.toBe(runHash(["x"], [a]));
    expect(runHash(["x"], [{ ...a, tNs: 1 }])).not.toBe(runHash(["x"], [a]));
    expect(runHash(["x", ""], [])).not.toBe(runHash(["x"], []));
  });
});

describe("parseRunRequest", () => {
  it("accepts a request and names what is wrong with a bad one", () => {
    expect(parseRunRequest(REQ)).toEqual({ ok: true, value: REQ });
    const bad = (v: unknown) => {
      const r = parseRunRequest(v);
      return r.ok ? "" : r.error.message;
    };
    expect(bad(null)).toContain("not an object");
    expect(bad({ ...REQ, arch: "mips" })).toContain("arch");
    expect(bad({ ...REQ, semantics: 1 })).toContain("semantics");
    expect(bad({ ...REQ, seed: 1.5 })).toContain("seed");
    expect(bad({ ...REQ, modules: [{ name: "a-b", source: "" }] })).toContain("C identifier");
  });
});

describe("EngineServer", () => {
  it("answers not-ready before init, then runs, with the same hash for the same request", async () => {
    const s = new EngineServer(bare);
    const early = await s.handle({ type: "run", id: 1, request: REQ });
    expect(early).toMatchObject({
      type: "result",
      id: 1,
      result: { ok: false, error: { kind: "not-ready" } },
    });
    const bytes = await coreBytes();
    const buf = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    expect(await s.handle({ type: "init", version: PROTOCOL_VERSION, core: buf })).toEqual({
      type: "ready",
      version: PROTOCOL_VERSION,
    });
    const a = await s.handle({ type: "run", id: 2, request: REQ });
    const b = await s.handle({ type: "run", id: 3, request: REQ });
    if (a.type !== "result" || !a.result.ok || b.type !== "result" || !b.result.ok)
      throw new Error("run failed");
    expect(a.result.value.stdout).toBe("hi\n");
    expect(a.result.value.hash).toBe(b.result.value.hash);
    expect(a.result.value.hash).toBe(runHash(a.result.value.log, a.result.value.events));
    const kmsg = { ...REQ, script: "echo hi > /dev/kmsg\n" };
    const c = await s.handle({ type: "run", id: 4, request: kmsg });
    expect(c.type === "result" && c.result.ok && c.result.value.hash).not.toBe(a.result.value.hash);
  });

  it("reports a module that does not evaluate, and a bad request, as values", async () => {
    const s = new EngineServer(bare);
    const bytes = await coreBytes();
    await s.handle({ type: "init", version: PROTOCOL_VERSION, core: bytes.slice().buffer });
    const mod = {
      name: "lp_host_bad",
      source: "export default { init() { return document.title; } };\nconst x: = 1;",
    };
    const r = await s.handle({ type: "run", id: 5, request: { ...REQ, modules: [mod] } });
    expect(r).toMatchObject({ result: { ok: false, error: { kind: "module" } } });
    const bad = await s.handle({
      type: "run",
      id: 6,
      request: { ...REQ, arch: "sparc" } as unknown as RunRequest,
    });
    expect(bad).toMatchObject({ id: 6, result: { ok: false, error: { kind: "bad-request" } } });
    const init = await new EngineServer(bare).handle({
      type: "init",
      version: PROTOCOL_VERSION,
      core: new ArrayBuffer(8),
    });
    expect(init.type).toBe("init-failed");
    const old = await new EngineServer(bare).handle({ type: "init", version: 0, core: buf() });
    expect(old).toEqual({
      type: "init-failed",
      message: `protocol 0 asked, the engine speaks ${PROTOCOL_VERSION}`,
    });
  });
});
