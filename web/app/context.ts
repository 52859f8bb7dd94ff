// context.ts: the workbench (store and actions) handed to components, and a selector hook.
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { Workbench, WorkbenchState } from "./store.ts";

export const WorkbenchContext = createContext<Workbench | null>(null);

export function useWorkbench(): Workbench {
  const wb = useContext(WorkbenchContext);
  if (!wb) throw new Error("useWorkbench outside WorkbenchContext");
  return wb;
}

/** A slice of the state; components re-render only when their slice changes. */
export function useWb<T>(select: (s: WorkbenchState) => T): T {
  return useStore(useWorkbench().store, select);
}
