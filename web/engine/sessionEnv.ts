// sessionEnv.ts: what a scenario session runs with in the browser: this build's built-in modules,
// user programs and the selftests' helper library, the same three the CLI passes (cli/node-run.ts),
// so that a scenario prints the same log in a page as under `klp-play run`.
import type { SessionEnv } from "../../engine/host/session.ts";
import { BUILTIN_MODULES, BUILTIN_PROGRAMS } from "../../modules/index.ts";
import { SELFTEST_LIB } from "../../modules/selftest-lib.ts";

export const SESSION_ENV: SessionEnv = {
  builtins: BUILTIN_MODULES,
  programs: BUILTIN_PROGRAMS,
  prelude: SELFTEST_LIB,
};
