import * as tf from '@tensorflow/tfjs'
import { rangeError } from '../errors.js'
import { count, fmt } from '../format.js'
import type { ModelInfo } from '../subject.js'
import { labelWidth } from '../task.js'
import type { Finding, Task } from '../types.js'
import { cause } from './catalogue.js'
import { BINARY_PROBABILITY, CATEGORICAL_PROBABILITY, HINGE, LOGITS, ONE_HOT, REGRESSION } from './losses.js'

// C3 and C4 read from the model's config and the labels before any training: the compatibility table of output
// activation, units, loss and label encoding. A finding of a kind that `blocks` (catalogue.ts) describes a run that
// cannot learn at all (what `model.fit` refuses, a loss identically 0, an output identically 1, labels no loss value can
// fit): the check fails on it without training. The others let the run train and rank first among its causes.

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

/**
 * The label encoding against the loss (C4). `classIndices`: y holds one number per output position where the loss
 * wants one row per position. Values no encoding could fit (a fractional class id) throw a RangeError.
 */
export function labelFindings(info: ModelInfo, y: tf.Tensor, classIndices: boolean, arg = 'dataset.y'): Finding[] {
  const loss = info.lossName
  const units = info.outputUnits ?? 1
  const l = readLabels(y)
  const range = `${fmt(l.min)}..${fmt(l.max)}`
  const sparse = /^sparseCategoricalCrossentropy$/i.test(loss)
  // A sparse loss reads one class id per position: rows as wide as the output are one-hot rows (or probabilities).
  if (sparse && units > 1 && y.shape[y.rank - 1] === units) {
    return [cause.oneHotForSparseLoss(`${loss} reads one class id per ${info.outputShape && info.outputShape.length > 1 ? 'position' : 'sample'}, but y holds rows of ${units} values (${range})`)]
  }
  if (classIndices || sparse) {
    if (!l.integral || l.min < 0) {
      throw rangeError(`${arg} holds ${range}${l.integral ? '' : ' with fractions'}, which are not class ids for ${units} classes; pass whole numbers 0..${units - 1}${classIndices ? ` or one-hot rows of ${units}` : ''}`)
    }
    if (classIndices) {
      return [cause.classIdsForOneHotLoss(`${loss} scores ${units} outputs per ${info.outputShape && info.outputShape.length > 1 ? 'position' : 'sample'} against one-hot rows, but y holds class indices ${range}`, { units })]
    }
    if (l.max >= units) {
      const fromOne = l.min >= 1 && l.max === units
      return [cause.classIdsOutOfRange(`${loss} over ${units} classes needs ids 0..${units - 1}, got ${range}` + (fromOne ? ': they start at 1' : ''), { units, max: l.max, fromOne })]
    }
    return []
  }
  if (BINARY_PROBABILITY.test(loss) || /^sigmoidCrossEntropy$/i.test(loss)) {
    if (l.min >= 0 && l.max <= 1) return []
    if (l.distinct.length === 2 && l.distinct[0] === -1 && l.distinct[1] === 1) return [cause.signLabelsForBinaryLoss(`${loss} needs labels in [0, 1], got -1 and 1`)]
    if (l.integral && l.min >= 0) return [cause.classIdsForBinaryLoss(`${loss} needs labels in [0, 1], got class ids ${range}`, { max: l.max })]
    return [cause.labelsOutsideUnitRange(`${loss} needs labels in [0, 1], got ${range}`)]
  }
  if (ONE_HOT.test(loss) && l.width > 1) {
    const row = l.worstRow
    if (l.min < 0 || l.max > 1) return [cause.labelsNotProbabilityRows(`${loss} needs one-hot rows with entries in [0, 1], got ${range}`, { units })]
    // A row of float32 probabilities sums to 1 within a few ulps; 1e-3 leaves room for rounded soft labels.
    if (row && Math.abs(row.sum - 1) > 1e-3) {
      return [cause.labelsNotOneHot(`${loss} needs each row to sum to 1, row ${row.index} sums to ${fmt(row.sum)}`, { rowSum: row.sum })]
    }
    return []
  }
  if (HINGE.test(loss) && l.distinct.length === 2 && l.distinct[0] === 0 && l.distinct[1] === 1) {
    return [cause.binaryLabelsForHinge(`${loss} scores max(0, 1 − y·output): a label 0 gives every output the same loss, so class 0 is never learned`)]
  }
  return []
}

