// persist.ts: the working copy never lost. The scenario as the store holds it (edits applied, the
// shell lines and buttons inserted into its script) and the moment it was at are written to the
// browser's storage a moment after they change, and reopened by the next page load. Storage is
// a parameter (localStorage in the page, a Map in tests): nothing here touches the DOM.
// Nothing is destroyed on the way: an autosave that does not read is moved aside under its own key
// (and said so), one that a link displaced is held and offered back, and a full storage is a
// message, never an exception.
import { createStore, type StoreApi } from "zustand/vanilla";
import { err, ok, type Result } from "../../engine/result.ts";
import type { Scenario } from "../../scenarios/schema.ts";
import type { Workbench, WorkbenchState } from "./store.ts";

/** The slice of Web Storage used (localStorage is one). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** Versioned: a later format gets a new key and leaves this one readable. */
export const AUTOSAVE_KEY = "klp-playground:autosave:v1";
/** Where a malformed autosave is moved (a number is added when one is already there). */
export const ASIDE_KEY = "klp-playground:autosave:v1:malformed";
/** Where the autosave a link displaced is kept once the link's session starts saving. */
export const PREVIOUS_KEY = "klp-playground:autosave:v1:previous";
const SAVE_VERSION = 1;
/** Saves follow changes by this much (ms): a playing session writes about twice a second. */
export const SAVE_DELAY_MS = 500;
const ASIDE_SLOTS = 5;

export interface Autosave {
  v: typeof SAVE_VERSION;
  /** As the store held it; the engine's validator checks it again when it is reopened. */
  scenario: Scenario;
  /** Where it came from (a library file, "link", "edited", a file name). */
  source: string | null;
  /** The virtual moment it was at (whole ms). */
  atMs: number;
}

export type Loaded =
  | { kind: "none" }
  | { kind: "ok"; save: Autosave }
  /** `keptAs`: the key it was moved to, or null when it could not be moved (it stays put). */
  | { kind: "malformed"; problem: string; keptAs: string | null };

/** Why a storage call failed, in words (quota, storage disabled...). */
function storageError(e: unknown): string {
  const name = e instanceof Error ? e.name : "";
  if (name === "QuotaExceededError" || /quota/i.test(String(e)))
    return "the browser's storage for this page is full";
  return `the browser's storage refused it (${e instanceof Error ? e.message : String(e)})`;
}

/** Reads a raw autosave. @returns it, or what is wrong with it. */
export function parseAutosave(raw: string): Result<Autosave, string> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    return err(`it is not JSON (${(e as Error).message})`);
  }
  const a = v as Partial<Autosave> | null;
  if (typeof a !== "object" || a === null || Array.isArray(a)) return err("it is not an object");
  if (a.v !== SAVE_VERSION)
    return err(`its version is ${JSON.stringify(a.v)}, not ${SAVE_VERSION}`);
  const sc = a.scenario as { title?: unknown } | undefined;
  if (typeof sc !== "object" || sc === null || typeof sc.title !== "string")
    return err("it holds no scenario");
  if (!(typeof a.source === "string" || a.source === null)) return err("source: not a string");
  if (!Number.isSafeInteger(a.atMs) || a.atMs! < 0) return err("atMs: not a whole number of ms");
  return ok({ v: SAVE_VERSION, scenario: a.scenario!, source: a.source, atMs: a.atMs! });
}

/** Moves `raw` out of the autosave's way. @returns the key it is kept under. */
export function setAside(storage: KeyValueStore, raw: string): Result<string, string> {
  const keys = Array.from({ length: ASIDE_SLOTS }, (_, i) =>
    i ? `${ASIDE_KEY}:${i + 1}` : ASIDE_KEY,
  );
  try {
    // The first free slot, or one holding the same text; all full: the last is replaced.
    const key = keys.find((k) => [null, raw].includes(storage.getItem(k))) ?? keys.at(-1)!;
    storage.setItem(key, raw);
    storage.removeItem(AUTOSAVE_KEY);
    return ok(key);
  } catch (e) {
    return err(storageError(e));
  }
}

/** The autosave, if any; a malformed one is set aside first. */
export function loadAutosave(storage: KeyValueStore | null): Loaded {
  if (!storage) return { kind: "none" };
  let raw: string | null;
  try {
    raw = storage.getItem(AUTOSAVE_KEY);
  } catch {
    return { kind: "none" };
  }
  if (raw === null) return { kind: "none" };
  const p = parseAutosave(raw);
  if (p.ok) return { kind: "ok", save: p.value };
  const aside = setAside(storage, raw);
  return { kind: "malformed", problem: p.error, keptAs: aside.ok ? aside.value : null };
}

/** Writes the autosave. @returns why not, in words. */
export function writeAutosave(storage: KeyValueStore, save: Autosave): Result<void, string> {
  try {
    storage.setItem(AUTOSAVE_KEY, JSON.stringify(save));
    return ok(undefined);
  } catch (e) {
    return err(storageError(e));
  }
}

