// library.ts: the hand-written scenarios (the kernel's samples, the teaching cases, the default).
// Their expected logs are recorded by running the engine (gen-scenarios.ts), then reviewed against
// the kernel before commit. Kernel references are path@commit of torvalds/linux as stored.
import { builtinRef } from "../../scenarios/builtins.ts";
import { CURRENT_VERSION, FORMAT, type Scenario } from "../../scenarios/schema.ts";
import { OBJS, OBJS_FIX, procPatch, SHADOW_STATE, SLEEPER, sleeperFix } from "./sources.ts";

type Ref = Scenario["dramatises"][number];
const linux = (path: string, commit: string): Ref => ({ repo: "torvalds/linux", path, commit });
/** The proposed livepatch states series (pmladek/linux). */
const series = (path: string, commit: string): Ref => ({ repo: "pmladek/linux", path, commit });
const SERIES_CORE = "663800cffbdf5a2992fa94835f3848dc6f7351bd";

const REF = {
  sample: linux("samples/livepatch/livepatch-sample.c", "4149f70f7c6001c91aba065bf937f6e95172071b"),
  shadowMod: linux(
    "samples/livepatch/livepatch-shadow-mod.c",
    "0b5eca67bd2d0e6f6d0ccdc316aced0cc4bf2e9f",
  ),
  shadowFix1: linux(
    "samples/livepatch/livepatch-shadow-fix1.c",
    "e91c2518a5d22a07642f35d85f39001ad379dae4",
  ),
  shadowFix2: linux(
    "samples/livepatch/livepatch-shadow-fix2.c",
    "439e7271dc2b63de379e37971dc2f64d71e24f8a",
  ),
  cbDemo: linux(
    "samples/livepatch/livepatch-callbacks-demo.c",
    "65e575744264b28811c1a82c2640b1257cabf22f",
  ),
  cbMod: linux(
    "samples/livepatch/livepatch-callbacks-mod.c",
    "5e0c67998152bdb91b056160449ee542b86271a5",
  ),
  cbBusy: linux(
    "samples/livepatch/livepatch-callbacks-busymod.c",
    "dd7ce6547aeec06fc67a6ac36c958f4a9d352f37",
  ),
  callbacksDoc: linux(
    "Documentation/livepatch/callbacks.rst",
    "65e575744264b28811c1a82c2640b1257cabf22f",
  ),
  livepatchDoc: linux(
    "Documentation/livepatch/livepatch.rst",
    "25768de50b1f2dbb6ea44bd5148a87fe2c9c3688",
  ),
  cumulativeDoc: linux(
    "Documentation/livepatch/cumulative-patches.rst",
    "4981f05faf3655ebaf696d08ec100cb349113cef",
  ),
  shadowDoc: linux(
    "Documentation/livepatch/shadow-vars.rst",
    "74acee309fb2a434dce215d44014e6f8e06975ae",
  ),
  transition: linux("kernel/livepatch/transition.c", "2ef6765ccaab2c69470d7049d9a9bf6456a6e666"),
  core: linux("kernel/livepatch/core.c", "33e8612f64d4973ae3617a01224ec02b7b879597"),
  patch: linux("kernel/livepatch/patch.c", "6f84981772535e670e4e2df051a672af229b6694"),
  shadow: linux("kernel/livepatch/shadow.c", "cb65dc7b89043a66d4459a6a811645d43185b5f0"),
  pState: series("tools/testing/selftests/livepatch/test_modules/test_klp_state.c", SERIES_CORE),
  pStateC: series("kernel/livepatch/state.c", SERIES_CORE),
  pStateSh: series("tools/testing/selftests/livepatch/test-state.sh", SERIES_CORE),
  pSpeakerMod: series(
    "samples/livepatch/livepatch-speaker-mod.c",
    "66e19f98a45d31ea6143e8853c8419dfbf726861",
  ),
  pSpeakerFix: series(
    "samples/livepatch/livepatch-speaker-fix.c",
    "66e19f98a45d31ea6143e8853c8419dfbf726861",
  ),
};

