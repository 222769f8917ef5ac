import {
  batchIndependent,
  consistentAcrossBackends,
  dependOnInput,
  determinism,
  healthyGradients,
  monotonic,
  noDeadUnits,
  overfit,
  scaleInvariance,
  startNearChance,
  stayFinite,
  updateAllTrainableWeights,
} from '../src/checks/index.js'
import { toMatcher } from './adapter.js'

/** Pass to `expect.extend(matchers)`; the `trainability/vitest` and `trainability/jest` entries do it for you. */
export const matchers = {
  toOverfitTinyDataset: toMatcher('toOverfitTinyDataset', overfit),
  toReduceLossMonotonically: toMatcher('toReduceLossMonotonically', monotonic),
  toBeScaleInvariant: toMatcher('toBeScaleInvariant', scaleInvariance),
  toTrainDeterministically: toMatcher('toTrainDeterministically', determinism),
  toStartNearChanceLoss: toMatcher('toStartNearChanceLoss', startNearChance),
  toUpdateAllTrainableWeights: toMatcher('toUpdateAllTrainableWeights', updateAllTrainableWeights),
  toStayFinite: toMatcher('toStayFinite', stayFinite),
  toHaveHealthyGradients: toMatcher('toHaveHealthyGradients', healthyGradients),
  toHaveNoDeadUnits: toMatcher('toHaveNoDeadUnits', noDeadUnits),
  toDependOnInput: toMatcher('toDependOnInput', dependOnInput),
  toBeBatchIndependent: toMatcher('toBeBatchIndependent', batchIndependent),
  toTrainConsistentlyAcrossBackends: toMatcher('toTrainConsistentlyAcrossBackends', consistentAcrossBackends),
}
