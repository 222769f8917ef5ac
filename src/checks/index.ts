export { overfit, type OverfitOptions } from './overfit.js'
export { monotonic, type MonotonicOptions } from './monotonic.js'
export { scaleInvariance, type ScaleOptions } from './scale.js'
export { determinism } from './deterministic.js'
