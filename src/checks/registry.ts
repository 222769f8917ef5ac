import { consistentAcrossBackends } from './backends.js'
import { beatsBaseline } from './baseline.js'
import { batchIndependent } from './batch.js'
import { startNearChance } from './chance.js'
import { noDeadUnits } from './dead.js'
import { dependOnInput } from './dependence.js'
import { determinism } from './deterministic.js'
import { stayFinite } from './finite.js'
import { generalization } from './generalize.js'
import { healthyGradients } from './gradients.js'
import { monotonic } from './monotonic.js'
import { overfit } from './overfit.js'
import { reducedPrecision } from './precision.js'
import { probabilities } from './probabilities.js'
import { learningRates } from './rates.js'
import { scaleInvariance } from './scale.js'
import { acrossSeeds } from './seeds.js'
import { updateAllTrainableWeights } from './updates.js'

/** Every check, once: the matchers, `checks.*` and the doctor's checklist are built from this list. */
export const DESCRIPTORS = [
  overfit,
  monotonic,
  scaleInvariance,
  determinism,
  startNearChance,
  updateAllTrainableWeights,
  stayFinite,
  healthyGradients,
  noDeadUnits,
  dependOnInput,
  batchIndependent,
  consistentAcrossBackends,
  acrossSeeds,
  reducedPrecision,
  beatsBaseline,
  learningRates,
  generalization,
  probabilities,
] as const

export type Descriptor = (typeof DESCRIPTORS)[number]
