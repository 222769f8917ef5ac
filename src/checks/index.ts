import { failsUntrainable } from '../untrainable.js'
import { overfit as overfitCheck, type OverfitOptions } from './overfit.js'
import { monotonic as monotonicCheck, type MonotonicOptions } from './monotonic.js'
import { scaleInvariance as scaleInvarianceCheck, type ScaleOptions } from './scale.js'
import { determinism as determinismCheck } from './deterministic.js'
import { startNearChance as startNearChanceCheck, type ChanceOptions } from './chance.js'
import { updateAllTrainableWeights as updateAllTrainableWeightsCheck, type UpdateOptions } from './updates.js'
import { stayFinite as stayFiniteCheck } from './finite.js'
import { healthyGradients as healthyGradientsCheck, type GradientOptions } from './gradients.js'
import { noDeadUnits as noDeadUnitsCheck, type DeadUnitOptions } from './dead.js'
import { dependOnInput as dependOnInputCheck, type DependenceOptions } from './dependence.js'
import { batchIndependent as batchIndependentCheck, type BatchOptions } from './batch.js'
import { consistentAcrossBackends as consistentAcrossBackendsCheck, type BackendOptions } from './backends.js'
import { acrossSeeds as acrossSeedsCheck, type SeedsOptions } from './seeds.js'
import { reducedPrecision as reducedPrecisionCheck, type PrecisionOptions } from './precision.js'
import { beatsBaseline as beatsBaselineCheck, type BaselineOptions } from './baseline.js'
import { learningRates as learningRatesCheck, type RatesOptions } from './rates.js'
import { generalization as generalizationCheck, type GeneralizeOptions, type TrainValidation } from './generalize.js'
import { probabilities as probabilitiesCheck, type ProbabilityOptions } from './probabilities.js'

// A configuration that cannot learn (C3/C4/C15) fails every check with its cause, before any training.
export const overfit = failsUntrainable('overfit its training samples', overfitCheck)
export const monotonic = failsUntrainable('reduce its loss at every epoch', monotonicCheck)
export const scaleInvariance = failsUntrainable('train alike on rescaled features', scaleInvarianceCheck)
export const determinism = failsUntrainable('train deterministically under one seed', determinismCheck)
export const startNearChance = failsUntrainable('start near its chance loss with an output that fits its loss', startNearChanceCheck)
export const updateAllTrainableWeights = failsUntrainable('update every trainable weight', updateAllTrainableWeightsCheck)
export const stayFinite = failsUntrainable('keep its loss, weights and gradients finite', stayFiniteCheck)
export const healthyGradients = failsUntrainable('have healthy gradients in every layer', healthyGradientsCheck)
export const noDeadUnits = failsUntrainable('train without dead or saturated units', noDeadUnitsCheck)
export const dependOnInput = failsUntrainable('depend on its input', dependOnInputCheck)
export const batchIndependent = failsUntrainable('treat each sample of a batch independently', batchIndependentCheck)
export const consistentAcrossBackends = failsUntrainable('train alike on every backend', consistentAcrossBackendsCheck)
export const acrossSeeds = failsUntrainable('overfit its training samples under every seed', acrossSeedsCheck)
export const reducedPrecision = failsUntrainable('overfit its training samples in float16', reducedPrecisionCheck)
export const beatsBaseline = failsUntrainable('beat the input-independent baseline', beatsBaselineCheck)
export const learningRates = failsUntrainable('train at every learning rate tried', learningRatesCheck)
export const generalization = failsUntrainable('generalize to the validation set', generalizationCheck)
export const probabilities = failsUntrainable('output valid probabilities', probabilitiesCheck)

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
