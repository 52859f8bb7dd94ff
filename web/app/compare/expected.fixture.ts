// expected.fixture.ts: what the side-by-side view of each library scenario whose two models differ
// must show (the divergences listed, per side the diverging events: `*` outlined on the timeline,
// `-` listed without a timeline mark; the shadow lifetimes; the refusals). One table for both
// tests that check it: the view model in Node (view.test.ts) and the page (e2e/compare.spec.ts).
export interface Expected {
  /** Side a's configuration (the scenario's own), side b's. */
  sides: [string, string];
  items: string[];
  a: string[];
  b: string[];
  /** Per side, the shadow row's lifetimes (how each ends), when the case pins them. */
  shadows?: [string[], string[]];
  /** Steps refused only in proposed, with the kernel's error. */
  refused?: { step: number; side: "a" | "b"; stderr: RegExp }[];
}

const cb = (patch: string, obj: string, which: string[]) =>
  which.map((c) => `* callback ${patch}/${obj}: ${c}`);
const DEMO = "livepatch_callbacks_demo";
const ALL = ["pre_patch", "post_patch", "pre_unpatch", "post_unpatch"];
const switches = (to: string, pids: string[]) =>
  pids.map((p) => `* task-switch ${p}: switched to ${to} (stack-check)`);
const TASKS = ["0 swapper/0", "0 swapper/1", "1 systemd", "2 kthreadd", "3 kworker/0:0"];
const demoCallbacks = (mod: string) => [
  ...[`${DEMO}/vmlinux/pre_patch`, `${DEMO}/${mod}/pre_patch`].map((s) => `1 callback only-a ${s}`),
  ...[`${DEMO}/vmlinux/post_patch`, `${DEMO}/${mod}/post_patch`].map(
    (s) => `1 callback only-a ${s}`,
  ),
];

/** klp_objs's three kzalloc objects. */
const OBJS = ["0x100040", "0x100080", "0x1000c0"];

