// commands.test.ts: the machine's commands as a user meets them through the shell: kmod's
// messages for insmod/modprobe/rmmod, lsmod, sysctl's busy error, dmesg, modinfo, and the
// background getpid loopers with kill and wait.
import { describe, expect, it } from "vitest";
import { coreBytes } from "../core-wasm/tests/loadCore.ts";
import { bootPlayground } from "./playground.ts";

async function shell() {
  return bootPlayground({ core: await coreBytes() });
}

describe("insmod, modprobe, rmmod", () => {
  it("print kmod's errors", async () => {
    const { sh } = await shell();
    expect(sh.run("insmod test_modules/nope.ko").stderr).toBe(
      "insmod: ERROR: could not load module test_modules/nope.ko: No such file or directory\n",
    );
    expect(sh.run("insmod test_klp_callbacks_mod.ko").status).toBe(0);
    expect(sh.run("insmod test_klp_callbacks_mod.ko").stderr).toBe(
      "insmod: ERROR: could not insert module test_klp_callbacks_mod.ko: File exists\n",
    );
    expect(sh.run("insmod test_klp_callbacks_demo.ko pre_patch_ret=x").stderr).toBe(
      "insmod: ERROR: could not insert module test_klp_callbacks_demo.ko: Invalid parameters\n",
    );
    expect(sh.run("rmmod test_klp_livepatch").stderr).toBe(
      "rmmod: ERROR: Module test_klp_livepatch is not currently loaded\n",
    );
  });

  it("refuses to remove an enabled livepatch (its module is in use)", async () => {
    const { sh, m } = await shell();
    sh.run("insmod test_modules/test_klp_livepatch.ko");
    const r = sh.run("rmmod test_klp_livepatch");
    expect(r).toMatchObject({
      status: 1,
      stderr: "rmmod: ERROR: Module test_klp_livepatch is in use\n",
    });
    expect(m.modules.get("test_klp_livepatch")).toBeDefined();
    expect(sh.run("lsmod").stdout).toMatch(
      /^Module {18}Size {2}Used by\ntest_klp_livepatch +\d+ {2}1\n$/,
    );
  });

  it("modprobe loads by name and removes with -r", async () => {
    const { sh, m } = await shell();
    expect(sh.run("modprobe livepatch-sample && cat /proc/cmdline").stdout).toBe(
      "this has been live patched\n",
    );
    expect(sh.run("modprobe nope").stderr).toContain("modprobe: FATAL: Module nope not found");
    sh.run("echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled");
    expect(sh.run("modprobe -r livepatch_sample").status).toBe(0);
    expect(m.modules.get("livepatch_sample")).toBeUndefined();
  });

  it("modinfo reports the livepatch tag", async () => {
    const { sh } = await shell();
    expect(sh.run("modinfo -F livepatch test_modules/test_klp_state.ko").stdout).toBe("Y\n");
    expect(sh.run("modinfo -F livepatch test_modules/test_klp_callbacks_mod.ko").stdout).toBe("");
  });
});

describe("sysctl and dmesg", () => {
  it("kernel.ftrace_enabled is busy while a livepatch is applied", async () => {
    const { sh } = await shell();
    expect(sh.run("sysctl kernel.ftrace_enabled").stdout).toBe("kernel.ftrace_enabled = 1\n");
    sh.run("insmod test_modules/test_klp_livepatch.ko");
    expect(sh.run("sysctl kernel.ftrace_enabled=0").stderr).toBe(
      'sysctl: setting key "/proc/sys/kernel/ftrace_enabled": Device or resource busy\n',
    );
    sh.run("echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled");
    expect(sh.run("sysctl -n kernel.ftrace_enabled=0").stdout).toBe("0\n");
    expect(sh.run("sysctl kernel.nope").status).toBe(255);
  });

  it("dmesg prints stamped lines, -t without stamps", async () => {
    const { sh } = await shell();
    sh.run("log hello");
    expect(sh.run("dmesg").stdout).toMatch(/^\[ +\d+\.\d{6}\] hello\n$/);
    expect(sh.run("dmesg -t").stdout).toBe("hello\n");
  });
});

describe("test_klp-call_getpid", () => {
  it("runs in the background until killed; wait reports the signal", async () => {
    const { sh, m } = await shell();
    const pid = Number(sh.run("./test_klp-call_getpid & echo $!").stdout);
    expect(m.tasks.get(pid)?.comm).toBe("test_klp-call_getpid");
    sh.run("sleep 1");
    expect(m.tasks.get(pid)?.state).toBe("user");
    const r = sh.run(`kill ${pid}; wait ${pid}; echo $?`);
    expect(r.stdout).toBe("143\n");
    expect(m.tasks.get(pid)).toBeUndefined();
  });
});

