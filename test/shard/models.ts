// Tiny models for the sharding suite: fast on both backends, one that trains and two that do not.
import * as tf from '@tensorflow/tfjs'

export const logistic = (lr: number) => (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy, optimizer: tf.train.sgd(lr) })
  return model
}

export const xor = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0] }

export const mlp = (units: number) => (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units, activation: 'tanh', inputShape: [2] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
  })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.1) })
  return model
}
