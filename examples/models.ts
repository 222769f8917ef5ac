// The bundled examples: models and data from the documents in docs/seeds, as a user would write them.
import * as tf from '@tensorflow/tfjs'

/** simplest-binary-classification-thread.md: x = [-1, 1], y = [1, 0]. */
export const twoPoints = { x: [[-1], [1]], y: [1, 0] }

/** The thread's model: one linear unit, binary cross-entropy on logits, SGD at `learningRate`. */
export function oneNeuron(learningRate: number): () => tf.LayersModel {
  return () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
    model.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.sgd(learningRate) })
    return model
  }
}

/** one-neuron-classifier-not-training.md: two features in the hundreds; label = feature 0 > feature 1. */
export function rawFeatures(samples = 64): { x: number[][]; y: number[] } {
  const x = Array.from({ length: samples }, (_, i) => [((i * 37) % 100) + 0.5, ((i * 61 + 13) % 100) + 0.25])
  return { x, y: x.map(([a, b]) => (a! > b! ? 1 : 0)) }
}

/** Its example 3: one linear unit trained with MSE and Adam. */
export function linearMse(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.05) })
  return model
}

/** one-neuron-classifier-not-training.md, the fix: a sigmoid unit with binary cross-entropy (pair it with scalers.standard()). */
export function sigmoidBce(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
  return model
}

/** always-predicts-same-class.md: 32 points on two sides of the line x0 + x1 = 0. */
export const twoSides = ((): { x: number[][]; y: number[] } => {
  const x = Array.from({ length: 32 }, (_, i) => [Math.cos(i * 1.7) * 2, Math.sin(i * 2.3) * 2])
  return { x, y: x.map(([a, b]) => (a! + b! > 0 ? 1 : 0)) }
})()

/** Its network: 8 ReLU units, a sigmoid output, plain SGD at `learningRate`. */
export function reluNet(learningRate: number): () => tf.LayersModel {
  return () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 8, inputShape: [2], activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    })
    model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(learningRate) })
    return model
  }
}
