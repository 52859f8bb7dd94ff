import { describe, expect, it } from "vitest";
import { BUILTINS } from "./builtins/index.ts";
import { SHELL_COMMANDS } from "./commands.ts";

describe("SHELL_COMMANDS", () => {
  it("names every command the shell implements (completion offers them)", () => {
    const names = [...BUILTINS.keys()].filter((n) => /^[a-z]/.test(n)).sort();
    expect(SHELL_COMMANDS).toEqual(names);
  });
});
