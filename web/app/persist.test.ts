// persist.test.ts: autosave over a fake Storage (a Map, with a quota) and the real engine session
// in Node: a shell line survives a "reload" (a second workbench reading the same storage), a
// malformed autosave is moved aside and said so, a full storage is a message, an autosave a link
// displaced is held and kept under its own key once the link's session is the user's work, and an
// engine that fails keeps the saved working copy.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../cli/node-run.ts";
import { SessionHost } from "../../engine/host/session.ts";
import { err } from "../../engine/result.ts";
import { SESSION_ENV } from "../engine/sessionEnv.ts";
import { fileStem } from "./download.ts";
import {
  ASIDE_KEY,
  AUTOSAVE_KEY,
  type Autosave,
  createPersist,
  type KeyValueStore,
  loadAutosave,
  PREVIOUS_KEY,
  type Timers,
  writeAutosave,
} from "./persist.ts";
import { createWorkbench, type SessionPort } from "./store.ts";

const DEFAULT = JSON.parse(
  readFileSync(new URL("../../scenarios/library/default.json", import.meta.url), "utf8"),
) as Autosave["scenario"];

/** Web Storage's behaviour that matters here: strings, and a quota that throws as browsers do. */
class FakeStorage implements KeyValueStore {
  readonly items = new Map<string, string>();
  constructor(
    public quota = Infinity,
    public failAll = false,
  ) {}
  getItem(k: string): string | null {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    const used = [...this.items].reduce((n, [a, b]) => n + (a === k ? 0 : a.length + b.length), 0);
    if (this.failAll || used + k.length + v.length > this.quota)
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    this.items.set(k, String(v));
  }
  removeItem(k: string): void {
    this.items.delete(k);
  }
}

/** Timers fired by hand. */
function manualTimers(): Timers & { fire(): void; pending(): number } {
  let fns = new Map<number, () => void>();
  let n = 0;
  return {
    set: (fn) => (fns.set(++n, fn), n),
    clear: (h) => void fns.delete(h as number),
    fire() {
      const due = fns;
      fns = new Map();
      for (const fn of due.values()) fn();
    },
    pending: () => fns.size,
  };
}

function bench(storage: KeyValueStore | null, port?: SessionPort) {
  const host = new SessionHost(coreWasm(), SESSION_ENV);
  const wb = createWorkbench({ schedule: () => {} });
  wb.connect(port ?? { session: (op) => host.handle(op) }, "in-process");
  const timers = manualTimers();
  const persist = createPersist(wb, storage, timers);
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    wb.flush();
  };
  return { wb, persist, timers, settle, host };
}

const save = (over: Partial<Autosave> = {}): Autosave => ({
  v: 1,
  scenario: DEFAULT,
  source: "default.json",
  atMs: 0,
  ...over,
});

