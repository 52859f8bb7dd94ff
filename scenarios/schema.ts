// schema.ts: the scenario format, version 2 (the current one), as a zod schema. A scenario is one
// JSON document: what it teaches, the kernel file it dramatises, the machine, the modules, a script
// of shell steps at optional virtual times, and optionally the kernel log it is expected to print.
// The JSON is canonical: code may generate it, but this schema is what the CLI, the loader and the
// editor validate against (validate.ts).
import { z } from "zod";

export const FORMAT = "klp-playground-scenario";
export const CURRENT_VERSION = 2;

/** Longest embedded module source (characters): a generous bound on what an editor holds. */
export const MAX_SOURCE = 200_000;
/** Latest virtual time a step may be scheduled at (ms): one hour. */
export const MAX_AT_MS = 3_600_000;
/** Most background tasks a scenario starts, every spec's `count` summed (issue 5's 100,000). */
export const MAX_TASKS = 100_000;

// Kernel module names: what insmod derives from the file name (MODULE_NAME_LEN is 56, with NUL).
const moduleName = z
  .string()
  .regex(
    /^[a-z_][a-z0-9_]{0,54}$/,
    "a module name is lowercase letters, digits and _ (at most 55)",
  );

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 is 64 lowercase hex digits");

const kernelRef = z.strictObject({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "a repository is owner/name"),
  path: z.string().min(1, "a path inside the repository is required"),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, "a commit is 7 to 40 lowercase hex digits")
    .optional(),
});

/** A built-in module, by name and the SHA-256 of its source in the build that wrote the file. */
const builtinModule = z.strictObject({
  kind: z.literal("builtin"),
  name: moduleName,
  sha256: hex64,
});

/** A module whose TypeScript source travels with the scenario (run in the sandbox). */
const embeddedModule = z.strictObject({
  kind: z.literal("embedded"),
  name: moduleName,
  source: z
    .string()
    .min(1, "the module source is empty")
    .max(MAX_SOURCE, `a module source is at most ${MAX_SOURCE} characters`),
});

const moduleSpec = z.discriminatedUnion("kind", [builtinModule, embeddedModule], {
  error: 'a module is {"kind": "builtin", name, sha256} or {"kind": "embedded", name, source}',
});

/** What a background task does on each wake-up. */
const taskAction = z.union(
  [
    z.strictObject({ syscall: z.literal("getpid") }),
    z.strictObject({ read: z.string().regex(/^\/(proc|sys)\//, "read a /proc or /sys file") }),
    // A kernel function by its kallsyms name (vmlinux or a module's), called from a kthread's
    // loop or from a user process's system call; the task waits while no loaded code has it.
    z.strictObject({
      call: z.string().regex(/^[A-Za-z_]\w{0,127}$/, "a function name"),
      from: z.enum(["kthread", "user"]).optional(),
    }),
  ],
  {
    error:
      'a task does {"syscall": "getpid"}, {"read": "/proc/..."} or {"call": "function", "from"?: "kthread" | "user"}',
  },
);

/**
 * A task started at boot that repeats one action, `every_ms` of virtual time apart: a user task
 * returns to user space after each; a `call` kthread sleeps in msleep between two.
 */
const taskSpec = z.strictObject({
  // TASK_COMM_LEN is 16 with the NUL.
  comm: z.string().regex(/^[\w./:-]{1,15}$/, "a task name is 1 to 15 letters, digits or _ . / : -"),
  every_ms: z.number().int().min(1).max(60_000),
  does: taskAction,
  /**
   * How many such tasks start (default 1); with a count the tasks are named `<comm><i>`, i from 0,
   * so the name plus the widest index must fit TASK_COMM_LEN too.
   */
  count: z.number().int().min(1).max(MAX_TASKS).optional(),
});

const machine = z.strictObject({
  // The engine models the playground's two CPUs (getconf _NPROCESSORS_ONLN answers 2).
  cpus: z.literal(2, { error: "the simulated machine has 2 CPUs" }),
  // 64 specs, each may be replicated (`count`); the total is checked below.
  tasks: z.array(taskSpec).max(64, "at most 64 background tasks"),
  /**
   * Whether kernel/livepatch's pr_debug lines print ("initializing ... transition", "completing
   * ...", per-task lines stay off), as after the selftests' `file kernel/livepatch/* +p`. A
   * default kernel prints only the pr_notice and pr_info lines.
   */
  livepatch_debug: z.boolean(),
});

const step = z
  .strictObject({
    /** Virtual time (ms since boot) the step starts at; later if the step before ran past it. */
    at_ms: z.number().min(0).max(MAX_AT_MS).optional(),
    /** Shell text run as one script (the selftests' helpers are defined). */
    run: z.string().max(20_000, "a step is at most 20000 characters").optional(),
    /** A short caption for the timeline and the editor. */
    note: z.string().max(500).optional(),
  })
  .refine((s) => s.run !== undefined || s.at_ms !== undefined, {
    message: "a step needs `run` or `at_ms` (a step with only `at_ms` lets time pass)",
  });

const expectation = z.strictObject({
  /**
   * Which log lines are compared: "kernel" is the whole log without timestamps (dmesg -t);
   * "selftest" is what the selftests' check_result compares (after the last start_test canary,
   * lines with `livepatch:` or `test_klp`, taint lines dropped).
   */
  filter: z.enum(["kernel", "selftest"]),
  log: z.array(z.string()),
  /** Shell variables whose value is written `<NAME>` in `log` (pids differ between machines). */
  vars: z.array(z.string().regex(/^[A-Za-z_]\w*$/)).optional(),
});

export const scenarioSchema = z
  .strictObject({
    format: z.literal(FORMAT),
    version: z.literal(CURRENT_VERSION),
    title: z.string().min(1).max(200),
    teaches: z.string().min(1).max(2000),
    dramatises: z.array(kernelRef).min(1, "name at least one kernel file or document"),
    semantics: z.enum(["mainline", "proposed"]),
    arch: z.enum(["x86_64", "arm64"]),
    seed: z.number().int().min(0).max(0xffffffff),
    machine,
    modules: z.array(moduleSpec).max(32, "at most 32 modules"),
    script: z.array(step).min(1, "the script has no steps").max(500),
    expect: expectation.optional(),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    s.modules.forEach((m, i) => {
      const j = seen.get(m.name);
      if (j !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["modules", i, "name"],
          message: `${m.name} is already modules[${j}]`,
        });
      seen.set(m.name, i);
    });
    let total = 0;
    s.machine.tasks.forEach((t, i) => {
      total += t.count ?? 1;
      if (t.count !== undefined && `${t.comm}${t.count - 1}`.length > 15)
        ctx.addIssue({
          code: "custom",
          path: ["machine", "tasks", i, "comm"],
          message: `${t.comm}${t.count - 1} is longer than 15 characters`,
        });
    });
    if (total > MAX_TASKS)
      ctx.addIssue({
        code: "custom",
        path: ["machine", "tasks"],
        message: `${total} background tasks: at most ${MAX_TASKS} in all`,
      });
    let last = 0;
    s.script.forEach((st, i) => {
      if (st.at_ms === undefined) return;
      if (st.at_ms < last)
        ctx.addIssue({
          code: "custom",
          path: ["script", i, "at_ms"],
          message: `${st.at_ms} is earlier than an earlier step's ${last}`,
        });
      last = Math.max(last, st.at_ms);
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ModuleSpec = Scenario["modules"][number];
export type Step = Scenario["script"][number];
export type TaskSpec = Scenario["machine"]["tasks"][number];
