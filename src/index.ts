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
export * as arbitraries from './arbitraries/index.js'
export { withSeed, type SeedScope } from './seed.js'
export { backendsAvailable } from './backend.js'
export { matchers } from '../matchers/matchers.js'
export type { TrainabilityMatchers } from '../matchers/types.js'
export type * from './types.js'
export { diagnose, type Diagnosis, type DiagnoseData } from './diagnose.js'
