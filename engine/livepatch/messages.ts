// messages.ts: the format strings kernel/livepatch prints, as data. Each cites the kernel file it
// was checked against, character for character (path@commit; torvalds/linux for mainline text,
// pmladek/linux where the stored torvalds copies predate the text or only the series has it). The
// prefix "livepatch: " is pr_fmt's (KBUILD_MODNAME ": "), added by Livepatch.pr.

/** A kernel format string and where it comes from. */
export interface KernelFormat {
  readonly fmt: string;
  readonly src: string;
}

const CORE_TV = "torvalds/linux kernel/livepatch/core.c@00f5764dbb040188e5dce2cd9e648360886b045c";
const CORE_PM = "pmladek/linux kernel/livepatch/core.c@663800cffbdf5a2992fa94835f3848dc6f7351bd";
const TRANS_TV =
  "torvalds/linux kernel/livepatch/transition.c@2ef6765ccaab2c69470d7049d9a9bf6456a6e666";
const TRANS_PM =
  "pmladek/linux kernel/livepatch/transition.c@6c06f3dd9713cf833dd5542adcd82af5805246f5";
const PATCH_TV = "torvalds/linux kernel/livepatch/patch.c@6f84981772535e670e4e2df051a672af229b6694";
const SHADOW_TV =
  "torvalds/linux kernel/livepatch/shadow.c@2cc2c3cb54de578666d905537e4c15969caf0dc5";

export const KLP_FORMATS = {
  // core.c: klp_enable_patch, __klp_enable_patch, enabled_store
  notLivepatchModule: { fmt: "module %s is not marked as a livepatch module\n", src: CORE_TV },
  notCompatible: {
    fmt: "Livepatch patch (%s) is not compatible with the already installed livepatches.\n",
    src: CORE_PM,
  },
  enablingPatch: { fmt: "enabling patch '%s'\n", src: CORE_TV },
  prePatchFailed: { fmt: "pre-patch callback failed for object '%s'\n", src: CORE_TV },
  patchObjectFailed: { fmt: "failed to patch object '%s'\n", src: CORE_TV },
  enablePatchFailed: { fmt: "failed to enable patch '%s'\n", src: CORE_TV },
  disableBlocked: { fmt: "The livepatch '%s' does not support disable\n", src: CORE_PM },
  // core.c: klp_find_object_symbol, klp_init_object_loaded
  symbolNotFound: { fmt: "symbol '%s' not found in symbol table\n", src: CORE_PM },
  symbolAmbiguous: {
    fmt: "unresolvable ambiguity for symbol '%s' in object '%s'\n",
    src: CORE_PM,
  },
  symbolPosNotFound: {
    fmt: "symbol position %lu for symbol '%s' in object '%s' not found\n",
    src: CORE_PM,
  },
  sizeLookupFailed: { fmt: "kallsyms size lookup failed for '%s'\n", src: CORE_TV },
  sizeLookupFailedNew: { fmt: "kallsyms size lookup failed for '%s' replacement\n", src: CORE_TV },
  // core.c: klp_cleanup_module_patches_limited, klp_module_coming
  revertingPatch: { fmt: "reverting patch '%s' on unloading module '%s'\n", src: CORE_TV },
  vmlinuxModule: { fmt: "vmlinux.ko: invalid module name\n", src: CORE_PM },
  initForModuleFailed: {
    fmt: "failed to initialize patch '%s' for module '%s' (%d)\n",
    src: CORE_TV,
  },
  applyingPatch: { fmt: "applying patch '%s' to loading module '%s'\n", src: CORE_TV },
  applyToModuleFailed: { fmt: "failed to apply patch '%s' to module '%s' (%d)\n", src: CORE_TV },
  refusingModule: {
    fmt: "patch '%s' failed for module '%s', refusing to load module '%s'\n",
    src: CORE_TV,
  },
  // patch.c: klp_patch_func
  noFtraceLocation: { fmt: "failed to find location for function '%s'\n", src: PATCH_TV },
  registerFailed: {
    fmt: "failed to register ftrace handler for function '%s' (%d)\n",
    src: PATCH_TV,
  },
  // shadow.c: __klp_shadow_get_or_alloc
  duplicateShadow: { fmt: "Duplicate shadow variable <%p, %lx>\n", src: SHADOW_TV },
  shadowCtorFailed: {
    fmt: "Failed to construct shadow variable <%p, %lx> (%d)\n",
    src: SHADOW_TV,
  },
  // transition.c
  initializing: { fmt: "'%s': initializing %s transition\n", src: TRANS_TV },
  starting: { fmt: "'%s': starting %s transition\n", src: TRANS_TV },
  completing: { fmt: "'%s': completing %s transition\n", src: TRANS_TV },
  complete: { fmt: "'%s': %s complete\n", src: TRANS_TV },
  canceling: { fmt: "'%s': canceling patching transition, going to unpatch\n", src: TRANS_TV },
  reversing: { fmt: "'%s': reversing transition from %s\n", src: TRANS_PM },
  patching: { fmt: "patching", src: TRANS_TV },
  unpatching: { fmt: "unpatching", src: TRANS_TV },
  patchingToUnpatching: { fmt: "patching to unpatching", src: TRANS_PM },
  unpatchingToPatching: { fmt: "unpatching to patching", src: TRANS_PM },
  taskRunning: { fmt: "%s: %s:%d is running\n", src: TRANS_PM },
  taskUnreliable: { fmt: "%s: %s:%d has an unreliable stack\n", src: TRANS_PM },
  taskSleeping: { fmt: "%s: %s:%d is sleeping on function %s\n", src: TRANS_PM },
  taskUnknownError: {
    fmt: "%s: Unknown error code (%d) when trying to switch %s:%d\n",
    src: TRANS_PM,
  },
  signaling: { fmt: "signaling remaining tasks\n", src: TRANS_PM },
  forcing: { fmt: "forcing remaining tasks to the patched state\n", src: TRANS_PM },
} as const satisfies Record<string, KernelFormat>;

export type KlpFormatName = keyof typeof KLP_FORMATS;

/** The format strings by name, for the call sites. */
export const KLP_MSG = Object.fromEntries(
  Object.entries(KLP_FORMATS).map(([k, v]) => [k, v.fmt]),
) as { readonly [K in KlpFormatName]: (typeof KLP_FORMATS)[K]["fmt"] };
