import type * as C from '../src/checks/index.js'
import type { Dataset, RunOptions } from '../src/types.js'
import type { Descriptor } from '../src/checks/registry.js'
import type { ArgsOf } from './matchers.js'

/** The trainability matchers, shared by the vitest and jest type augmentations. All are async: `await` them. */
export interface TrainabilityMatchers<R = unknown> {
  /** C7: memorizes one sample per class (or `dataset`) to loss < `lossBelow` (0.01) and 100% accuracy. */
  toOverfitTinyDataset(dataset?: Dataset | C.OverfitOptions, options?: C.OverfitOptions): Promise<R>
  /** C5: full-batch loss never rises by more than `tolerance` between epochs and ends lower. */
  toReduceLossMonotonically(dataset: Dataset, options?: C.MonotonicOptions): Promise<R>
  /** C1: final loss and accuracy stay within `tolerance` when raw features are rescaled or shifted. */
  toBeScaleInvariant(dataset: Dataset, options?: C.ScaleOptions): Promise<R>
  /** Two runs under one seed give identical loss curves and weights. */
  toTrainDeterministically(dataset?: Dataset | RunOptions, options?: RunOptions): Promise<R>
  /** C3/C4: initial loss within `tolerance` (0.5) of chance (ln 2, ln C, var(y)) and an output that fits the loss. */
  toStartNearChanceLoss(dataset?: Dataset | C.ChanceOptions, options?: C.ChanceOptions): Promise<R>
  /** C15: after `steps` (5) steps every trainable variable changed and no frozen one did. */
  toUpdateAllTrainableWeights(dataset?: Dataset | C.UpdateOptions, options?: C.UpdateOptions): Promise<R>
  /** C5: loss, weights and gradients stay finite; names the first epoch and variable that did not. */
  toStayFinite(dataset?: Dataset | RunOptions, options?: RunOptions): Promise<R>
  /** C10: per-layer gradient norms in [`min`, `max`] with a spread ≤ `maxRatio` at the first step. */
  toHaveHealthyGradients(dataset?: Dataset | C.GradientOptions, options?: C.GradientOptions): Promise<R>
  /** C9: dead ReLU / saturated sigmoid-tanh units below `maxFraction` (0.5) in every hidden layer. */
  toHaveNoDeadUnits(dataset?: Dataset | C.DeadUnitOptions, options?: C.DeadUnitOptions): Promise<R>
  /** C8: after training, predictions vary across inputs and each output unit's input gradient is not ~0. */
  toDependOnInput(dataset?: Dataset | C.DependenceOptions, options?: C.DependenceOptions): Promise<R>
  /** C16: ∂output_i/∂x_j = 0 for j ≠ i within a batch, for every output unit. */
  toBeBatchIndependent(dataset?: Dataset | C.BatchOptions, options?: C.BatchOptions): Promise<R>
  /** The same seeded run on tensorflow and cpu gives loss curves within `tolerance` (1e-3); throws, saying how to get it, when one is absent (skip with `backendsAvailable()`). */
  toTrainConsistentlyAcrossBackends(dataset?: Dataset | C.BackendOptions, options?: C.BackendOptions): Promise<R>
  /** C11: the overfit test passes under at least `minSuccessRate` (1) of `seeds` (five from the run's seed). */
  toTrainAcrossSeeds(dataset?: Dataset | C.SeedsOptions, options?: C.SeedsOptions): Promise<R>
  /** C12: the overfit test passes with weights and activations rounded to `bits` (16: emulated float16). */
  toSurviveReducedPrecision(dataset?: Dataset | C.PrecisionOptions, options?: C.PrecisionOptions): Promise<R>
  /** C7/C8: after training, beats the majority class (accuracy) or mean(y) (loss) on the training data by `margin` (0.1) of its error. */
  toBeatBaseline(dataset: Dataset, options?: C.BaselineOptions): Promise<R>
  /** C5/C6: at each of `rates` (the model's own ÷3, ×1, ×3) the loss falls by `minDrop` (5%) and never diverges. */
  toTolerateLearningRates(dataset?: Dataset | C.RatesOptions, options?: C.RatesOptions): Promise<R>
  /** C13: trained on `train`, validation loss stays within `maxGap` (0.1) of training loss at every epoch. */
  toGeneralize(data: C.TrainValidation, options?: C.GeneralizeOptions): Promise<R>
  /** C3: outputs in [0, 1] and softmax rows summing to 1 (within `tolerance` 1e-5) at initialization, after training and on inputs ×100. */
  toOutputValidProbabilities(dataset?: Dataset | C.ProbabilityOptions, options?: C.ProbabilityOptions): Promise<R>
}

/** True when A and B are the same type (not merely assignable either way, which method parameters allow). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false

/**
 * Ties the interface above to the checks: a matcher added, removed or given other arguments in `src/checks/` and not
 * here (or the reverse) stops this file from compiling, as vitest's `MatchersObject` ties `expect.extend` to its types.
 */
export type MatchersFollowDescriptors = Assert<
  Equal<{ [K in keyof TrainabilityMatchers]: Parameters<TrainabilityMatchers[K]> }, { [D in Descriptor as D['matcher']]: ArgsOf<D> }>
>
type Assert<T extends true> = T
