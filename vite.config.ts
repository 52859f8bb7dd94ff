/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const repoRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  // React's JSX transform (the automatic runtime); plugin-react 6 targets Vite 8.
  plugins: [react()],
  root: "web",
  publicDir: "../public",
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    // Three pages: the workbench (index), the foundation check (core) and the engine harness.
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL("web/index.html", import.meta.url)),
        core: fileURLToPath(new URL("web/core.html", import.meta.url)),
        harness: fileURLToPath(new URL("web/harness.html", import.meta.url)),
      },
    },
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1", port: 5173, fs: { allow: [repoRoot] } },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  test: {
    root: repoRoot,
    // One glob over the whole repository (scripts/check-test-collection.mjs keeps it honest).
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["**/node_modules/**", "e2e/**", "dist/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