/** A reference to built-in `name` as the tree of `semantics` has it (its source is hashed). */
function builtin(
  name: string,
  semantics: Scenario["semantics"] = "mainline",
): Scenario["modules"][number] {
  const r = builtinRef(name, semantics);
  if (!r) throw new Error(`no built-in ${name}`);
  return r;
}

const embedded = (name: string, source: string): Scenario["modules"][number] => ({
  kind: "embedded",
  name,
  source,
});

interface Def {
  title: string;
  teaches: string;
  dramatises: Ref[];
  semantics?: Scenario["semantics"];
  arch?: Scenario["arch"];
  tasks?: Scenario["machine"]["tasks"];
  /** kernel/livepatch's pr_debug (the selftests turn it on; a stock kernel has it off). */
  debug?: boolean;
  modules: Scenario["modules"];
  script: Scenario["script"];
}

function scenario(d: Def): Scenario {
  return {
    format: FORMAT,
    version: CURRENT_VERSION,
    title: d.title,
    teaches: d.teaches,
    dramatises: d.dramatises,
    semantics: d.semantics ?? "mainline",
    arch: d.arch ?? "x86_64",
    seed: 1,
    machine: { cpus: 2, tasks: d.tasks ?? [], livepatch_debug: d.debug ?? true },
    modules: d.modules,
    script: d.script,
  };
}

const KLP = "/sys/kernel/livepatch";
/** What the script writes to /dev/kmsg after a successful rmmod (rmmod itself prints nothing). */
const REMOVED = "rmmod klp_sleeper_fix: removed";
const kmsgCmdline = "cat /proc/cmdline > /dev/kmsg";
const SLEEPER_TASK = [{ comm: "klp_sleeper", every_ms: 2000, does: { call: "sleeper_wait" } }];
/** A process blocked in a system call that waits in sleeper_wait (a read of a device, say). */
const WAITER_TASK = [
  {
    comm: "klp_waiter",
    every_ms: 2000,
    does: { call: "sleeper_wait", from: "user" as const },
  },
];
const sleeperModules = (...more: Scenario["modules"]) => [
  embedded("klp_sleeper", SLEEPER),
  ...more,
];
const FIX = embedded("klp_sleeper_fix", sleeperFix({ tag: "fix" }));

function sample(arch: Scenario["arch"], title: string, teaches: string, debug = true): Scenario {
  return scenario({
    title,
    teaches,
    dramatises: [REF.sample],
    arch,
    debug,
    modules: [builtin("livepatch_sample")],
    script: [
      { run: kmsgCmdline, note: "the command line before" },
      { run: "insmod livepatch-sample.ko", note: "one function replaced" },
      { at_ms: 2000, run: kmsgCmdline, note: "cmdline_proc_show is now the patch's" },
      { run: `echo 0 > ${KLP}/livepatch_sample/enabled` },
      { at_ms: 4000, run: kmsgCmdline },
      { run: "rmmod livepatch_sample" },
    ],
  });
}

