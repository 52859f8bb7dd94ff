// ensure-chromium.mjs: makes sure a Chromium exists for the end-to-end tests, before Playwright runs.
// Order: $CHROMIUM_PATH, then Debian's /usr/bin/chromium; when neither exists and we run as root with
// apt-get, install Debian's `chromium` package (as `playwright install --with-deps` would install a
// browser's dependencies); otherwise stop at once with one line. Never downloads a browser of its own.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

function found() {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : null;
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null;
}

function hasAptGet() {
  return spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
}

function aptInstall() {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "chromium"],
  ]) {
    const r = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (r.status !== 0) return false;
  }
  return true;
}

if (found()) process.exit(0);
if (process.env.CHROMIUM_PATH) {
  console.error(`ensure-chromium: CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
  process.exit(1);
}
if (process.getuid?.() === 0 && hasAptGet()) {
  console.error(
    "ensure-chromium: no Chromium found; installing Debian's chromium package with apt-get",
  );
  if (aptInstall() && found()) process.exit(0);
  console.error("ensure-chromium: apt-get could not install the chromium package");
  process.exit(1);
}
console.error(
  "ensure-chromium: the end-to-end tests need Chromium: install Debian's `chromium` package or set CHROMIUM_PATH to a Chromium binary",
);
process.exit(1);
