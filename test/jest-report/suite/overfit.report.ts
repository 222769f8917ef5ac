import * as tf from '@tensorflow/tfjs'

const twoPoints = { x: [[-1], [1]], y: [1, 0] }
const logisticUnit = (lr: number) => (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.sgd(lr) })
  return model
}

describe('a logistic unit', () => {
  test('fails: at lr 1e-4 it does not overfit', async () => {
    await expect(logisticUnit(1e-4)).toOverfitTinyDataset(twoPoints, { maxEpochs: 20, lossBelow: 0.05, verify: false })
  })
  test('passes: at lr 1 it overfits', async () => {
    await expect(logisticUnit(1)).toOverfitTinyDataset(twoPoints, { maxEpochs: 200, lossBelow: 0.05 })
  })
})