export function librarySources(): Map<string, Scenario> {
  const lib = new Map<string, Scenario>();
  lib.set(
    "default",
    scenario({
      title: "A patch, its transition and its callbacks",
      teaches:
        "Loading the callbacks demo while the busy module's work sleeps in the function it patches: pre_patch callbacks run, the transition waits about five seconds for the worker to leave busymod_work_func, then post_patch callbacks run and patching completes.",
      dramatises: [REF.cbDemo, REF.cbBusy, REF.callbacksDoc],
      modules: [builtin("livepatch_callbacks_busymod"), builtin("livepatch_callbacks_demo")],
      script: [
        {
          run: "insmod livepatch-callbacks-busymod.ko sleep_secs=5",
          note: "a worker sleeps in busymod_work_func",
        },
        {
          at_ms: 1000,
          run: "insmod livepatch-callbacks-demo.ko",
          note: "the transition waits for it",
        },
        { at_ms: 10000, run: `echo 0 > ${KLP}/livepatch_callbacks_demo/enabled`, note: "and back" },
        { at_ms: 12000, run: "rmmod livepatch_callbacks_demo" },
        { run: "rmmod livepatch_callbacks_busymod" },
      ],
    }),
  );
  lib.set(
    "livepatch-sample",
    sample(
      "x86_64",
      "livepatch-sample: /proc/cmdline replaced",
      "The smallest livepatch: one function (cmdline_proc_show) replaced while the system runs, and restored on disable. This machine has kernel/livepatch's pr_debug off, as a stock kernel does: the log shows only the notices.",
      false,
    ),
  );
  lib.set(
    "shadow-fix1-fix2",
    scenario({
      title: "Shadow variables: livepatch-shadow-mod, fix1 and fix2",
      teaches:
        "A leaking module fixed live: fix1 keeps each new allocation's leaked pointer in a shadow variable and frees it with its dummy (the old dummies still leak), fix2 adds a second shadow variable counting checks per dummy.",
      dramatises: [REF.shadowMod, REF.shadowFix1, REF.shadowFix2, REF.shadowDoc],
      modules: [
        builtin("livepatch_shadow_mod"),
        builtin("livepatch_shadow_fix1"),
        builtin("livepatch_shadow_fix2"),
      ],
      script: [
        { run: "insmod livepatch-shadow-mod.ko", note: "allocates a dummy a second, leaking" },
        { at_ms: 2000, run: "insmod livepatch-shadow-fix1.ko", note: "leaks kept in SV_LEAK" },
        {
          at_ms: 13000,
          run: "insmod livepatch-shadow-fix2.ko",
          note: "checks counted in SV_COUNTER",
        },
        { at_ms: 16000, note: "old dummies reported leaked, their checks counted" },
      ],
    }),
  );
  lib.set(
    "callbacks-demo-mod",
    scenario({
      title: "Callbacks: the demo and a target module",
      teaches:
        "Per-object callbacks: the demo patches vmlinux and livepatch-callbacks-mod; loading, then unloading the target module while the patch is enabled runs that object's callbacks from the module notifiers.",
      dramatises: [REF.cbDemo, REF.cbMod, REF.callbacksDoc],
      modules: [builtin("livepatch_callbacks_mod"), builtin("livepatch_callbacks_demo")],
      script: [
        { run: "insmod livepatch-callbacks-mod.ko" },
        { run: "insmod livepatch-callbacks-demo.ko" },
        { at_ms: 3000, run: "rmmod livepatch_callbacks_mod", note: "going notifier" },
        { run: "insmod livepatch-callbacks-mod.ko", note: "coming notifier" },
        { run: `echo 0 > ${KLP}/livepatch_callbacks_demo/enabled` },
        { at_ms: 6000, run: "rmmod livepatch_callbacks_demo" },
        { run: "rmmod livepatch_callbacks_mod" },
      ],
    }),
  );
  lib.set(
    "callbacks-busymod",
    scenario({
      title: "Callbacks: a busy target module holds the transition",
      teaches:
        "The transition cannot switch a task while it sleeps in a function the patch replaces: the demo's patching waits for busymod's work to leave busymod_work_func; post_patch runs only then.",
      dramatises: [REF.cbBusy, REF.cbDemo, REF.callbacksDoc],
      modules: [builtin("livepatch_callbacks_busymod"), builtin("livepatch_callbacks_demo")],
      script: [
        { run: "insmod livepatch-callbacks-busymod.ko sleep_secs=10" },
        { at_ms: 1000, run: "insmod livepatch-callbacks-demo.ko" },
        { at_ms: 15000, run: `echo 0 > ${KLP}/livepatch_callbacks_demo/enabled` },
        { at_ms: 17000, run: "rmmod livepatch_callbacks_demo" },
        { run: "rmmod livepatch_callbacks_busymod" },
      ],
    }),
  );
  lib.set(
    "stall-interruptible-signal",
    scenario({
      title: "A stalled transition ended by the fake signal",
      teaches:
        "A process sleeping interruptibly inside the patched function (in a system call) keeps the transition from completing; after 15 seconds the kernel sends the remaining tasks a fake signal: the sleep ends with -EINTR, the process switches on its way back to user space, and the next retry completes the transition.",
      dramatises: [REF.transition, REF.livepatchDoc],
      tasks: WAITER_TASK,
      modules: sleeperModules(FIX),
      script: [
        {
          run: "insmod klp_sleeper.ko interruptible=1",
          note: "klp_waiter now waits in sleeper_wait",
        },
        { at_ms: 3000, run: "insmod klp_sleeper_fix.ko", note: "patching sleeper_wait stalls" },
        { at_ms: 25000, note: "the signal at about 15 s ended the stall" },
      ],
    }),
  );
  lib.set(
    "stall-uninterruptible-force",
    scenario({
      title: "An uninterruptible sleeper: only force ends the transition",
      teaches:
        "The fake signal wakes only interruptible sleepers; a task in TASK_UNINTERRUPTIBLE inside the patched function stalls the transition until an administrator writes 1 to force. Forcing a patching transition of a plain patch pins nothing: it can be disabled and removed afterwards.",
      dramatises: [REF.transition, REF.livepatchDoc],
      tasks: SLEEPER_TASK,
      modules: sleeperModules(FIX),
      script: [
        { run: "insmod klp_sleeper.ko interruptible=0" },
        { at_ms: 3000, run: "insmod klp_sleeper_fix.ko" },
        {
          at_ms: 20000,
          run: `echo 1 > ${KLP}/klp_sleeper_fix/force`,
          note: "signals did not help",
        },
        { at_ms: 22000, run: `echo 0 > ${KLP}/klp_sleeper_fix/enabled` },
        {
          at_ms: 24000,
          run: `rmmod klp_sleeper_fix 2> /dev/kmsg && echo "${REMOVED}" > /dev/kmsg`,
          note: "a forced patching pins nothing",
        },
      ],
    }),
  );
  lib.set(
    "force-disable-pins-module",
    scenario({
      title: "Patch before its target, then a forced disable pins the patch module",
      teaches:
        "A patch loaded before its target module is applied when the module loads (the coming notifier). A task then sleeping in the new function stalls the disable; forcing it means that task may still run the patch's code, so the kernel never drops the patch module's reference: rmmod refuses.",
      dramatises: [REF.transition, REF.core, REF.livepatchDoc],
      tasks: SLEEPER_TASK,
      modules: sleeperModules(FIX),
      script: [
        { run: "insmod klp_sleeper_fix.ko", note: "its target is not loaded yet" },
        { at_ms: 2000, run: "insmod klp_sleeper.ko interruptible=0", note: "patched as it loads" },
        {
          at_ms: 4000,
          run: `echo 0 > ${KLP}/klp_sleeper_fix/enabled`,
          note: "the kthread is in the new function",
        },
        { at_ms: 20000, run: `echo 1 > ${KLP}/klp_sleeper_fix/force` },
        {
          at_ms: 22000,
          run: "rmmod klp_sleeper_fix 2> /dev/kmsg",
          note: "refused: the module stays",
        },
      ],
    }),
  );
  lib.set(
    "force-replace-pins-old",
    scenario({
      title: "A forced atomic replace pins the replaced patch's module",
      teaches:
        "An atomic replace stalls while a task sleeps in the patch it replaces; forcing it marks the replaced patch forced, so its module can never be removed, though the new patch is in effect.",
      dramatises: [REF.transition, REF.cumulativeDoc],
      tasks: SLEEPER_TASK,
      modules: sleeperModules(
        FIX,
        embedded("klp_sleeper_fix2", sleeperFix({ tag: "fix2", replace: true })),
      ),
      script: [
        { run: "insmod klp_sleeper_fix.ko" },
        {
          at_ms: 2000,
          run: "insmod klp_sleeper.ko interruptible=0",
          note: "asleep in fix's function",
        },
        { at_ms: 4000, run: "insmod klp_sleeper_fix2.ko", note: "the replace waits for it" },
        { at_ms: 20000, run: `echo 1 > ${KLP}/klp_sleeper_fix2/force` },
        { at_ms: 22000, run: "rmmod klp_sleeper_fix 2> /dev/kmsg", note: "refused: forced" },
      ],
    }),
  );
  lib.set(
    "reverse-mid-transition",
    scenario({
      title: "Reversing a transition midway",
      teaches:
        "Writing 0 to enabled during a patching transition reverses it: tasks already switched go back, the stalled one never left the old code, so the unpatching completes at the next retry; the patch can then be removed.",
      dramatises: [REF.transition, REF.livepatchDoc],
      tasks: SLEEPER_TASK,
      modules: sleeperModules(FIX),
      script: [
        { run: "insmod klp_sleeper.ko interruptible=0" },
        { at_ms: 3000, run: "insmod klp_sleeper_fix.ko", note: "stalls on the sleeper" },
        { at_ms: 5000, run: `echo 0 > ${KLP}/klp_sleeper_fix/enabled`, note: "reverse" },
        { at_ms: 7000, run: `rmmod klp_sleeper_fix 2> /dev/kmsg && echo "${REMOVED}" > /dev/kmsg` },
      ],
    }),
  );
  const stackA = embedded(
    "klp_stack_a",
    procPatch({ tag: "klp_stack_a", funcs: ["cmdline_proc_show"], replace: false }),
  );
  const stackB = embedded(
    "klp_stack_b",
    procPatch({ tag: "klp_stack_b", funcs: ["cmdline_proc_show"], replace: false }),
  );
  for (const [name, first, second, how] of [
    [
      "stack-disable-top-first",
      "klp_stack_b",
      "klp_stack_a",
      "the newest first: each disable uncovers the one below",
    ],
    [
      "stack-disable-bottom-first",
      "klp_stack_a",
      "klp_stack_b",
      "the oldest first: the newest stays in effect until it goes too",
    ],
  ] as const) {
    lib.set(
      name,
      scenario({
        title: `Two stacked patches of one function, disabled ${first === "klp_stack_b" ? "top" : "bottom"} first`,
        teaches: `Non-replace patches of one function stack on its func_stack; the newest one runs. Disabled ${how}.`,
        dramatises: [REF.patch, REF.livepatchDoc],
        modules: [stackA, stackB],
        script: [
          { run: "insmod klp_stack_a.ko" },
          { at_ms: 2000, run: "insmod klp_stack_b.ko" },
          { at_ms: 4000, run: kmsgCmdline, note: "the newest patch runs" },
          { run: `echo 0 > ${KLP}/${first}/enabled` },
          { at_ms: 6000, run: kmsgCmdline },
          { run: `echo 0 > ${KLP}/${second}/enabled` },
          { at_ms: 8000, run: kmsgCmdline },
          { run: "rmmod klp_stack_a klp_stack_b" },
        ],
      }),
    );
  }
  const twoFuncs = ["cmdline_proc_show", "version_proc_show"];
  const kmsgBoth = "cat /proc/cmdline /proc/version > /dev/kmsg";
  lib.set(
    "replace-drops-function",
    scenario({
      title: "A cumulative replace that drops a function",
      teaches:
        "An atomic replace patch is cumulative: what it does not patch any more gets a nop, so the dropped function returns to its original code, and the replaced patch is disabled in the same transition.",
      dramatises: [REF.cumulativeDoc, REF.core],
      modules: [
        embedded(
          "klp_cumul_v1",
          procPatch({ tag: "klp_cumul_v1", funcs: twoFuncs, replace: true }),
        ),
        embedded(
          "klp_cumul_v2",
          procPatch({ tag: "klp_cumul_v2", funcs: ["cmdline_proc_show"], replace: true }),
        ),
      ],
      script: [
        { run: "insmod klp_cumul_v1.ko" },
        { at_ms: 2000, run: kmsgBoth, note: "both functions patched" },
        { run: "insmod klp_cumul_v2.ko", note: "version_proc_show dropped" },
        { at_ms: 4000, run: kmsgBoth },
        { run: "rmmod klp_cumul_v1" },
      ],
    }),
  );
  lib.set(
    "empty-replace-reverts",
    scenario({
      title: "An empty replace patch reverts everything",
      teaches:
        "A replace patch with no functions replaces every patch before it with nops: the whole system returns to its original code in one transition, and every older patch can be removed.",
      dramatises: [REF.cumulativeDoc, REF.core],
      modules: [
        embedded("klp_stack_a", procPatch({ tag: "klp_stack_a", funcs: twoFuncs, replace: false })),
        stackB,
        embedded("klp_revert_all", procPatch({ tag: "klp_revert_all", funcs: [], replace: true })),
      ],
      script: [
        { run: "insmod klp_stack_a.ko" },
        { at_ms: 2000, run: "insmod klp_stack_b.ko" },
        { at_ms: 4000, run: kmsgBoth },
        { run: "insmod klp_revert_all.ko" },
        { at_ms: 6000, run: kmsgBoth, note: "the original text again" },
        { run: "rmmod klp_stack_a klp_stack_b" },
      ],
    }),
  );
  lib.set(
    "patch-before-target",
    scenario({
      title: "A patch loaded before its target module",
      teaches:
        "A patch may name a module that is not loaded: its object waits, and the module notifier patches the module as it loads (its pre_patch callback runs then), and unpatches it as it goes.",
      dramatises: [REF.cbDemo, REF.cbMod, REF.callbacksDoc, REF.core],
      modules: [builtin("livepatch_callbacks_demo"), builtin("livepatch_callbacks_mod")],
      script: [
        { run: "insmod livepatch-callbacks-demo.ko", note: "livepatch_callbacks_mod not loaded" },
        { at_ms: 2000, run: "insmod livepatch-callbacks-mod.ko", note: "patched as it comes" },
        { at_ms: 3000, run: "rmmod livepatch_callbacks_mod", note: "unpatched as it goes" },
        { run: `echo 0 > ${KLP}/livepatch_callbacks_demo/enabled` },
        { at_ms: 5000, run: "rmmod livepatch_callbacks_demo" },
      ],
    }),
  );
  for (const arch of ["x86_64", "arm64"] as const) {
    lib.set(
      `same-patch-${arch}`,
      sample(
        arch,
        `livepatch-sample on ${arch}`,
        "The same patch on x86_64 and arm64: the kernel log is the same; only the entry site of cmdline_proc_show differs, as the site events show: x86_64 turns a 5-byte NOP into a call through int3 breakpoints (text_poke_bp), arm64 swaps one 4-byte instruction, a NOP for a BL.",
      ),
    );
  }
  lib.set(
    "block-disable",
    scenario({
      title: "A state that cannot be disabled (proposed series)",
      teaches:
        "With the proposed states API, a state marked block_disable pins its patch: disabling it is refused, and so is an atomic-replace patch without the state; a replace patch that carries the state takes it over (its callbacks do not run again), and the old patch goes.",
      dramatises: [REF.pState, REF.pStateC, REF.pStateSh],
      semantics: "proposed",
      modules: ["test_klp_state", "test_klp_state2", "test_klp_state3"].map((n) =>
        builtin(n, "proposed"),
      ),
      script: [
        { run: "insmod test_modules/test_klp_state.ko state_block_disable=1" },
        {
          at_ms: 1000,
          run: `echo 0 > ${KLP}/test_klp_state/enabled`,
          note: "refused: the state blocks its disable",
        },
        {
          at_ms: 2000,
          run: "insmod test_modules/test_klp_state2.ko no_state=1",
          note: "refused: a replace would drop the state",
        },
        {
          at_ms: 3000,
          run: "insmod test_modules/test_klp_state3.ko",
          note: "carries the state: replaces the patch",
        },
        { at_ms: 5000, run: "rmmod test_klp_state" },
        { run: `echo 0 > ${KLP}/test_klp_state3/enabled`, note: "not blocked: this one can go" },
        { at_ms: 7000, run: "rmmod test_klp_state3" },
      ],
    }),
  );
  const SPK = "/sys/module/livepatch_speaker_mod/parameters";
  lib.set(
    "speaker-samples",
    scenario({
      title: "The speaker samples: a state with a shadow variable (proposed series)",
      teaches:
        "livepatch-speaker-fix patches the speaker's greeting and the work function that blocks the doors; with applause=1 it adds state 10, whose callbacks keep an applause text in a shadow variable. The worker sleeping under block_doors_func holds the transition until the doors open; disabling the patch frees the shadow variable with the state.",
      dramatises: [REF.pSpeakerMod, REF.pSpeakerFix, REF.pStateC],
      semantics: "proposed",
      modules: [
        builtin("livepatch_speaker_mod", "proposed"),
        builtin("livepatch_speaker_fix", "proposed"),
      ],
      script: [
        { run: "insmod livepatch-speaker-mod.ko" },
        { run: `cat ${SPK}/welcome`, note: "reading welcome greets" },
        { run: `echo 1 > ${SPK}/block_doors`, note: "a worker sleeps in do_block_doors" },
        {
          at_ms: 1000,
          run: "insmod livepatch-speaker-fix.ko applause=1",
          note: "the worker holds the transition",
        },
        { at_ms: 3000, run: `echo 0 > ${SPK}/block_doors`, note: "the doors open" },
        { at_ms: 5000, run: `cat ${SPK}/welcome`, note: "the patched greeting, applauded" },
        { run: `echo 0 > ${KLP}/livepatch_speaker_fix/enabled` },
        { at_ms: 7000, run: "rmmod livepatch_speaker_fix" },
        { run: "rmmod livepatch_speaker_mod" },
      ],
    }),
  );
  for (const semantics of ["mainline", "proposed"] as const) {
    lib.set(
      `shadow-state-${semantics}`,
      scenario({
        title: `Shadow variables and the patch's state (${semantics})`,
        teaches:
          semantics === "mainline"
            ? "A livepatch allocates a shadow variable and declares it in a state with is_shadow and a shadow_dtor: mainline's klp_state has neither field, so disabling and removing the patch leaves the variable allocated, and the patch loaded again finds it leaked."
            : "The same livepatch under the proposed states API: the state is_shadow, so when the patch is disabled the core frees the state's shadow variables with its shadow_dtor, and the patch loaded again allocates a fresh one.",
        dramatises: [REF.shadow, REF.shadowDoc, ...(semantics === "proposed" ? [REF.pStateC] : [])],
        semantics,
        modules: [embedded("klp_shadow_state", SHADOW_STATE)],
        script: [
          { run: "insmod klp_shadow_state.ko" },
          { at_ms: 1000, run: `echo 0 > ${KLP}/klp_shadow_state/enabled` },
          { at_ms: 2000, run: "rmmod klp_shadow_state" },
          { run: "insmod klp_shadow_state.ko", note: "the variable: leaked or fresh?" },
        ],
      }),
    );
  }
  lib.set(
    "shadow-state-per-object",
    scenario({
      title: "A fix's shadow variables, one per object, owned by its state",
      teaches:
        "klp_objs_fix counts each object's uses in a shadow variable of state 1, which is_shadow with a shadow_dtor; no callback of its own frees them. Disabling the patch drops the state, so proposed frees each counter (the dtor logs it). Compare with mainline: no is_shadow there, all three leak.",
      dramatises: [REF.pStateC, REF.shadow],
      semantics: "proposed",
      modules: [embedded("klp_objs", OBJS), embedded("klp_objs_fix", OBJS_FIX)],
      script: [
        { run: "insmod klp_objs.ko", note: "three objects" },
        { at_ms: 1000, run: "insmod klp_objs_fix.ko" },
        {
          at_ms: 2000,
          run: "cat /proc/klp_objs",
          note: "a counter per object",
        },
        {
          at_ms: 3000,
          run: `echo 0 > ${KLP}/klp_objs_fix/enabled`,
          note: "the state goes: the counters?",
        },
        { at_ms: 4000, run: "rmmod klp_objs_fix" },
        { run: "rmmod klp_objs", note: "the objects go" },
      ],
    }),
  );
  return lib;
}
