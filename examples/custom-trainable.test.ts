// why-is-my-network-failing.md, for a hand-written gradient-descent model: no tf.LayersModel, just
// variables, a forward pass and a loss. The factory gives every run fresh variables.
import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import 'trainability/vitest'
import type { CustomTrainable } from 'trainability'
// The forum thread's two points, y as a column: the loss below gets y as given and compares it with [n, 1] predictions.
const twoPoints = { x: [[-1], [1]], y: [[1], [0]] }

/** Logistic regression written by hand: p = sigmoid(x·w + b), mean binary cross-entropy. */
function logistic(): CustomTrainable {
  const w = tf.variable(tf.randomNormal([1, 1], 0, 0.1), true, 'w')
  const b = tf.variable(tf.zeros([1]), true, 'b')
  const predict = (x: tf.Tensor): tf.Tensor => tf.sigmoid(tf.add(tf.matMul(x as tf.Tensor2D, w), b))
  return {
    variables: [w, b],
    predict,
    loss: (x, y) => tf.tidy(() => {
      const p = tf.clipByValue(predict(x), 1e-7, 1 - 1e-7)
      return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar
    }),
    inputShape: [1],
    outputUnits: 1,
    task: 'binary',
  }
}

test('broken: at lr 1e-4 the hand-written loop barely moves', async () => {
  await expect(logistic).not.toOverfitTinyDataset(twoPoints, { optimizer: 'sgd', learningRate: 1e-4 })
})

test('fixed: at lr 1 it overfits the two points and its loss falls every epoch', async () => {
  await expect(logistic).toOverfitTinyDataset(twoPoints, { optimizer: 'sgd', learningRate: 1 })
  await expect(logistic).toReduceLossMonotonically(twoPoints, { optimizer: 'sgd', learningRate: 1 })
})