describe("autosave storage", () => {
  it("reads nothing, a good autosave, and moves malformed ones aside without losing any", () => {
    const st = new FakeStorage();
    expect(loadAutosave(st)).toEqual({ kind: "none" });
    expect(loadAutosave(null)).toEqual({ kind: "none" });
    expect(writeAutosave(st, save({ atMs: 12 })).ok).toBe(true);
    expect(loadAutosave(st)).toEqual({ kind: "ok", save: save({ atMs: 12 }) });
    st.setItem(AUTOSAVE_KEY, "{not json");
    const a = loadAutosave(st);
    expect(a).toMatchObject({ kind: "malformed", keptAs: ASIDE_KEY });
    expect(a.kind === "malformed" && a.problem).toMatch(/^it is not JSON/);
    expect(st.getItem(ASIDE_KEY)).toBe("{not json");
    expect(st.getItem(AUTOSAVE_KEY)).toBeNull();
    st.setItem(AUTOSAVE_KEY, JSON.stringify({ ...save(), v: 7 }));
    const b = loadAutosave(st);
    expect(b).toMatchObject({ kind: "malformed", keptAs: `${ASIDE_KEY}:2` });
    expect(b.kind === "malformed" && b.problem).toBe("its version is 7, not 1");
    expect(st.getItem(ASIDE_KEY)).toBe("{not json"); // the first is still there
  });

  it("says why a malformed autosave stays in place when it cannot be moved, and never overwrites it", () => {
    const st = new FakeStorage(Infinity);
    st.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, scenario: null }));
    st.failAll = true;
    const { persist, timers } = bench(st);
    expect(persist.load()).toMatchObject({ kind: "malformed", keptAs: null });
    const p = persist.state.getState();
    expect(p.status).toBe("off");
    expect(p.problem).toBe(
      "Your autosave could not be read: it holds no scenario; it could not be moved, so autosave is off to keep it.",
    );
    st.failAll = false;
    persist.start();
    timers.fire();
    expect(st.getItem(AUTOSAVE_KEY)).toBe(JSON.stringify({ v: 1, scenario: null }));
  });

  it("reports a full storage as a message, and saves again once there is room", async () => {
    const st = new FakeStorage(1000); // the default scenario is several KB
    const { wb, persist, timers, settle } = bench(st);
    expect(await wb.open({ scenario: DEFAULT, source: "default.json" }, false)).toBe(true);
    await settle();
    persist.start();
    expect(() => timers.fire()).not.toThrow();
    expect(persist.state.getState()).toMatchObject({
      status: "failed",
      error: "the browser's storage for this page is full",
    });
    expect(st.getItem(AUTOSAVE_KEY)).toBeNull();
    expect(writeAutosave(new FakeStorage(0, true), save())).toEqual(
      err("the browser's storage for this page is full"),
    );
    st.quota = Infinity; // room again: the next change is saved
    await wb.shell("echo after-room > /dev/kmsg");
    await settle();
    timers.fire();
    expect(persist.state.getState()).toMatchObject({ status: "saved", error: null });
    expect(st.getItem(AUTOSAVE_KEY)).toContain("after-room");
  });
});

