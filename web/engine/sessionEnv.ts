// sessionEnv.ts: what a scenario session runs with in the browser: this build's built-in modules,
// user programs and the selftests' helper library, the same the CLI passes (cli/node-run.ts), so
// that a scenario prints the same log in a page as under `klp-play run`.
import type { SessionEnv } from "../../engine/host/session.ts";
import { builtinEnv } from "../../modules/scenario-options.ts";

export const SESSION_ENV: SessionEnv = builtinEnv();
