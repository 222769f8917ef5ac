import * as tf from '@tensorflow/tfjs'
import { rangeError } from '../errors.js'
import { count, fmt } from '../format.js'
import type { ModelInfo } from '../subject.js'
import { labelWidth } from '../task.js'
import type { Finding, Task } from '../types.js'

// C3 and C4 read from the model's config and the labels before any training: the compatibility table of output
// activation, units, loss and label encoding. A finding that `blocks` describes a run that cannot learn at all
// (what `model.fit` refuses, a loss identically 0, an output identically 1, labels no loss value can fit): the check
// fails on it without training. The others let the run train and rank first among its causes.

export interface ConfigFinding extends Finding {
  blocks: boolean
}

export const BINARY_PROBABILITY = /^(binaryCrossentropy|logLoss)$/i
export const CATEGORICAL_PROBABILITY = /^(categoricalCrossentropy|sparseCategoricalCrossentropy|kullbackLeiblerDivergence|kld)$/i
export const LOGITS = /^(sigmoidCrossEntropy|softmaxCrossEntropy)$/i
const ONE_HOT = /^(categoricalCrossentropy|softmaxCrossEntropy|kullbackLeiblerDivergence|kld|categoricalHinge)$/i
export const HINGE = /^(hinge|squaredHinge)$/i
export const REGRESSION = /^(meanSquaredError|mse|meanAbsoluteError|mae|meanAbsolutePercentageError|mape|meanSquaredLogarithmicError|msle|logcosh|huberLoss|absoluteDifference)$/i

/** What the labels look like, read once. */
interface Labels {
  min: number
  max: number
  integral: boolean
  /** Values seen, when there are at most three distinct ones. */
  distinct: number[]
  width: number
  /** The row (sample × position) whose sum is furthest from 1, for one-hot losses. */
  worstRow?: { index: number; sum: number }
}

function readLabels(y: tf.Tensor): Labels {
  const values = y.dataSync()
  const width = labelWidth(y)
  let min = Infinity
  let max = -Infinity
  let integral = true
  const distinct = new Set<number>()
  for (const v of values) {
    min = Math.min(min, v)
    max = Math.max(max, v)
    if (!Number.isInteger(v)) integral = false
    if (distinct.size <= 3) distinct.add(v)
  }
  let worstRow: Labels['worstRow']
  if (width > 1) {
    for (let row = 0; row * width < values.length; row++) {
      let sum = 0
      for (let j = 0; j < width; j++) sum += values[row * width + j]!
      if (!worstRow || Math.abs(sum - 1) > Math.abs(worstRow.sum - 1)) worstRow = { index: row, sum }
    }
  }
  return { min, max, integral, distinct: distinct.size <= 3 ? [...distinct].sort((a, b) => a - b) : [], width, worstRow }
}

const c4 = (title: string, evidence: string, fix: string): ConfigFinding => ({ id: 'C4', title, evidence, fix, severity: 'error', score: 9, blocks: true })
const c3 = (title: string, evidence: string, fix: string, blocks: boolean): ConfigFinding => ({ id: 'C3', title, evidence, fix, severity: 'error', score: blocks ? 9 : 6, blocks })

/**
 * The label encoding against the loss (C4). `classIndices`: y holds one number per output position where the loss
 * wants one row per position. Values no encoding could fit (a fractional class id) throw a RangeError.
 */
