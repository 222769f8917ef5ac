import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { scalers } from 'trainability'

// The forum thread's model: one linear unit, binary cross-entropy on logits.
const build = () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy, optimizer: tf.train.sgd(1) })
  return model
}

test('the classifier can learn', async () => {
  await expect(build).toOverfitTinyDataset({ x: [[-1], [1]], y: [1, 0] })
  await expect(build).toReduceLossMonotonically({ x: [[-1], [1]], y: [1, 0] })
})

// one-neuron-classifier-not-training.md: two features in the hundreds, standardized inside the pipeline.
const twoFeatures = () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.1) })
  return model
}

test('features are standardized inside the pipeline', async () => {
  const data = { x: [[100, 3], [250, 1], [30, 9], [180, 4]], y: [1, 1, 0, 1] }
  await expect({ model: twoFeatures, preprocess: scalers.standard() }).toBeScaleInvariant(data)
  await expect(twoFeatures).not.toBeScaleInvariant(data)
})