export interface PersistState {
  /** "off": no storage, or a malformed autosave could not be moved (it must not be overwritten). */
  status: "idle" | "saved" | "failed" | "off";
  /** Why the last save failed, or why autosave is off. */
  error: string | null;
  /** An autosave a link (or an import of a link) displaced: offered back. */
  held: Autosave | null;
  /** What went wrong reading or reopening the autosave, in words. */
  problem: string | null;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type Persist = ReturnType<typeof createPersist>;

/** The working copy of `wb`'s store as an autosave, or null when nothing is open. */
export function snapshot(s: WorkbenchState): Autosave | null {
  if (!s.scenario) return null;
  return {
    v: SAVE_VERSION,
    scenario: s.scenario,
    source: s.source,
    atMs: Math.ceil(s.nowNs / 1e6),
  };
}

/**
 * Autosave for one workbench. `start()` begins saving (after the page has opened what it opens,
 * so that a link's session does not overwrite the autosave before the user has chosen).
 */
export function createPersist(
  wb: Workbench,
  storage: KeyValueStore | null,
  timers: Timers = realTimers,
  delayMs = SAVE_DELAY_MS,
) {
  const state: StoreApi<PersistState> = createStore<PersistState>(() => ({
    status: storage ? "idle" : "off",
    error: storage ? null : "this browser gives the page no storage",
    held: null,
    problem: null,
  }));
  let timer: unknown = null;
  let last: string | null = null;
  /** The scenario the held autosave was displaced by: saving waits until it changes. */
  let heldBy: Scenario | null = null;

  function save(): void {
    timer = null;
    const s = wb.store.getState();
    const snap = snapshot(s);
    if (!storage || !snap || state.getState().status === "off") return;
    const held = state.getState().held;
    if (held && s.scenario === heldBy) return; // the link as opened: nothing of the user's yet
    if (held && heldBy) {
      // The link's session is the user's work now; the displaced autosave moves to its own key.
      const r = storeRaw(PREVIOUS_KEY, JSON.stringify(held));
      if (!r.ok) return state.setState({ status: "failed", error: r.error });
      heldBy = null;
    }
    const text = JSON.stringify(snap);
    if (text === last) return;
    const r = writeAutosave(storage, snap);
    if (r.ok) last = text;
    state.setState(r.ok ? { status: "saved", error: null } : { status: "failed", error: r.error });
  }

  function storeRaw(key: string, text: string): Result<void, string> {
    try {
      storage!.setItem(key, text);
      return ok(undefined);
    } catch (e) {
      return err(storageError(e));
    }
  }

  function changed(s: WorkbenchState, prev: WorkbenchState): void {
    if (s.scenario === prev.scenario && s.nowNs === prev.nowNs && s.source === prev.source) return;
    timer ??= timers.set(save, delayMs);
  }

  /** An autosave a link displaced: kept (in storage and here) and offered back. */
  function hold(a: Autosave): void {
    heldBy = wb.store.getState().scenario;
    state.setState({ held: a });
  }

  /** Saves at once (the page is being hidden or closed). */
  function flush(): void {
    if (timer !== null) timers.clear(timer);
    save();
  }

  /** Reopens an autosave, paused at its moment. @returns false (and why, in `problem`) if refused. */
  async function restore(a: Autosave): Promise<boolean> {
    // Restoring what a link displaced: the link's session, as the user left it, is kept in turn.
    const current = state.getState().held ? snapshot(wb.store.getState()) : null;
    if (current && storage) storeRaw(PREVIOUS_KEY, JSON.stringify(current));
    const opened = await wb.open({ scenario: a.scenario, source: a.source ?? "autosave" }, false);
    if (!opened) {
      const why = wb.store.getState().openError?.lines.join("; ") ?? "the engine refused it";
      wb.dismissOpenError();
      // The one the page loaded (a held one stays where it is): out of the next save's way.
      const aside = !current && storage ? setAside(storage, JSON.stringify(a)) : null;
      const where = aside?.ok
        ? ` It is kept in this browser's storage under "${aside.value}".`
        : "";
      state.setState({ problem: `Your autosaved scenario does not open: ${why}.${where}` });
      if (aside && !aside.ok) state.setState({ status: "off", error: aside.error });
      return false;
    }
    state.setState({ held: null, problem: null });
    heldBy = null;
    for (let i = 0; i < 2 && wb.store.getState().nowNs < a.atMs * 1e6; i++)
      await wb.seek({ toNs: a.atMs * 1e6 }); // a script that ends on the way stops once
    return true;
  }

  return {
    state,
    /** Reads the autosave (moving a malformed one aside, and saying so). */
    load(): Loaded {
      const l = loadAutosave(storage);
      if (l.kind === "malformed") {
        const where = l.keptAs
          ? `it is kept in this browser's storage under "${l.keptAs}"`
          : "it could not be moved, so autosave is off to keep it";
        state.setState({
          problem: `Your autosave could not be read: ${l.problem}; ${where}.`,
          ...(l.keptAs
            ? {}
            : { status: "off", error: "a malformed autosave is kept in its place" }),
        });
      }
      return l;
    },
    restore,
    hold,
    /**
     * Opens something else in place of the working copy (a link, an imported file), holding the
     * working copy so that "Restore" brings it back. @returns whether it opened.
     */
    async displace(openIt: () => Promise<boolean>): Promise<boolean> {
      flush();
      const s = state.getState();
      const unchanged = s.held !== null && wb.store.getState().scenario === heldBy;
      const keep = unchanged ? s.held : snapshot(wb.store.getState());
      const opened = await openIt();
      if (opened && keep) hold(keep);
      return opened;
    },
    /** Starts following the store (and saves what is open now, a moment later). */
    start(): () => void {
      timer ??= timers.set(save, delayMs);
      return wb.store.subscribe(changed);
    },
    flush,
    dismissProblem: () => state.setState({ problem: null }),
  };
}
