import * as tf from '@tensorflow/tfjs'
import type { ModelInfo } from './subject.js'
import { labelWidth } from './task.js'

/** Losses on class probabilities or logits: their chance value is the cross-entropy of a uniform guess. */
const CATEGORICAL = /sparseCategorical|categoricalCrossentropy|softmaxCrossEntropy|kullbackLeibler|^kld$/i
const BINARY = /binaryCrossentropy|sigmoidCrossEntropy|logLoss/i
const HINGE = /^(hinge|squaredHinge|categoricalHinge|hingeLoss)$/i
/** Losses where the median, not the mean, is the best constant prediction. */
const ABSOLUTE = /meanAbsoluteError|^mae$|absoluteDifference/i

/**
 * The loss a model that knows nothing about its input should start near (C3/C4): ln 2 for binary cross-entropy,
 * ln C for C-class cross-entropy, 1 for hinge losses (an output of 0), and for every other loss the loss of the best constant prediction (the mean of y
 * per output, the median for absolute errors): var(y) for MSE. `lossOf` evaluates the model's own loss on a given
 * prediction; without it only MSE and MAE are known. Undefined when no chance value is known.
 */
export function chanceLoss(info: ModelInfo, y: tf.Tensor, lossOf?: (y: tf.Tensor, prediction: tf.Tensor) => tf.Scalar): number | undefined {
  const loss = info.lossName
  if (CATEGORICAL.test(loss)) return Math.log(Math.max(info.outputUnits ?? labelWidth(y), 2))
  if (BINARY.test(loss)) return Math.LN2
  if (HINGE.test(loss)) return 1 // an output of 0, the guess that favours no class, scores max(0, 1 − y·0) = 1
  return tf.tidy(() => {
    const mean = (): tf.Tensor => tf.broadcastTo(tf.mean(y, 0), y.shape)
    const median = (): tf.Tensor => tf.broadcastTo(medianOf(y), y.shape)
    if (lossOf) {
      const values = [lossOf(y, mean()), lossOf(y, median())].map((t) => t.dataSync()[0]!).filter(Number.isFinite)
      return values.length ? Math.min(...values) : undefined
    }
    if (/meanSquaredError|^mse$/i.test(loss)) return tf.mean(tf.square(tf.sub(y, mean()))).dataSync()[0]!
    if (ABSOLUTE.test(loss)) return tf.mean(tf.abs(tf.sub(y, median()))).dataSync()[0]!
    return undefined
  })
}

/**
 * Per-output median over the samples (the lower middle value for an even count: any value between is as good for MAE),
 * by a numeric sort of each column's float32 values: no per-element objects, as a full top-k on the CPU backend builds.
 */
function medianOf(y: tf.Tensor): tf.Tensor {
  const n = y.shape[0]!
  const values = y.dataSync()
  const width = values.length / n
  const medians = new Float32Array(width)
  const column = new Float32Array(n)
  for (let f = 0; f < width; f++) {
    for (let i = 0; i < n; i++) column[i] = values[i * width + f]!
    medians[f] = column.sort()[n - 1 - Math.floor(n / 2)]!
  }
  return tf.tensor(medians, y.shape.slice(1), 'float32')
}
