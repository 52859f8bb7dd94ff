// index.ts: the engine's public API.
import { Machine, type MachineOptions } from "./machine/machine.ts";

export type { EngineEvent, EventBody, SwitchReason, TransitionPhase } from "./events.ts";
export type {
  KlpCallbacks,
  KlpFuncDef,
  KlpObjectDef,
  KlpObjectView,
  KlpPatchDef,
  KlpStateDef,
} from "./livepatch/api.ts";
export {
  done,
  type KCode,
  type KStep,
  msleep,
  msleepInterruptible,
  waitInterruptible,
} from "./machine/kcode.ts";
export { type KFunc, Machine, type MachineOptions, type Semantics } from "./machine/machine.ts";
export {
  type LoadedModule,
  ModuleCtx,
  type ModuleDef,
  type ModuleFuncDef,
  type ModuleState,
} from "./machine/module.ts";
export type { ParamDef, ParamType } from "./machine/params.ts";
export type { Task, TaskKind } from "./machine/task.ts";
export type { SeqFile } from "./machine/vmlinux.ts";

/** Boots a fresh machine: 2 CPUs, their idle tasks, init, kthreadd, kworkers and a root shell. */
export function createMachine(opts: MachineOptions): Promise<Machine> {
  return Machine.create(opts);
}
