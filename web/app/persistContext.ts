// persistContext.ts: the page's autosave (persist.ts) handed to the components that show it.
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { Persist, PersistState } from "./persist.ts";

export const PersistContext = createContext<Persist | null>(null);

export function usePersist(): Persist {
  const p = useContext(PersistContext);
  if (!p) throw new Error("usePersist outside PersistContext");
  return p;
}

/** A slice of the autosave's state. */
export function usePersistState<T>(select: (s: PersistState) => T): T {
  return useStore(usePersist().state, select);
}
