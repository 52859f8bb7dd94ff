// theme.ts: light, dark, or the system's choice (prefers-color-scheme), kept across reloads.
export type Theme = "system" | "light" | "dark";
const KEY = "klp-playground.theme";

export function storedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return t === "light" || t === "dark" ? t : "system";
  } catch {
    return "system"; // storage may be disabled; the system's choice still applies
  }
}

export function applyTheme(t: Theme): void {
  if (t === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  try {
    if (t === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, t);
  } catch {
    // not stored: the choice lasts for this page
  }
}
