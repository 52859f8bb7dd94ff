// text.ts: the emulated kernel text: objects (vmlinux, modules) and their functions.
//
// This file lays functions out through kallsyms.ts. (The byte-level entry sites arrive with the
// x86-64/arm64 emulation; see core-wasm/README.md.)

import { EINVAL } from "./shared/errno";
import {
  ARCH_ARM64,
  ARCH_X86_64,
  kallsymsAddFunc,
  kallsymsAddObject,
  kallsymsInit,
  kallsymsRemoveObject,
} from "./kallsyms";

/** text_init flags. */
export const TEXT_X86_IBT: u32 = 1; // endbr64 before the fentry site (CONFIG_X86_KERNEL_IBT)
export const TEXT_ARM64_CALL_OPS: u32 = 2; // CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS
export const TEXT_ARM64_BTI: u32 = 4; // bti c before the patchable NOPs
export const TEXT_ARM64_MODULES_FAR: u32 = 8; // module text out of bl range: calls go via a PLT

/**
 * Starts an empty machine's text for `arch` (0 x86_64, 1 arm64) with `flags`.
 * @returns 0 or a negative errno.
 */
export function text_init(arch: u32, flags: u32): i32 {
  if (arch == ARCH_X86_64) return kallsymsInit(arch, 16, 0, false);
  if (arch == ARCH_ARM64) {
    const callOps = (flags & TEXT_ARM64_CALL_OPS) != 0;
    return kallsymsInit(arch, 8, callOps ? 8 : 0, (flags & TEXT_ARM64_MODULES_FAR) != 0);
  }
  return -EINVAL;
}

/** Creates the text object of a module at load. @returns the object id, or -errno. */
export function text_add_object(): i32 {
  return kallsymsAddObject();
}

/** Adds a traceable function of `size` bytes to object `obj`. @returns its id, or -errno. */
export function text_add_function(obj: u32, size: u32): i32 {
  return kallsymsAddFunc(obj, size);
}

/** Removes a module's text (module unload). @returns 0 or -errno. */
export function text_remove_object(obj: u32): i32 {
  return kallsymsRemoveObject(obj);
}
