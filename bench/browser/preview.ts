// preview.ts (bench): the production build of the current tree, served by `vite preview` on a
// free port of 127.0.0.1. The build goes to a temporary directory, not dist/, so a bench run
// always measures the working tree and never overwrites the e2e tests' build.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const VITE = join(ROOT, "node_modules", "vite", "bin", "vite.js");

export interface Preview {
  /** The workbench's URL, ending in "/". */
  url: string;
  /** The build's output directory (the files the page fetches). */
  dir: string;
  stop(): void;
}

/** A port nobody listens on right now (the OS picks it; preview binds it with --strictPort). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject()));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`vite preview did not answer at ${url} in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startPreview(): Promise<Preview> {
  const dir = mkdtempSync(join(tmpdir(), "klp-bench-dist-"));
  const build = spawnSync(
    process.execPath,
    [
      VITE,
      "build",
      "--outDir",
      dir,
      "--emptyOutDir",
      "--logLevel",
      "error",
      // KLP_BENCH_NO_MINIFY=1: readable function names in a profile (the figures are not comparable).
      ...(process.env.KLP_BENCH_NO_MINIFY ? ["--minify", "false"] : []),
    ],
    { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (build.status !== 0) throw new Error(`vite build failed (status ${build.status})`);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      VITE,
      "preview",
      "--outDir",
      dir,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--strictPort",
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  const url = `http://127.0.0.1:${port}/`;
  const stop = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(url, 30_000);
  } catch (e) {
    stop();
    throw e;
  }
  return { url, dir, stop };
}
