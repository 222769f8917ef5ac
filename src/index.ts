export * as checks from './checks/index.js'
export type {
  BackendOptions,
  BaselineOptions,
  BatchOptions,
  ChanceOptions,
  DeadUnitOptions,
  DependenceOptions,
  GeneralizeOptions,
  GradientOptions,
  MonotonicOptions,
  OverfitOptions,
  PrecisionOptions,
  ProbabilityOptions,
  RatesOptions,
  ScaleOptions,
  SeedsOptions,
  TrainValidation,
  UpdateOptions,
} from './checks/index.js'
export * as scalers from './scalers.js'
export * as datasets from './datasets.js'
export { withSeed, type SeedScope } from './seed.js'
export { backendsAvailable } from './backend.js'
export { matchers } from '../matchers/matchers.js'
export type { TrainabilityMatchers } from '../matchers/types.js'
export type * from './types.js'
// What `Finding.kind` and `Finding.params` hold: the cause kinds of the catalogue, so that users can filter findings by kind.
export type { CauseKind, CauseParams } from './findings/catalogue.js'
export { diagnose, type Diagnosis, type DiagnoseData } from './diagnose.js'
// What `Diagnosis.evidence` holds, so that users can name it and the types inside it.
export type { Evidence } from './probes/evidence.js'
export type { ActivationStat } from './probes/activations.js'
export type { LayerGradient } from './probes/gradients.js'
export type { InferenceCurve } from './probes/noise.js'
export type { GradientTarget, Sensitivity } from './probes/sensitivity.js'
export type { WeightChange } from './probes/weights.js'
