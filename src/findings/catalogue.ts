import { fmt, fmtRate } from '../format.js'
import type { ChecklistId, Finding, Severity, Task } from '../types.js'
import { remedies, type Fix, type FixContext } from './fixes.js'
import { listCreatedVariables, unfreezeWeights } from './frozen-fixes.js'
import { divergedFix, overshootFix, raise } from './rate.js'

// The one catalogue of causes: every finding is built here, by the constructor of its kind (`cause.deadRelu(evidence)`),
// which owns its checklist id, title, severity, score, fix text and mechanical fix. The rules (this folder) and the
// checks pass only the evidence, the numbers that earned it, and the typed parameters its title and fixes are written
// from. Code tells findings apart by `kind`, never by title.
//
// Adding a cause kind is one entry in CATALOGUE below: `myKind: spec<{ ...params }>({ id, title, severity, score, fix,
// remedy? , blocks? })`; then `cause.myKind(evidence, params)` builds it and `fixFor` applies its remedy.

/**
 * The score: how directly the evidence implicates the cause, ranking findings within a severity (rank.ts), higher first.
 *
 *   10  a controlled comparison isolated it: the same run with only this changed behaves (features rescaled, float32)
 *    9  the configuration cannot learn as given (it blocks the run), or the check watched the run go non-finite
 *    8  a direct measurement of the failure itself: a non-finite loss, labels broadcast against every prediction
 *  5–7  a probe measured this cause's own mechanism: dead units, identical kernels, samples leaking, weights not moving,
 *       a loss that does not fit the output activation
 *  3–4  a reading of the loss curve or the outputs that this cause explains best among a few
 *  1–2  circumstantial: consistent with this cause and with others (a rising curve, outputs that collapsed while training)
 *   <1  a suggestion rather than a cause (the loss was still falling when the budget ran out)
 *
 * A kind whose evidence comes in degrees scores by them within its band (C1 by the number of scale problems, C5 by the
 * share of epochs the loss rose, C6 by how little the loss moved).
 */
type Score = number

/** A value of a cause kind: fixed, or written from the kind's parameters. */
type Of<P, T> = T | ((params: P) => T)

interface Spec<P> {
  id: ChecklistId
  title: Of<P, string>
  severity: Of<P, Severity>
  score: Of<P, Score>
  fix: Of<P, string>
  /** The fix verification applies to the failing run (fixes.ts), when the cause has a mechanical one. */
  remedy?: (params: P, ctx: FixContext) => Fix | undefined
  /** The configuration cannot learn at all: the check fails on it without training (run.ts). */
  blocks?: true
}

const spec = <P = undefined>(s: Spec<P>): Spec<P> => s

const lowerRate = (_: unknown, ctx: FixContext): Fix | undefined => remedies.lowerRate(ctx)
const raiseRate = (_: unknown, ctx: FixContext): Fix | undefined => remedies.raiseRate(ctx)
const standardize = (_: unknown, ctx: FixContext): Fix | undefined => remedies.standardize(ctx)
const matchingOutput = (_: unknown, ctx: FixContext): Fix | undefined => remedies.matchingOutput(ctx)
const reinitialize = (_: unknown, ctx: FixContext): Fix | undefined => remedies.reinitialize(ctx)
const float32 = (_: unknown, ctx: FixContext): Fix | undefined => remedies.float32(ctx)
const moreCapacity = (_: unknown, ctx: FixContext): Fix | undefined => remedies.moreCapacity(ctx)

const RATE_TOO_HIGH = 'learning rate too high'
const LOSS_ACTIVATION = 'loss/activation mismatch'
const NO_GRADIENT = 'gradients ≈ 0: the loss cannot move at any learning rate'
const STANDARDIZE = 'standardize the features: { model, preprocess: scalers.standard() }'

type Lr = { lr: number | undefined }