export const EXPECTED_VIEWS: Record<string, Expected> = {
  // Mainline's per-object callbacks run; the proposed series has none: every one only in a.
  "default.json": {
    sides: ["mainline x86_64", "proposed x86_64"],
    items: [
      ...demoCallbacks("livepatch_callbacks_busymod"),
      ...["pre_unpatch", "post_unpatch"].flatMap((c) =>
        ["vmlinux", "livepatch_callbacks_busymod"].map(
          (o) => `2 callback only-a ${DEMO}/${o}/${c}`,
        ),
      ),
    ],
    a: ALL.flatMap((c) => [
      ...cb(DEMO, "vmlinux", [c]),
      ...cb(DEMO, "livepatch_callbacks_busymod", [c]),
    ]),
    b: [],
  },
  "callbacks-busymod.json": {
    sides: ["mainline x86_64", "proposed x86_64"],
    items: [
      ...demoCallbacks("livepatch_callbacks_busymod"),
      ...["pre_unpatch", "post_unpatch"].flatMap((c) =>
        ["vmlinux", "livepatch_callbacks_busymod"].map(
          (o) => `2 callback only-a ${DEMO}/${o}/${c}`,
        ),
      ),
    ],
    a: ALL.flatMap((c) => [
      ...cb(DEMO, "vmlinux", [c]),
      ...cb(DEMO, "livepatch_callbacks_busymod", [c]),
    ]),
    b: [],
  },
  // The target module comes and goes while the patch stays: its callbacks run again each time.
  "callbacks-demo-mod.json": {
    sides: ["mainline x86_64", "proposed x86_64"],
    items: [
      ...demoCallbacks("livepatch_callbacks_mod"),
      `2 callback only-a ${DEMO}/livepatch_callbacks_mod/pre_unpatch`,
      `2 callback only-a ${DEMO}/livepatch_callbacks_mod/post_unpatch`,
      `3 callback only-a ${DEMO}/livepatch_callbacks_mod/pre_patch`,
      `3 callback only-a ${DEMO}/livepatch_callbacks_mod/post_patch`,
      `4 callback only-a ${DEMO}/vmlinux/pre_unpatch`,
      `4 callback only-a ${DEMO}/livepatch_callbacks_mod/pre_unpatch`,
      `4 callback only-a ${DEMO}/vmlinux/post_unpatch`,
      `4 callback only-a ${DEMO}/livepatch_callbacks_mod/post_unpatch`,
    ],
    a: [
      ...["pre_patch", "post_patch"].flatMap((c) => [
        ...cb(DEMO, "vmlinux", [c]),
        ...cb(DEMO, "livepatch_callbacks_mod", [c]),
      ]),
      // The target module unloaded (step 2) and loaded again (step 3).
      ...cb(DEMO, "livepatch_callbacks_mod", [
        "pre_unpatch",
        "post_unpatch",
        "pre_patch",
        "post_patch",
      ]),
      ...["pre_unpatch", "post_unpatch"].flatMap((c) => [
        ...cb(DEMO, "vmlinux", [c]),
        ...cb(DEMO, "livepatch_callbacks_mod", [c]),
      ]),
    ],
    b: [],
  },
  "patch-before-target.json": {
    sides: ["mainline x86_64", "proposed x86_64"],
    items: [
      `0 callback only-a ${DEMO}/vmlinux/pre_patch`,
      `0 callback only-a ${DEMO}/vmlinux/post_patch`,
      `1 callback only-a ${DEMO}/livepatch_callbacks_mod/pre_patch`,
      `1 callback only-a ${DEMO}/livepatch_callbacks_mod/post_patch`,
      `2 callback only-a ${DEMO}/livepatch_callbacks_mod/pre_unpatch`,
      `2 callback only-a ${DEMO}/livepatch_callbacks_mod/post_unpatch`,
      `3 callback only-a ${DEMO}/vmlinux/pre_unpatch`,
      `3 callback only-a ${DEMO}/vmlinux/post_unpatch`,
    ],
    a: [
      ...cb(DEMO, "vmlinux", ["pre_patch", "post_patch"]),
      ...cb(DEMO, "livepatch_callbacks_mod", ALL),
      ...cb(DEMO, "vmlinux", ["pre_unpatch", "post_unpatch"]),
    ],
    b: [],
  },
  // The proposed tree's speaker fix: its state's callbacks and shadow variable only in proposed
  // (side a: the scenario's own semantics); the variable, freed by the state, is not a leak.
  // (The free is the shadow row's mark at the lifetime's end: view.ts, withShadowFrees.)
  "speaker-samples.json": {
    sides: ["proposed x86_64", "mainline x86_64"],
    items: [
      "3 callback only-a livepatch_speaker_fix/state 10/pre_patch",
      "3 shadow only-a <0x0, a>",
      "4 callback only-a livepatch_speaker_fix/state 10/post_patch",
      "6 callback only-a livepatch_speaker_fix/state 10/pre_unpatch",
      "6 callback only-a livepatch_speaker_fix/state 10/post_unpatch",
    ],
    a: [
      "* callback livepatch_speaker_fix/state 10: pre_patch",
      "* shadow <0x0, a>: alloc",
      "* callback livepatch_speaker_fix/state 10: post_patch",
      "* callback livepatch_speaker_fix/state 10: pre_unpatch",
      "* callback livepatch_speaker_fix/state 10: post_unpatch",
      "* shadow <0x0, a>: free",
    ],
    b: [],
  },
  // Mainline keeps the first variable to the end; proposed frees it with its state (the free is
  // outlined where the lifetime ends) and the second load allocates another.
  "shadow-state-mainline.json": {
    sides: ["mainline x86_64", "proposed x86_64"],
    items: ["1 shadow differs <0x1000, 7>"],
    a: ["* shadow <0x1000, 7>: alloc"],
    b: ["* shadow <0x1000, 7>: alloc", "* shadow <0x1000, 7>: free", "* shadow <0x1000, 7>: alloc"],
  },
  "shadow-state-proposed.json": {
    sides: ["proposed x86_64", "mainline x86_64"],
    items: ["1 shadow differs <0x1000, 7>"],
    a: ["* shadow <0x1000, 7>: alloc", "* shadow <0x1000, 7>: free", "* shadow <0x1000, 7>: alloc"],
    b: ["* shadow <0x1000, 7>: alloc"],
  },
  // A counter per object owned by state 1 (is_shadow): proposed frees all three when the disable
  // drops the state (step 3), each free outlined at its lifetime's end; mainline frees none, so
  // its three lifetimes (outlined by their allocs) are leaks that outlive the patch and objects.
  "shadow-state-per-object.json": {
    sides: ["proposed x86_64", "mainline x86_64"],
    items: OBJS.map((o) => `3 shadow freed-only-a <${o}, 1>`),
    a: [
      ...OBJS.map((o) => `* shadow <${o}, 1>: alloc`),
      ...OBJS.map((o) => `* shadow <${o}, 1>: free`),
    ],
    b: OBJS.map((o) => `* shadow <${o}, 1>: alloc`),
    shadows: [
      OBJS.map((o) => `<${o}, 1> freed by klp_shadow_free_all`),
      OBJS.map((o) => `<${o}, 1> never freed (leaked, or alive now)`),
    ],
  },
  // block_disable: proposed refuses the disable (step 1) and the downgrade's load (step 2), so
  // only mainline (side b) unpatches test_klp_state and loads test_klp_state2.
  "block-disable.json": {
    sides: ["proposed x86_64", "mainline x86_64"],
    items: [
      "0 callback only-a test_klp_state/state 1/pre_patch",
      "0 callback only-a test_klp_state/state 1/post_patch",
      "0 shadow only-a <0x3f0040, 1>",
      "1 refusal only-a step 1",
      "1 transition only-b test_klp_state",
      "1 task-switch only-b ×7",
      "2 refusal only-a step 2",
      "2 module differs test_klp_state2",
      "2 transition only-b test_klp_state2",
      "2 task-switch only-b ×8",
      "5 callback only-a test_klp_state3/state 1/pre_unpatch",
      "5 callback only-a test_klp_state3/state 1/post_unpatch",
    ],
    a: [
      "* callback test_klp_state/state 1: pre_patch",
      "* shadow <0x3f0040, 1>: alloc",
      "* callback test_klp_state/state 1: post_patch",
      "* module test_klp_state2: load-failed (MODULE_STATE_GOING)",
      "* callback test_klp_state3/state 1: pre_unpatch",
      "* callback test_klp_state3/state 1: post_unpatch",
      "* shadow <0x3f0040, 1>: free",
    ],
    b: [
      ...["init", "start", "attempt"].map((p) => `* transition test_klp_state: ${p} (unpatching)`),
      ...switches("unpatched", [...TASKS, "4 kworker/1:0", "5 bash"]),
      "* transition test_klp_state: complete (unpatching)",
      ...["init", "start", "attempt"].map((p) => `* transition test_klp_state2: ${p} (patching)`),
      ...switches("patched", [...TASKS, "4 kworker/1:0", "5 bash", "7 insmod"]),
      "* transition test_klp_state2: complete (patching)",
      "* module test_klp_state2: load (MODULE_STATE_LIVE)",
    ],
    refused: [
      { step: 1, side: "a", stderr: /write error: Invalid argument/ },
      { step: 2, side: "a", stderr: /./ },
    ],
  },
};
