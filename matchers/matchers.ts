import { acrossSeeds, beatsBaseline, determinism, generalization, learningRates, monotonic, overfit, probabilities, reducedPrecision, scaleInvariance } from '../src/checks/index.js'
import { toMatcher } from './adapter.js'

/** Pass to `expect.extend(matchers)`; the `trainability/vitest` and `trainability/jest` entries do it for you. */
export const matchers = {
  toOverfitTinyDataset: toMatcher('toOverfitTinyDataset', overfit),
  toReduceLossMonotonically: toMatcher('toReduceLossMonotonically', monotonic),
  toBeScaleInvariant: toMatcher('toBeScaleInvariant', scaleInvariance),
  toTrainDeterministically: toMatcher('toTrainDeterministically', determinism),
  toTrainAcrossSeeds: toMatcher('toTrainAcrossSeeds', acrossSeeds),
  toSurviveReducedPrecision: toMatcher('toSurviveReducedPrecision', reducedPrecision),
  toBeatBaseline: toMatcher('toBeatBaseline', beatsBaseline),
  toTolerateLearningRates: toMatcher('toTolerateLearningRates', learningRates),
  toGeneralize: toMatcher('toGeneralize', generalization),
  toOutputValidProbabilities: toMatcher('toOutputValidProbabilities', probabilities),
}