export const CATALOGUE = {
  // C1: features on different scales
  unscaledFeatures: spec<{ problems: number; extreme: boolean }>({
    id: 'C1', title: 'unscaled features', severity: (p) => (p.extreme ? 'error' : 'warning'), score: (p) => p.problems + (p.extreme ? 3 : 0),
    fix: STANDARDIZE, remedy: standardize,
  }),
  scaleSensitive: spec({
    id: 'C1', title: 'unscaled features', severity: 'error', score: 10,
    fix: `${STANDARDIZE}, or scalers.robust() with outliers`, remedy: standardize,
  }),
  // Standardizing the features does not move the targets: its fix is the output bias, which needs the user's code.
  targetsOffCenter: spec<{ meanLabel: number }>({
    id: 'C1', title: 'targets far from the untrained output', severity: 'error', score: 4,
    fix: (p) => `start the output bias at mean(y) (biasInitializer: tf.initializers.constant({ value: ${fmt(p.meanLabel)} })), or standardize the targets`,
  }),
  /** Inputs whose second moment alone puts the step past stability, behind a diverging loss (curvature.ts). */
  inputsOffUnitScale: spec({
    id: 'C1', title: 'inputs far from unit scale', severity: 'error', score: 4, fix: STANDARDIZE, remedy: standardize,
  }),

  // C2: outliers
  outliers: spec({
    id: 'C2', title: 'outliers dominate the gradient', severity: 'error', score: 5,
    fix: 'scale with scalers.robust(), or clip or remove the outliers', remedy: (_, ctx) => remedies.robustScale(ctx),
  }),
  /** Far regression targets under a squared error (targets.ts): fixed in the targets or the loss, not by scaling x. */
  targetOutliers: spec({
    id: 'C2', title: 'outlying targets dominate the squared error', severity: 'error', score: 5,
    fix: 'check the targets\' units (a few entered ×100, a sentinel for missing), or train with a robust loss: tf.losses.huberLoss or meanAbsoluteError',
  }),

  // C3: loss / output activation mismatch
  softmaxOverOneUnit: spec<{ task: Task }>({
    id: 'C3', title: 'softmax over one unit', severity: 'error', score: 9, blocks: true, remedy: matchingOutput,
    fix: (p) => (p.task === 'regression' ? "use activation 'linear' (the default) for a regression output" : "use activation 'sigmoid' for one output unit"),
  }),
  normalizedOverOneUnit: spec<{ loss: string }>({
    id: 'C3', title: (p) => `${p.loss} on one output unit`, severity: 'error', score: 9, blocks: true, remedy: matchingOutput,
    fix: "for two classes use one sigmoid unit with 'binaryCrossentropy'; for C classes use C softmax units",
  }),
  activationAppliedTwice: spec<{ loss: string }>({
    id: 'C3', title: LOSS_ACTIVATION, severity: 'error', score: 6, remedy: matchingOutput,
    fix: (p) => `use activation 'linear' on the output, or loss '${/sigmoid/i.test(p.loss) ? 'binaryCrossentropy' : 'categoricalCrossentropy'}' on probabilities`,
  }),
  softmaxForIndependentLabels: spec({
    id: 'C3', title: LOSS_ACTIVATION, severity: 'error', score: 6, remedy: matchingOutput,
    fix: "use activation 'sigmoid' for independent labels, or loss 'categoricalCrossentropy' for one class per sample",
  }),
  notSigmoidForBinaryLoss: spec({
    id: 'C3', title: LOSS_ACTIVATION, severity: 'error', score: 6, remedy: matchingOutput,
    fix: "add activation 'sigmoid' to the output layer (or keep it linear and use tf.losses.sigmoidCrossEntropy)",
  }),
  notSoftmaxForCategoricalLoss: spec({
    id: 'C3', title: LOSS_ACTIVATION, severity: 'error', score: 6, remedy: matchingOutput,
    fix: "use activation 'softmax' on the output layer",
  }),
  probabilitiesForHinge: spec({
    id: 'C3', title: LOSS_ACTIVATION, severity: 'error', score: 6, remedy: matchingOutput,
    fix: "use activation 'linear' or 'tanh' on the output",
  }),
  lossForAnotherTask: spec<{ task: Task }>({
    id: 'C3', title: 'loss does not match the task', severity: 'warning', score: 1, remedy: matchingOutput,
    fix: (p) => (p.task === 'binary' ? "use loss 'binaryCrossentropy' with a sigmoid output" : "use loss 'categoricalCrossentropy' with a softmax output"),
  }),
  probabilitiesScoredAsLogits: spec({
    id: 'C3', title: LOSS_ACTIVATION, severity: 'error', score: 6, remedy: matchingOutput,
    fix: 'return logits from predict for tf.losses.softmaxCrossEntropy / sigmoidCrossEntropy, or score the probabilities with a cross-entropy on probabilities',
  }),
  initialLossAboveChance: spec<{ task: Task; trainedBelowChance: boolean }>({
    id: 'C3', title: 'initial loss far above chance', severity: (p) => (p.trainedBelowChance ? 'info' : 'warning'), score: 2, remedy: matchingOutput,
    fix: (p) => (p.task === 'regression'
      ? 'start the output bias at mean(y), or standardize the targets'
      : 'start the output bias at the label prior or zero, and check the output activation'),
  }),
  initialLossFromChance: spec({
    id: 'C3', title: 'initial loss far from chance', severity: 'error', score: 4, remedy: matchingOutput,
    fix: 'check the output activation against the loss, the label encoding, and the output bias initializer',
  }),
  lossFloor: spec({
    id: 'C3', title: 'the loss has a floor above 0', severity: 'error', score: 3, remedy: matchingOutput,
    fix: 'apply the output activation once: no softmax or sigmoid before a loss that applies its own (softmaxCrossEntropy, sigmoidCrossEntropy)',
  }),
  probabilitiesOverflow: spec({
    id: 'C3', title: 'probabilities overflow', severity: 'error', score: 4, remedy: matchingOutput,
    fix: 'compute the softmax as tf.softmax(logits), or subtract each row\'s max before exp',
  }),
  outputsLogits: spec({
    id: 'C3', title: 'the model outputs logits', severity: 'error', score: 3, remedy: matchingOutput,
    fix: 'apply tf.sigmoid / tf.softmax to the predictions before using them as probabilities',
  }),
  linearOutputForProbabilities: spec<{ units: number }>({
    id: 'C3', title: LOSS_ACTIVATION, severity: 'error', score: 3, remedy: matchingOutput,
    fix: (p) => `add activation '${p.units > 1 ? 'softmax' : 'sigmoid'}' to the output layer`,
  }),
  notProbabilities: spec({
    id: 'C3', title: 'outputs are not probabilities', severity: 'error', score: 3, remedy: matchingOutput,
    fix: 'end predict with tf.sigmoid (one output) or tf.softmax (several)',
  }),
  rowsNotNormalized: spec({
    id: 'C3', title: 'softmax does not normalize each row', severity: 'error', score: 4, remedy: matchingOutput,
    fix: 'normalize over the last axis: tf.softmax(logits), or exp(z) / tf.sum(exp(z), -1, true)',
  }),

  // C4: labels in the wrong format for the loss (config.ts); the label encodings block the run
  oneHotForSparseLoss: spec({
    id: 'C4', title: 'labels are one-hot rows, the loss wants class ids', severity: 'error', score: 9, blocks: true,
    fix: "use loss 'categoricalCrossentropy' with these rows, or pass class ids (y.argMax(-1))",
  }),
  classIdsForOneHotLoss: spec<{ units: number }>({
    id: 'C4', title: 'labels are class indices, the loss wants one-hot rows', severity: 'error', score: 9, blocks: true,
    fix: (p) => `one-hot encode the labels (tf.oneHot(labels, ${p.units})) or use loss 'sparseCategoricalCrossentropy'`,
  }),
  classIdsOutOfRange: spec<{ units: number; max: number; fromOne: boolean }>({
    id: 'C4', title: (p) => `class ids outside 0..${p.units - 1}`, severity: 'error', score: 9, blocks: true,
    fix: (p) => (p.fromOne ? 'subtract 1 from the labels so that they start at 0' : `use as many output units as classes (${p.max + 1}), or remap the ids to 0..${p.units - 1}`),
  }),
  signLabelsForBinaryLoss: spec({
    id: 'C4', title: 'labels are -1/1, the loss wants 0/1', severity: 'error', score: 9, blocks: true,
    fix: 'map them to 0/1: y.add(1).div(2)',
  }),
  classIdsForBinaryLoss: spec<{ max: number }>({
    id: 'C4', title: 'labels are class ids, the loss wants 0/1', severity: 'error', score: 9, blocks: true,
    fix: (p) => `for ${p.max + 1} classes use ${p.max + 1} softmax output units with loss 'sparseCategoricalCrossentropy'`,
  }),
  labelsOutsideUnitRange: spec({
    id: 'C4', title: 'labels outside [0, 1]', severity: 'error', score: 9, blocks: true,
    fix: 'rescale the targets into [0, 1], or use a regression loss such as meanSquaredError',
  }),
  labelsNotProbabilityRows: spec<{ units: number }>({
    id: 'C4', title: 'labels are not probability rows', severity: 'error', score: 9, blocks: true,
    fix: (p) => `one-hot encode the labels (tf.oneHot(labels, ${p.units}))`,
  }),
  labelsNotOneHot: spec<{ rowSum: number }>({
    id: 'C4', title: 'labels are not one-hot rows', severity: 'error', score: 9, blocks: true,
    fix: (p) => (p.rowSum > 1 ? "for several labels per sample use sigmoid outputs with 'binaryCrossentropy'; for one class per sample one-hot encode it" : 'give every sample exactly one class (tf.oneHot)'),
  }),
  binaryLabelsForHinge: spec({
    id: 'C4', title: 'labels are 0/1, the loss wants -1/1', severity: 'error', score: 9, blocks: true,
    fix: "map the labels to -1/1 (y.mul(2).sub(1)), or use 'binaryCrossentropy' with a sigmoid output",
  }),
  labelsShapedUnlikePredictions: spec<{ prediction: readonly number[] }>({
    id: 'C4', title: 'labels shaped unlike the predictions', severity: 'error', score: 8,
    fix: (p) => `give y the prediction's shape (y.reshape([${p.prediction.map((d, i) => (i === 0 ? -1 : d)).join(', ')}])), or reshape inside the loss`,
    remedy: (p, ctx) => remedies.reshapeTargets(p.prediction, ctx),
  }),

  // C5: learning rate too high
  divergedLoss: spec<Lr>({ id: 'C5', title: RATE_TOO_HIGH, severity: 'error', score: 8, fix: (p) => divergedFix(p.lr), remedy: lowerRate }),
  risingLoss: spec<Lr>({ id: 'C5', title: RATE_TOO_HIGH, severity: 'error', score: 2, fix: (p) => overshootFix(p.lr), remedy: lowerRate }),
  /** `share`: the share of epoch-to-epoch moves that went up. */
  oscillatingLoss: spec<Lr & { share: number }>({ id: 'C5', title: RATE_TOO_HIGH, severity: 'error', score: (p) => 1 + p.share, fix: (p) => overshootFix(p.lr), remedy: lowerRate }),
  /** toTolerateLearningRates: the lowest rate tried that diverges, and the highest below it that trains. */
  divergesAtRate: spec<{ rate: number; safe: number | undefined }>({
    id: 'C5', title: RATE_TOO_HIGH, severity: 'error', score: 3, remedy: lowerRate,
    fix: (p) => (p.safe !== undefined ? `keep lr ≤ ${fmt(p.safe)}, or clip gradients / use an adaptive optimizer` : `lower the learning rate below ${fmt(p.rate)}`),
  }),
  nonFinite: spec<Lr>({
    id: 'C5', title: 'training diverges to NaN/Infinity', severity: 'error', score: 9, remedy: lowerRate,
    fix: (p) => `${p.lr === undefined ? 'lower the learning rate' : `try lr ${fmt(p.lr / 10)}`}, clip gradients, or guard log/division against 0`,
  }),
  numericDrift: spec({
    id: 'C5', title: 'training amplifies numeric differences', severity: 'warning', score: 1, remedy: lowerRate,
    fix: 'lower the learning rate, or raise the tolerance if last-digit drift is expected',
  }),

  // C6: learning rate too low, or too few epochs
  /** `moved`: the share of the first loss the run removed. */
  rateTooLow: spec<Lr & { moved: number }>({
    id: 'C6', title: 'learning rate too low', severity: 'error', score: (p) => 1 - p.moved, remedy: raiseRate,
    fix: (p) => (p.lr === undefined ? 'raise the learning rate or train longer' : `${raise(p.lr, p.moved)}, or train longer`),
  }),
  /** Stalled far from fitted with the gradient as large as ever: steps too short to move it (a decaying Adagrad). */
  crawlingLoss: spec<Lr & { moved: number }>({
    id: 'C6', title: 'learning rate too low', severity: 'error', score: (p) => 1 - p.moved, remedy: raiseRate,
    fix: (p) => (p.lr === undefined ? 'raise the learning rate or train longer' : `${raise(p.lr, p.moved)}, or an optimizer whose rate does not decay (adam)`),
  }),
  stillFalling: spec<Lr>({
    id: 'C6', title: 'learning rate too low or too few epochs', severity: 'info', score: 0.5, remedy: raiseRate,
    fix: (p) => (p.lr === undefined ? 'raise the learning rate or the epoch budget' : `try lr ${fmtRate(p.lr * 3)}, or raise maxEpochs`),
  }),
  /** toTolerateLearningRates: the lowest rate above the stalled ones that trains. */
  stallsAtRate: spec<{ works: number | undefined }>({
    id: 'C6', title: 'learning rate too low', severity: 'error', score: 2, remedy: raiseRate,
    fix: (p) => (p.works !== undefined ? `use lr ≥ ${fmt(p.works)}, or train longer` : 'raise the learning rate or train longer'),
  }),

  // C7: cannot overfit
  cannotOverfit: spec({
    id: 'C7', title: 'cannot overfit the training samples', severity: 'error', score: 3, remedy: moreCapacity,
    fix: 'give the model more capacity: more units, layers or a non-linearity; or check that the labels are learnable',
  }),
  /** A candidate until the wider model under the same seed succeeds (capacity.ts, candidates.ts). */
  tooLittleCapacity: spec({
    id: 'C7', title: 'the loss levels off far above 0: too little capacity', severity: 'warning', score: 3, remedy: moreCapacity,
    fix: 'give the model more capacity: more units, or a hidden layer with a non-linear activation',
  }),

  // C8: outputs ignore the input
  /** No gradient reaches the output from the input, from initialization on: a cause, never a symptom (order.ts). */
  inputCutOff: spec({
    id: 'C8', title: 'the input does not reach the output', severity: 'error', score: 4,
    fix: 'connect the input to the output: look for frozen or zeroed layers',
  }),
  /**
   * Every training input the same, bit for bit (identical.ts): a cause, never a symptom (order.ts). Scored above every
   * rule that reads the training: all they can see is this cause's consequence.
   */
  identicalInputs: spec({
    id: 'C8', title: 'every training input is the same', severity: 'error', score: 8,
    fix: 'check the code that builds x: a lookup that maps every token to one id (case, out-of-vocabulary), one row object pushed repeatedly, a division that rounds every value to 0',
  }),
  sameOutput: spec<{ oneClass: boolean }>({
    id: 'C8', title: (p) => `predicts the same ${p.oneClass ? 'class' : 'output'} for every input`, severity: 'error', score: 2,
    fix: 'the output ignores the input: look for dead or zero-initialized hidden units (C9, C11), check the learning rate, standardize the inputs, and check the labels are not all one class',
  }),
  noGradient: spec({
    id: 'C8', title: NO_GRADIENT, severity: 'error', score: 3,
    fix: 'check that the output depends on the weights and the input: no saturated output, no zeroed or constant input',
  }),

  // C9: dead or saturated units
  deadRelu: spec({
    id: 'C9', title: 'dead ReLU units', severity: 'error', score: 6, remedy: reinitialize,
    fix: 'lower the learning rate, use leakyReLU/elu, or start biases at 0 with he initialization',
  }),
  saturatedUnits: spec<{ activation: string }>({
    id: 'C9', title: (p) => `saturated ${p.activation} units`, severity: 'warning', score: 3, remedy: reinitialize,
    fix: 'standardize the inputs (scalers.standard()) and use a smaller initialization, or switch to relu',
  }),

  // C10: vanishing or exploding gradients
  explodingGradients: spec({
    id: 'C10', title: 'exploding gradients', severity: 'error', score: 5, remedy: reinitialize,
    fix: 'use a smaller initialization such as glorotUniform, standardize the inputs, or clip gradients',
  }),
  vanishingGradients: spec({
    id: 'C10', title: 'vanishing gradients', severity: 'error', score: 5, remedy: reinitialize,
    fix: 'use relu with he initialization, fewer layers, or batch normalization',
  }),
  noGradientThroughDepth: spec({
    id: 'C10', title: NO_GRADIENT, severity: 'error', score: 3, remedy: reinitialize,
    fix: 'give the gradient a path: relu with he initialization, fewer layers, residual connections or batch normalization',
  }),

  // C11: initialization
  symmetricInit: spec({
    id: 'C11', title: 'symmetric weight initialization', severity: 'error', score: 7, remedy: reinitialize,
    fix: 'initialize kernels randomly with glorotUniform or heNormal, never with a constant',
  }),
  seedDependent: spec<{ replay: number }>({
    id: 'C11', title: 'result depends on the initialization', severity: 'error', score: 5, remedy: reinitialize,
    fix: (p) => `add units, use tanh or leaky ReLU, or heNormal init for ReLU; replay: TRAINABILITY_SEED=${p.replay}`,
  }),
  unseededRandomness: spec<{ atInitialization: boolean }>({
    id: 'C11', title: (p) => `randomness outside the seed ${p.atInitialization ? 'at initialization' : 'during training'}`, severity: 'error', score: 1,
    fix: 'draw all randomness from Math.random or tfjs initializers, not crypto, Date.now or tf.data shuffling',
  }),
  backendInitDiffers: spec({
    id: 'C11', title: 'initialization differs between backends', severity: 'warning', score: 1,
    fix: 'draw all randomness from the seed (no crypto, Date.now or tf.data shuffling)',
  }),

  // C12: reduced precision
  /** A candidate until float32 under the same seed succeeds (curve.ts `unverifiedPrecision`). */
  precisionStall: spec({
    id: 'C12', title: 'updates lost to numeric precision', severity: 'error', score: 4, remedy: float32,
    fix: 'keep weights in float32, or raise the learning rate so steps exceed the weights\' rounding step',
  }),
  reducedPrecision: spec<{ raiseTo: number | undefined }>({
    id: 'C12', title: 'reduced precision blocks convergence', severity: 'error', score: 10, remedy: float32,
    fix: (p) => `raise the learning rate${p.raiseTo ? ` (lr ${fmt(p.raiseTo)} or more)` : ''} to push the plateau out, or train in float32`,
  }),

  // C13: overfitting
  /** `shifted`: the sets differ before training (C14), of which the gap is likely a consequence; `stopAt`: the best validation epoch. */
  overfitting: spec<{ shifted: boolean; stopAt: number | undefined }>({
    id: 'C13', title: 'overfitting: train/validation gap', severity: (p) => (p.shifted ? 'warning' : 'error'), score: 5,
    fix: (p) => 'add regularization (dropout, an L2 kernelRegularizer), use more data or a smaller model' + (p.stopAt !== undefined ? `, or stop near epoch ${p.stopAt}` : ''),
  }),

  // C14: preprocessing differs between train and test
  validationShifted: spec({
    id: 'C14', title: 'validation data differs from training data', severity: 'error', score: 4,
    fix: 'split train and validation from the same data, and preprocess both alike: { model, preprocess } fits the scaler on train only',
  }),
  validationOutOfRange: spec({
    id: 'C14', title: 'validation data outside the training range', severity: 'error', score: 6,
    fix: 'check the validation data for values far outside the training range, and preprocess it like the training data',
  }),
  preprocessInconsistent: spec({
    id: 'C14', title: 'preprocessing differs between train and test', severity: 'error', score: 6,
    fix: 'learn the statistics in fit() on the training set only, and apply them unchanged in transform()',
  }),

  // C15: weights that do not train, or train when frozen
  nothingToTrain: spec<{ model: 'layers' | 'custom' }>({
    id: 'C15', title: 'nothing to train', severity: 'error', score: 9, blocks: true,
    fix: (p) => (p.model === 'layers' ? 'set layer.trainable = true on the layers to train (freeze only the pretrained ones)' : 'create the variables with tf.variable(value, true)'),
    remedy: (_, ctx) => remedies.unfreeze(ctx),
  }),
  staleWeights: spec({
    id: 'C15', title: 'trainable weights never change', severity: 'error', score: 5,
    fix: 'make the loss depend on them, or mark them non-trainable on purpose',
  }),
  untrainableVariables: spec({
    id: 'C15', title: 'listed variables can never learn', severity: 'error', score: 6,
    fix: 'create it with tf.variable(value) (trainable by default); a constant meant to stay fixed does not belong in variables',
  }),
  frozenWeightsChange: spec({
    id: 'C15', title: 'frozen weights change', severity: 'error', score: 5,
    fix: 'check layer.trainable and whatever assigns these variables',
  }),
  /** Candidates until their fix under the same seed succeeds (frozen.ts, candidates.ts). */
  frozenWeights: spec({
    id: 'C15', title: 'frozen weights in a model that does not learn', severity: 'warning', score: 5, remedy: () => unfreezeWeights(),
    fix: 'make them trainable (layer.trainable = true, or addWeight(…, trainable = true)), or load the pretrained values they were frozen to keep',
  }),
  unlistedVariables: spec({
    id: 'C15', title: 'a variable the loss reads is not trained', severity: 'warning', score: 6, remedy: () => listCreatedVariables(),
    fix: 'list every variable the loss should learn in variables: [w, b]; a constant meant to stay fixed is a tensor, not a variable',
  }),

  // C16: samples mixed within a batch
  batchMixing: spec({
    id: 'C16', title: 'samples leak into each other', severity: 'error', score: 7,
    fix: 'do not reduce over the batch axis in the forward pass: no batch means, norms or reshapes that mix samples',
  }),
}

