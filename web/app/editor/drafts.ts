// drafts.ts: editor text not applied yet, kept in localStorage so that a reload (or a closed
// editor) loses nothing. One draft per scenario and part: a module's source, or the script. The
// scenario is named by its title (it survives an apply, which turns the source into "edited").
// A draft is removed when its text is applied or when it equals what the scenario holds.

/** What drafts need of Storage (localStorage in a page, a Map-backed one in tests). */
export type DraftStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const PREFIX = "klp-draft:v1:";

/** The part a draft is for: a module by name, or the scenario's script. */
export type DraftPart = { module: string } | "script";

export function draftKey(scenario: string, part: DraftPart): string {
  const what = part === "script" ? "script" : `module:${part.module}`;
  return `${PREFIX}${JSON.stringify([scenario, what])}`;
}

function storage(): DraftStore | null {
  // Private windows and some embeddings refuse storage: drafts are then only in the editor.
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function loadDraft(key: string, store = storage()): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Keeps `text` as the draft, or drops the draft when the text is what is applied. */
export function saveDraft(key: string, text: string, applied: string, store = storage()): void {
  try {
    if (text === applied) store?.removeItem(key);
    else store?.setItem(key, text);
  } catch {
    // Storage full or refused: the text stays in the editor, it only does not survive a reload.
  }
}

export function clearDraft(key: string, store = storage()): void {
  try {
    store?.removeItem(key);
  } catch {
    // As above: nothing to keep.
  }
}