/** The output activation and units against the loss (C3); a Layers model's config only. */
export function outputFindings(info: ModelInfo, task: Task): Finding[] {
  if (info.kind !== 'layers') return []
  const loss = info.lossName
  const act = info.outputActivation ?? 'linear'
  const units = info.outputUnits ?? 1
  if (act === 'softmax' && units === 1) {
    return [cause.softmaxOverOneUnit('softmax over a single output unit always outputs 1, so no gradient reaches the model', { task })]
  }
  if ((CATEGORICAL_PROBABILITY.test(loss) || /^softmaxCrossEntropy$/i.test(loss)) && units === 1) {
    return [cause.normalizedOverOneUnit(`${loss} normalizes over the last axis: over one unit the prediction is always 1 and the loss is identically 0`, { loss })]
  }
  if (LOGITS.test(loss) && (act === 'sigmoid' || act === 'softmax')) {
    return [cause.activationAppliedTwice(`${act} output fed to ${loss}, which expects logits: the ${act} is applied twice`, { loss })]
  }
  if (BINARY_PROBABILITY.test(loss) && act !== 'sigmoid') {
    if (act === 'softmax') {
      return [cause.softmaxForIndependentLabels(`softmax couples the ${units} outputs so they sum to 1, but ${loss} scores each one as an independent probability`)]
    }
    return [cause.notSigmoidForBinaryLoss(`${act} output fed to ${loss}, which expects probabilities in (0, 1)${act === 'relu' ? ': relu outputs 0 or values above 1' : ''}`)]
  }
  if (CATEGORICAL_PROBABILITY.test(loss) && act !== 'softmax') {
    return [cause.notSoftmaxForCategoricalLoss(`${act} outputs fed to ${loss}, which expects ${units} probabilities summing to 1${act === 'sigmoid' ? ': sigmoid units are independent' : ''}`)]
  }
  if (HINGE.test(loss) && (act === 'sigmoid' || act === 'softmax')) {
    return [cause.probabilitiesForHinge(`${act} outputs stay in (0, 1), but ${loss} wants scores beyond ±1 to reach 0`)]
  }
  if (REGRESSION.test(loss) && task !== 'regression') return [cause.lossForAnotherTask(`${loss} on ${task} labels`, { task })]
  return []
}

/** C15: nothing the optimizer could change. */
export function nothingTrainable(frozen: number, kind: ModelInfo['kind']): Finding {
  return cause.nothingToTrain(
    kind === 'layers' ? `every layer is frozen: ${count(frozen, 'weight')}, none trainable` : `none of the ${count(frozen, 'variable')} is trainable`,
    { model: kind },
  )
}

/**
 * C4 for a custom trainable: y reaches its loss as given, so a y whose shape differs from the prediction's
 * (`[n]` against `[n, 1]`) is silently broadcast by elementwise ops to `[n, n]`: every prediction scored against every label.
 */
export function targetShapeFindings(prediction: readonly number[], y: readonly number[]): Finding[] {
  const same = prediction.length === y.length && prediction.every((d, i) => d === y[i])
  if (same) return []
  const rank = Math.max(prediction.length, y.length)
  const at = (shape: readonly number[], i: number): number => shape[shape.length - rank + i] ?? 1
  const broadcast = Array.from({ length: rank }, (_, i) => Math.max(at(prediction, i), at(y, i)))
  const grows = broadcast.reduce((a, b) => a * b, 1) > Math.max(...[prediction, y].map((s) => s.reduce((a, b) => a * b, 1)))
  if (!grows) return []
  return [cause.labelsShapedUnlikePredictions(
    `y has shape [${y.join(', ')}] and predict(x) [${prediction.join(', ')}]: an elementwise loss broadcasts them to [${broadcast.join(', ')}], scoring every prediction against every label`,
    { prediction: [...prediction] },
  )]
}
