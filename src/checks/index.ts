import { consistentAcrossBackends as backendsCheck } from './backends.js'
import { beatsBaseline as baselineCheck } from './baseline.js'
import { batchIndependent as batchCheck } from './batch.js'
import { startNearChance as chanceCheck } from './chance.js'
import { noDeadUnits as deadCheck } from './dead.js'
import { dependOnInput as dependenceCheck } from './dependence.js'
import { determinism as determinismCheck } from './deterministic.js'
import { stayFinite as finiteCheck } from './finite.js'
import { generalization as generalizeCheck } from './generalize.js'
import { healthyGradients as gradientsCheck } from './gradients.js'
import { monotonic as monotonicCheck } from './monotonic.js'
import { overfit as overfitCheck } from './overfit.js'
import { reducedPrecision as precisionCheck } from './precision.js'
import { probabilities as probabilitiesCheck } from './probabilities.js'
import { learningRates as ratesCheck } from './rates.js'
import { scaleInvariance as scaleCheck } from './scale.js'
import { acrossSeeds as seedsCheck } from './seeds.js'
import { updateAllTrainableWeights as updatesCheck } from './updates.js'

// Each is its descriptor's `check`: arguments parsed, defaults filled, an untrainable configuration failed with its cause.
export const overfit = overfitCheck.check
export const monotonic = monotonicCheck.check
export const scaleInvariance = scaleCheck.check
export const determinism = determinismCheck.check
export const startNearChance = chanceCheck.check
export const updateAllTrainableWeights = updatesCheck.check
export const stayFinite = finiteCheck.check
export const healthyGradients = gradientsCheck.check
export const noDeadUnits = deadCheck.check
export const dependOnInput = dependenceCheck.check
export const batchIndependent = batchCheck.check
export const consistentAcrossBackends = backendsCheck.check
export const acrossSeeds = seedsCheck.check
export const reducedPrecision = precisionCheck.check
export const beatsBaseline = baselineCheck.check
export const learningRates = ratesCheck.check
export const generalization = generalizeCheck.check
export const probabilities = probabilitiesCheck.check

export { type OverfitOptions } from './overfit.js'
export { type MonotonicOptions } from './monotonic.js'
export { type ScaleOptions } from './scale.js'
export { type ChanceOptions } from './chance.js'
export { type UpdateOptions } from './updates.js'
export { type GradientOptions } from './gradients.js'
export { type DeadUnitOptions } from './dead.js'
export { type DependenceOptions } from './dependence.js'
export { type BatchOptions } from './batch.js'
export { type BackendOptions } from './backends.js'
export { type SeedsOptions } from './seeds.js'
export { type PrecisionOptions } from './precision.js'
export { type BaselineOptions } from './baseline.js'
export { type RatesOptions } from './rates.js'
export { type GeneralizeOptions, type TrainValidation } from './generalize.js'
export { type ProbabilityOptions } from './probabilities.js'
