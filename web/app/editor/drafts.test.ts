import { describe, expect, it } from "vitest";
import { clearDraft, draftKey, type DraftStore, loadDraft, saveDraft } from "./drafts.ts";

function memory(): DraftStore & { size: () => number } {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    size: () => m.size,
  };
}

describe("drafts", () => {
  it("keys drafts by scenario and part, apart from each other", () => {
    const keys = new Set([
      draftKey("A", "script"),
      draftKey("A", { module: "m" }),
      draftKey("A", { module: "script" }),
      draftKey("B", { module: "m" }),
    ]);
    expect(keys.size).toBe(4);
  });

  it("keeps unapplied text, drops it once it equals the applied text or is cleared", () => {
    const s = memory();
    const k = draftKey("A", { module: "m" });
    expect(loadDraft(k, s)).toBeNull();
    saveDraft(k, "edited", "original", s);
    expect(loadDraft(k, s)).toBe("edited");
    saveDraft(k, "original", "original", s);
    expect(loadDraft(k, s)).toBeNull();
    saveDraft(k, "edited", "original", s);
    clearDraft(k, s);
    expect(s.size()).toBe(0);
  });

  it("a refusing storage loses the draft, never throws", () => {
    const refusing: DraftStore = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {
        throw new Error("SecurityError");
      },
    };
    const k = draftKey("A", "script");
    expect(() => saveDraft(k, "x", "y", refusing)).not.toThrow();
    expect(loadDraft(k, refusing)).toBeNull();
    expect(() => clearDraft(k, refusing)).not.toThrow();
  });
});