export function labelFindings(info: ModelInfo, y: tf.Tensor, classIndices: boolean, arg = 'dataset.y'): ConfigFinding[] {
  const loss = info.lossName
  const units = info.outputUnits ?? 1
  const l = readLabels(y)
  const range = `${fmt(l.min)}..${fmt(l.max)}`
  const sparse = /^sparseCategoricalCrossentropy$/i.test(loss)
  // A sparse loss reads one class id per position: rows as wide as the output are one-hot rows (or probabilities).
  if (sparse && units > 1 && y.shape[y.rank - 1] === units) {
    return [c4('labels are one-hot rows, the loss wants class ids',
      `${loss} reads one class id per ${info.outputShape && info.outputShape.length > 1 ? 'position' : 'sample'}, but y holds rows of ${units} values (${range})`,
      `use loss 'categoricalCrossentropy' with these rows, or pass class ids (y.argMax(-1))`)]
  }
  if (classIndices || sparse) {
    if (!l.integral || l.min < 0) {
      throw rangeError(`${arg} holds ${range}${l.integral ? '' : ' with fractions'}, which are not class ids for ${units} classes; pass whole numbers 0..${units - 1}${classIndices ? ` or one-hot rows of ${units}` : ''}`)
    }
    if (classIndices) {
      return [c4('labels are class indices, the loss wants one-hot rows',
        `${loss} scores ${units} outputs per ${info.outputShape && info.outputShape.length > 1 ? 'position' : 'sample'} against one-hot rows, but y holds class indices ${range}`,
        `one-hot encode the labels (tf.oneHot(labels, ${units})) or use loss 'sparseCategoricalCrossentropy'`)]
    }
    if (l.max >= units) {
      const fromOne = l.min >= 1 && l.max === units
      return [c4('class ids outside 0..' + (units - 1),
        `${loss} over ${units} classes needs ids 0..${units - 1}, got ${range}` + (fromOne ? ': they start at 1' : ''),
        fromOne ? 'subtract 1 from the labels so that they start at 0' : `use as many output units as classes (${l.max + 1}), or remap the ids to 0..${units - 1}`)]
    }
    return []
  }
  if (BINARY_PROBABILITY.test(loss) || /^sigmoidCrossEntropy$/i.test(loss)) {
    if (l.min >= 0 && l.max <= 1) return []
    if (l.distinct.length === 2 && l.distinct[0] === -1 && l.distinct[1] === 1) {
      return [c4('labels are -1/1, the loss wants 0/1', `${loss} needs labels in [0, 1], got -1 and 1`, 'map them to 0/1: y.add(1).div(2)')]
    }
    if (l.integral && l.min >= 0) {
      return [c4('labels are class ids, the loss wants 0/1', `${loss} needs labels in [0, 1], got class ids ${range}`,
        `for ${l.max + 1} classes use ${l.max + 1} softmax output units with loss 'sparseCategoricalCrossentropy'`)]
    }
    return [c4('labels outside [0, 1]', `${loss} needs labels in [0, 1], got ${range}`, 'rescale the targets into [0, 1], or use a regression loss such as meanSquaredError')]
  }
  if (ONE_HOT.test(loss) && l.width > 1) {
    const row = l.worstRow
    if (l.min < 0 || l.max > 1) {
      return [c4('labels are not probability rows', `${loss} needs one-hot rows with entries in [0, 1], got ${range}`, `one-hot encode the labels (tf.oneHot(labels, ${units}))`)]
    }
    // A row of float32 probabilities sums to 1 within a few ulps; 1e-3 leaves room for rounded soft labels.
    if (row && Math.abs(row.sum - 1) > 1e-3) {
      return [c4('labels are not one-hot rows', `${loss} needs each row to sum to 1, row ${row.index} sums to ${fmt(row.sum)}`,
        row.sum > 1 ? "for several labels per sample use sigmoid outputs with 'binaryCrossentropy'; for one class per sample one-hot encode it" : 'give every sample exactly one class (tf.oneHot)')]
    }
    return []
  }
  if (HINGE.test(loss) && l.distinct.length === 2 && l.distinct[0] === 0 && l.distinct[1] === 1) {
    return [c4('labels are 0/1, the loss wants -1/1', `${loss} scores max(0, 1 − y·output): a label 0 gives every output the same loss, so class 0 is never learned`,
      "map the labels to -1/1 (y.mul(2).sub(1)), or use 'binaryCrossentropy' with a sigmoid output")]
  }
  return []
}

