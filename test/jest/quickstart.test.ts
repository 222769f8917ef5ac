// README's jest quick start, as a jest user runs it (setupFilesAfterEnv: ['trainability/jest']).
import * as tf from '@tensorflow/tfjs'

const build = () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy, optimizer: tf.train.sgd(1) })
  return model
}

test('the classifier can learn', async () => {
  await expect(build).toOverfitTinyDataset({ x: [[-1], [1]], y: [1, 0] })
})
