import * as tf from '@tensorflow/tfjs'
import type { ModelInfo } from './subject.js'

/**
 * The loss a model that knows nothing about its input should start near (C3/C4):
 * ln 2 for binary cross-entropy, ln C for C-class cross-entropy, the variance of y for MSE.
 * Undefined for losses without a known chance value.
 */
export function chanceLoss(info: ModelInfo, y: tf.Tensor): number | undefined {
  const loss = info.lossName
  const units = info.outputUnits ?? y.shape[y.shape.length - 1] ?? 1
  if (/sparseCategorical|categoricalCrossentropy|softmaxCrossEntropy/i.test(loss)) return Math.log(Math.max(units, 2))
  if (/binaryCrossentropy|sigmoidCrossEntropy|logLoss/i.test(loss)) return Math.LN2
  if (/meanSquaredError|^mse$/i.test(loss)) return tf.tidy(() => tf.mean(tf.moments(y, 0).variance).dataSync()[0]!)
  return undefined
}
