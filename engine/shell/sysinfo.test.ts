// uname and date: on the test host, and on the engine's own machine (its utsname and virtual clock).
import { describe, expect, it } from "vitest";
import { CommandHost } from "../machine/commands.ts";
import { boot } from "../testing/fixture.ts";
import { strftime } from "./builtins/sysinfo.ts";
import { Shell } from "./exec.ts";
import { machine } from "./test-setup.ts";

describe("uname", () => {
  it("prints the host's utsname fields in uname's order, -s without options", () => {
    const { sh } = machine();
    expect(sh.run("uname; uname -r; uname -mns; uname -a; uname -o; uname -p").stdout).toBe(
      [
        "Linux",
        "6.16.0-klp",
        "Linux klp-play x86_64",
        "Linux klp-play 6.16.0-klp #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux",
        "GNU/Linux",
        "unknown",
        "",
      ].join("\n"),
    );
  });

  it("reads the machine's release and arch (aarch64 on arm64)", async () => {
    for (const arch of ["x86_64", "arm64"] as const) {
      const m = await boot({ arch });
      const sh = new Shell(new CommandHost(m, m.shell, { modules: () => undefined }));
      const r = sh.run("uname -a; uname -r; cat /proc/version");
      const machineName = arch === "arm64" ? "aarch64" : "x86_64";
      const [all, release, version] = r.stdout.split("\n");
      expect(all).toBe(`Linux klp-play 6.16.0-klp #1 SMP PREEMPT_DYNAMIC ${machineName} GNU/Linux`);
      // The same release and version as /proc/version shows.
      expect(version).toContain(`Linux version ${release} `);
      expect(version!.endsWith("#1 SMP PREEMPT_DYNAMIC")).toBe(true);
    }
  });
});

describe("date", () => {
  it("reads the virtual clock, which starts at the epoch", () => {
    const { host, sh } = machine();
    host.nowNs = 5_250_000_001;
    expect(sh.run("date; date +%s; date +%s%N; date +%T; date +%F").stdout).toBe(
      "Thu Jan  1 00:00:05 UTC 1970\n5\n5250000001\n00:00:05\n1970-01-01\n",
    );
  });

  it("moves with sleep on the engine's machine, not with the host's clock", async () => {
    const m = await boot();
    const sh = new Shell(new CommandHost(m, m.shell, { modules: () => undefined }));
    const before = Number(sh.run("date +%s%N").stdout);
    const after = Number(sh.run("sleep 2; date +%s%N").stdout);
    expect(after - before).toBe(2e9);
    expect(before).toBe(m.clock.nowNs() - 2e9);
  });

  it("formats like GNU date: flags, widths and the ISO week", () => {
    const t = 1_704_067_199_000_000_000n; // 2023-12-31 23:59:59, ISO week 52 of 2023
    expect(strftime("%G-W%V-%u %-d %_H %3N %^a %:z", t)).toBe("2023-W52-7 31 23 000 SUN +00:00");
    expect(strftime("%G-W%V", t + 1_000_000_000n)).toBe("2024-W01");
  });
});
