export * as checks from './checks/index.js'
export type {
  BackendOptions,
  BatchOptions,
  ChanceOptions,
  DeadUnitOptions,
  DependenceOptions,
  GradientOptions,
  MonotonicOptions,
  OverfitOptions,
  ScaleOptions,
  UpdateOptions,
} from './checks/index.js'
export * as scalers from './scalers.js'
export * as datasets from './datasets.js'
export { withSeed, type SeedScope } from './seed.js'
export { matchers } from '../matchers/matchers.js'
export type { TrainabilityMatchers } from '../matchers/types.js'
export type * from './types.js'
export { diagnose, type Diagnosis, type DiagnoseData } from './diagnose.js'