/** The output activation and units against the loss (C3); a Layers model's config only. */
export function outputFindings(info: ModelInfo, task: Task): ConfigFinding[] {
  if (info.kind !== 'layers') return []
  const loss = info.lossName
  const act = info.outputActivation ?? 'linear'
  const units = info.outputUnits ?? 1
  if (act === 'softmax' && units === 1) {
    return [c3('softmax over one unit', 'softmax over a single output unit always outputs 1, so no gradient reaches the model',
      task === 'regression' ? "use activation 'linear' (the default) for a regression output" : "use activation 'sigmoid' for one output unit", true)]
  }
  if ((CATEGORICAL_PROBABILITY.test(loss) || /^softmaxCrossEntropy$/i.test(loss)) && units === 1) {
    return [c3(`${loss} on one output unit`, `${loss} normalizes over the last axis: over one unit the prediction is always 1 and the loss is identically 0`,
      "for two classes use one sigmoid unit with 'binaryCrossentropy'; for C classes use C softmax units", true)]
  }
  if (LOGITS.test(loss) && (act === 'sigmoid' || act === 'softmax')) {
    return [c3('loss/activation mismatch', `${act} output fed to ${loss}, which expects logits: the ${act} is applied twice`,
      `use activation 'linear' on the output, or loss '${/sigmoid/i.test(loss) ? 'binaryCrossentropy' : 'categoricalCrossentropy'}' on probabilities`, false)]
  }
  if (BINARY_PROBABILITY.test(loss) && act !== 'sigmoid') {
    if (act === 'softmax') {
      return [c3('loss/activation mismatch', `softmax couples the ${units} outputs so they sum to 1, but ${loss} scores each one as an independent probability`,
        "use activation 'sigmoid' for independent labels, or loss 'categoricalCrossentropy' for one class per sample", false)]
    }
    return [c3('loss/activation mismatch', `${act} output fed to ${loss}, which expects probabilities in (0, 1)${act === 'relu' ? ': relu outputs 0 or values above 1' : ''}`,
      "add activation 'sigmoid' to the output layer (or keep it linear and use tf.losses.sigmoidCrossEntropy)", false)]
  }
  if (CATEGORICAL_PROBABILITY.test(loss) && act !== 'softmax') {
    return [c3('loss/activation mismatch', `${act} outputs fed to ${loss}, which expects ${units} probabilities summing to 1${act === 'sigmoid' ? ': sigmoid units are independent' : ''}`,
      "use activation 'softmax' on the output layer", false)]
  }
  if (HINGE.test(loss) && (act === 'sigmoid' || act === 'softmax')) {
    return [c3('loss/activation mismatch', `${act} outputs stay in (0, 1), but ${loss} wants scores beyond ±1 to reach 0`, "use activation 'linear' or 'tanh' on the output", false)]
  }
  if (REGRESSION.test(loss) && task !== 'regression') {
    return [{ id: 'C3', title: 'loss does not match the task', severity: 'warning', score: 1, blocks: false,
      evidence: `${loss} on ${task} labels`,
      fix: task === 'binary' ? "use loss 'binaryCrossentropy' with a sigmoid output" : "use loss 'categoricalCrossentropy' with a softmax output" }]
  }
  return []
}

/** The title of C15 when nothing is trainable (its fix, for a layers model, is unfreezing: fixes.ts). */
export const NOTHING_TO_TRAIN = 'nothing to train'

/** C15: nothing the optimizer could change. */
export function nothingTrainable(frozen: number, kind: ModelInfo['kind']): ConfigFinding {
  return {
    id: 'C15', title: NOTHING_TO_TRAIN, severity: 'error', score: 9, blocks: true,
    evidence: kind === 'layers' ? `every layer is frozen: ${count(frozen, 'weight')}, none trainable` : `none of the ${count(frozen, 'variable')} is trainable`,
    fix: kind === 'layers' ? 'set layer.trainable = true on the layers to train (freeze only the pretrained ones)' : 'create the variables with tf.variable(value, true)',
  }
}

/**
 * C4 for a custom trainable: y reaches its loss as given, so a y whose shape differs from the prediction's
 * (`[n]` against `[n, 1]`) is silently broadcast by elementwise ops to `[n, n]`: every prediction scored against every label.
 */
export function targetShapeFindings(prediction: readonly number[], y: readonly number[]): ConfigFinding[] {
  const same = prediction.length === y.length && prediction.every((d, i) => d === y[i])
  if (same) return []
  const rank = Math.max(prediction.length, y.length)
  const at = (shape: readonly number[], i: number): number => shape[shape.length - rank + i] ?? 1
  const broadcast = Array.from({ length: rank }, (_, i) => Math.max(at(prediction, i), at(y, i)))
  const grows = broadcast.reduce((a, b) => a * b, 1) > Math.max(...[prediction, y].map((s) => s.reduce((a, b) => a * b, 1)))
  if (!grows) return []
  return [{
    id: 'C4', title: 'labels shaped unlike the predictions', severity: 'error', score: 8, blocks: false,
    evidence: `y has shape [${y.join(', ')}] and predict(x) [${prediction.join(', ')}]: an elementwise loss broadcasts them to [${broadcast.join(', ')}], scoring every prediction against every label`,
    fix: `give y the prediction's shape (y.reshape([${prediction.map((d, i) => (i === 0 ? -1 : d)).join(', ')}])), or reshape inside the loss`,
  }]
}
