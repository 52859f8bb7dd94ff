import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium (scripts/ensure-chromium.mjs installs it); Playwright never downloads a browser.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// The preview server's port; KLP_E2E_PORT lets two checkouts on one machine test side by side.
const port = Number(process.env.KLP_E2E_PORT ?? 4173);

export default defineConfig({
  testDir: "e2e",
  retries: 0, // a flaky result counts as a failure
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  outputDir: "test-results/e2e",
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
  use: { baseURL: `http://127.0.0.1:${port}/`, headless: true },
  projects: [
    {
      name: "debian-chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
});
