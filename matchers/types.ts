import type { BaselineOptions, GeneralizeOptions, MonotonicOptions, OverfitOptions, PrecisionOptions, ProbabilityOptions, RatesOptions, ScaleOptions, SeedsOptions, TrainValidation } from '../src/checks/index.js'
import type { Dataset, RunOptions } from '../src/types.js'

/** The trainability matchers, shared by the vitest and jest type augmentations. All are async: `await` them. */
export interface TrainabilityMatchers<R = unknown> {
  /** C7: memorizes one sample per class (or `dataset`) to loss < `lossBelow` (0.01) and 100% accuracy. */
  toOverfitTinyDataset(dataset?: Dataset | OverfitOptions, options?: OverfitOptions): Promise<R>
  /** C5: full-batch loss never rises by more than `tolerance` between epochs and ends lower. */
  toReduceLossMonotonically(dataset: Dataset, options?: MonotonicOptions): Promise<R>
  /** C1: final loss and accuracy stay within `tolerance` when raw features are rescaled or shifted. */
  toBeScaleInvariant(dataset: Dataset, options?: ScaleOptions): Promise<R>
  /** Two runs under one seed give identical loss curves and weights. */
  toTrainDeterministically(dataset?: Dataset | RunOptions, options?: RunOptions): Promise<R>
  /** C11: the overfit test passes under at least `minSuccessRate` (1) of `seeds` (five from the run's seed). */
  toTrainAcrossSeeds(dataset?: Dataset | SeedsOptions, options?: SeedsOptions): Promise<R>
  /** C12: the overfit test passes with weights and activations rounded to `bits` (16: emulated float16). */
  toSurviveReducedPrecision(dataset?: Dataset | PrecisionOptions, options?: PrecisionOptions): Promise<R>
  /** C7/C8: after training, beats the majority class (accuracy) or mean(y) (loss) on the training data by `margin` (0.1) of its error. */
  toBeatBaseline(dataset: Dataset, options?: BaselineOptions): Promise<R>
  /** C5/C6: at each of `rates` (the model's own ÷3, ×1, ×3) the loss falls by `minDrop` (5%) and never diverges. */
  toTolerateLearningRates(dataset?: Dataset | RatesOptions, options?: RatesOptions): Promise<R>
  /** C13: trained on `train`, validation loss stays within `maxGap` (0.1) of training loss at every epoch. */
  toGeneralize(data: TrainValidation, options?: GeneralizeOptions): Promise<R>
  /** C3: outputs in [0, 1] and softmax rows summing to 1 (within `tolerance` 1e-5) at initialization, after training and on inputs ×100. */
  toOutputValidProbabilities(dataset?: Dataset | ProbabilityOptions, options?: ProbabilityOptions): Promise<R>
}