describe("autosave of the working copy", () => {
  it("keeps a shell line across a reload: the script and the log after it include it", async () => {
    const st = new FakeStorage();
    const a = bench(st);
    await a.wb.open({ scenario: DEFAULT, source: "default.json" }, false);
    await a.settle();
    a.persist.start();
    await a.wb.seek({ toNs: 2e9 });
    await a.settle();
    expect(await a.wb.shell("echo persisted-line > /dev/kmsg")).toBe(true);
    await a.settle();
    expect(a.timers.pending()).toBe(1); // debounced: one write for the burst
    a.timers.fire();
    expect(a.persist.state.getState().status).toBe("saved");
    const stored = loadAutosave(st);
    if (stored.kind !== "ok") throw new Error("no autosave");
    expect(stored.save.atMs).toBe(2000);
    expect(stored.save.scenario.script.map((s) => s.run)).toContain(
      "echo persisted-line > /dev/kmsg",
    );

    const b = bench(st); // the reload: a fresh page on the same storage
    const l = b.persist.load();
    if (l.kind !== "ok") throw new Error("not loaded");
    expect(await b.persist.restore(l.save)).toBe(true);
    await b.settle();
    const s = b.wb.store.getState();
    expect(s.playing).toBe(false);
    expect(s.nowNs).toBe(2000e6);
    expect(s.scenario?.script).toEqual(stored.save.scenario.script);
    expect(s.log.map((x) => x.text)).toContain("persisted-line");
  });

  it("holds an autosave a link displaced, and keeps it under its own key once the user acts", async () => {
    const st = new FakeStorage();
    const old = save({ source: "old.json", atMs: 5 });
    writeAutosave(st, old);
    const { wb, persist, timers, settle } = bench(st);
    const l = persist.load();
    await wb.open({ scenario: { ...DEFAULT, title: "From a link" }, source: "link" }, false);
    await settle();
    if (l.kind === "ok") persist.hold(l.save);
    persist.start();
    timers.fire();
    expect(st.getItem(AUTOSAVE_KEY)).toBe(JSON.stringify(old)); // nothing of the user's yet
    await wb.shell("echo mine > /dev/kmsg");
    await settle();
    timers.fire();
    expect(st.getItem(PREVIOUS_KEY)).toBe(JSON.stringify(old));
    const now = loadAutosave(st);
    expect(now.kind === "ok" && now.save.scenario.title).toBe("From a link");
    expect(persist.state.getState().held).toEqual(old);
    expect(await persist.restore(old)).toBe(true);
    expect(wb.store.getState().scenario?.title).toBe(DEFAULT.title);
    expect(persist.state.getState().held).toBeNull();
    const prev = JSON.parse(st.getItem(PREVIOUS_KEY)!) as Autosave;
    expect(prev.scenario.title).toBe("From a link"); // the link's session, kept in turn
  });

  it("holds the working copy when a link pasted into an open page replaces it", async () => {
    const st = new FakeStorage();
    const { wb, persist, timers, settle } = bench(st);
    await wb.open({ scenario: DEFAULT, source: "default.json" }, false);
    persist.start();
    await wb.shell("echo pasted-over > /dev/kmsg");
    await settle();
    const other = { ...DEFAULT, title: "Another" };
    expect(await persist.displace(() => wb.open({ scenario: other, source: "link" }))).toBe(true);
    await settle();
    timers.fire();
    const held = persist.state.getState().held;
    expect(held?.scenario.script.map((x) => x.run)).toContain("echo pasted-over > /dev/kmsg");
    const l = loadAutosave(st); // written by the displace's flush, not yet replaced
    expect(l.kind === "ok" && l.save).toEqual(held);
    // A link that does not open holds nothing.
    expect(await persist.displace(() => wb.open({ link: "#s1.nope" }))).toBe(false);
    expect(persist.state.getState().held).toEqual(held);
    expect(await persist.restore(held!)).toBe(true);
    expect(wb.store.getState().scenario?.title).toBe(DEFAULT.title);
  });

  it("says so when the autosaved scenario no longer validates, and keeps it", async () => {
    const st = new FakeStorage();
    const bad = save({ scenario: { ...DEFAULT, seed: -1 } });
    writeAutosave(st, bad);
    const { persist } = bench(st);
    const l = persist.load();
    if (l.kind !== "ok") throw new Error("the envelope is fine");
    expect(await persist.restore(l.save)).toBe(false);
    expect(persist.state.getState().problem).toMatch(
      /^Your autosaved scenario does not open: seed: .+\.$/,
    );
    expect(persist.state.getState().problem).toMatch(
      /It is kept .+ under "klp-playground:autosave:v1:malformed"\.$/,
    );
    expect(st.getItem(ASIDE_KEY)).toBe(JSON.stringify(bad));
    expect(st.getItem(AUTOSAVE_KEY)).toBeNull(); // the next save does not overwrite it
  });

  it("keeps the saved working copy when the engine fails", async () => {
    const st = new FakeStorage();
    const host = new SessionHost(coreWasm(), SESSION_ENV);
    let broken = false;
    const port: SessionPort = {
      session: async (op) =>
        broken ? err({ kind: "engine", message: "RuntimeError: unreachable" }) : host.handle(op),
    };
    const { wb, persist, timers, settle } = bench(st, port);
    await wb.open({ scenario: DEFAULT, source: "default.json" }, false);
    await wb.shell("echo before-crash > /dev/kmsg");
    await settle();
    persist.start();
    timers.fire();
    broken = true;
    expect(await wb.shell("echo lost")).toBe(false);
    await settle();
    expect(wb.store.getState().crashed).toBe("RuntimeError: unreachable");
    timers.fire();
    const l = loadAutosave(st);
    expect(l.kind === "ok" && l.save.scenario.script.map((s) => s.run)).toContain(
      "echo before-crash > /dev/kmsg",
    );
  });
});

describe("export file names", () => {
  it("come from the title, in lower case with words joined by '-'", () => {
    expect(fileStem("A patch, its transition and its callbacks")).toBe(
      "a-patch-its-transition-and-its-callbacks",
    );
    expect(fileStem("livepatch-sample: /proc/cmdline replaced")).toBe(
      "livepatch-sample-proc-cmdline-replaced",
    );
    expect(fileStem("…")).toBe("scenario");
    expect(fileStem("x".repeat(100))).toHaveLength(60);
  });
});
