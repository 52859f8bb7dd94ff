// index.ts: side-by-side comparison of two runs of one scenario.
export { SETUP_STEP, stepOfEvents, type RunSide, type StepMark } from "./align.ts";
export {
  divergences,
  type Change,
  type Divergence,
  type DivergenceKind,
  type StepOutcomeText,
} from "./divergence.ts";
export {
  compareScenario,
  type Comparison,
  type Configuration,
  type ScenarioRunner,
} from "./compare.ts";
export { shadowSubject, shadowSubjects, signatureOf, subjectOf } from "./subject.ts";
export { summarise } from "./summary.ts";