describe("function tracer helpers", () => {
  it("check_traced_functions finds called functions and dies on others", async () => {
    const { sh } = await shell();
    sh.run("trace_function cmdline_proc_show; cat /proc/cmdline > /dev/null");
    expect(sh.run("grep -c cmdline_proc_show /sys/kernel/debug/tracing/trace").stdout).toBe("1\n");
    expect(sh.run("check_traced_functions cmdline_proc_show")).toMatchObject({ exited: false });
    sh.run("trace_function version_proc_show; cat /proc/cmdline > /dev/null");
    expect(sh.run("check_traced_functions version_proc_show")).toMatchObject({
      exited: true,
      stderr: "ERROR: Function (version_proc_show) was not traced\n",
    });
  });
});

describe("selftest helpers", () => {
  it("die on a module that is not built, as the insmod-era helpers do", async () => {
    const { sh, m } = await shell();
    const r = sh.run("load_lp test_klp_nope; echo unreachable");
    expect(r).toMatchObject({ exited: true, status: 1, stdout: "" });
    expect(r.stderr).toBe('ERROR: Can\'t find "test_modules/test_klp_nope.ko", try "make"\n');
    expect(m.log.lines()).toContain(
      'ERROR: Can\'t find "test_modules/test_klp_nope.ko", try "make"',
    );
  });

  it("load_mod refuses a livepatch and load_lp a plain module", async () => {
    const { sh } = await shell();
    expect(sh.run("load_mod test_klp_livepatch").stderr).toBe(
      "ERROR: use load_lp() to load the livepatch module test_klp_livepatch\n",
    );
    expect(sh.run("load_lp test_klp_callbacks_mod").stderr).toBe(
      "ERROR: module test_klp_callbacks_mod is not a livepatch\n",
    );
  });

  it("load_failing_mod dies when the module loads", async () => {
    const { sh } = await shell();
    expect(sh.run("load_failing_mod test_klp_callbacks_mod").stderr).toBe(
      "ERROR: test_klp_callbacks_mod unexpectedly loaded\n",
    );
  });
});

describe("background commands", () => {
  it("insmod & runs in a child; wait reports its status", async () => {
    const { sh, m } = await shell();
    const r = sh.run(
      "insmod test_modules/nope.ko & wait $!; echo $?; insmod test_klp_callbacks_mod.ko & wait $!; echo $?",
    );
    expect(r.stdout).toBe("1\n0\n");
    expect(m.modules.get("test_klp_callbacks_mod")).toBeDefined();
  });
});

describe("start_test and check_result", () => {
  const EXPECTED = [
    "% insmod test_modules/test_klp_callbacks_mod.ko",
    "test_klp_callbacks_mod: test_klp_callbacks_mod_init",
  ].join("\n");

  it("prints ok when the filtered log since the canary matches", async () => {
    const { sh } = await shell();
    sh.run("load_mod test_klp_callbacks_mod; unload_mod test_klp_callbacks_mod");
    sh.run("start_test 'one'; load_mod test_klp_callbacks_mod");
    expect(sh.run(`check_result '${EXPECTED}'`)).toMatchObject({ stdout: "ok\n", exited: false });
  });

  it("prints not ok and dies on a difference", async () => {
    const { sh } = await shell();
    sh.run("start_test 'two'; load_mod test_klp_callbacks_mod");
    const r = sh.run(`check_result '${EXPECTED}\nextra'`);
    expect(r.stdout.startsWith("not ok\n")).toBe(true);
    expect(r).toMatchObject({ exited: true, stderr: "ERROR: livepatch kselftest(s) failed\n" });
  });
});

describe("modprobe's wording", () => {
  it("uses strerror where insmod uses kmod's table", async () => {
    const { sh } = await shell();
    expect(sh.run("modprobe test_klp_callbacks_demo pre_patch_ret=-19").stderr).toBe(
      "modprobe: ERROR: could not insert 'test_klp_callbacks_demo': No such device\n",
    );
    expect(sh.run("modprobe test_klp_callbacks_demo pre_patch_ret=x").stderr).toBe(
      "modprobe: ERROR: could not insert 'test_klp_callbacks_demo': Invalid argument\n",
    );
  });
});