export type CauseKind = keyof typeof CATALOGUE

/** The typed parameters a kind's constructor takes (undefined for a kind written from its evidence alone). */
export type CauseParams<K extends CauseKind> = K extends CauseKind ? ((typeof CATALOGUE)[K] extends Spec<infer P> ? P : never) : never

type Constructor<K extends CauseKind> = undefined extends CauseParams<K>
  ? (evidence: string) => Finding<K>
  : (evidence: string, params: CauseParams<K>) => Finding<K>

function build<K extends CauseKind>(kind: K, evidence: string, params: CauseParams<K>): Finding<K> {
  const s = CATALOGUE[kind] as Spec<CauseParams<K>>
  const read = <T>(value: Of<CauseParams<K>, T>): T => (typeof value === 'function' ? (value as (p: CauseParams<K>) => T)(params) : value)
  return { kind, id: s.id, title: read(s.title), evidence, fix: read(s.fix), severity: read(s.severity), score: read(s.score), params }
}

/**
 * One constructor per cause kind: the only way a finding is made.
 *
 * @example
 * cause.deadRelu('90% of the 16 units of dense_1 never activate on the data')
 * cause.divergedLoss('loss became NaN at epoch 3 at lr 1', { lr: 1 })
 */
export const cause = Object.fromEntries(
  Object.keys(CATALOGUE).map((kind) => [kind, (evidence: string, params?: unknown) => build(kind as CauseKind, evidence, params as never)]),
) as { [K in CauseKind]: Constructor<K> }

/** The mechanical fix of a finding, or undefined when its fix needs the user's judgment or code. */
export function fixFor(finding: Finding, ctx: FixContext): Fix | undefined {
  const s = CATALOGUE[finding.kind] as Spec<unknown>
  return s.remedy?.(finding.params, ctx)
}

/** The finding describes a configuration that cannot learn at all: the run is not started (run.ts). */
export function blocks(finding: Finding): boolean {
  return CATALOGUE[finding.kind].blocks === true
}

/** The same finding kept as a note, after the causes that stand: a candidate verification refuted or could not confirm. */
export function asNote<F extends Finding>(finding: F): F {
  return { ...finding, severity: 'info' }
}
