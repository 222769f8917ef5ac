import * as tf from '@tensorflow/tfjs'
import { checks, scalers } from 'trainability'

const twoPoints = { x: [[-1], [1]], y: [1, 0] }
const logisticUnit = (lr: number) => (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.sgd(lr) })
  return model
}
const mseUnit = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.05) })
  return model
}
const unscaled = {
  x: Array.from({ length: 32 }, (_, i) => [((i * 37) % 100) + 0.5, ((i * 61) % 100) + 0.25]),
  y: [] as number[],
}
unscaled.y = unscaled.x.map(([a, b]) => (a! > b! ? 1 : 0))

describe('trainability/jest', () => {
  test('toOverfitTinyDataset passes at lr 1 and fails at lr 1e-4 naming the learning rate', async () => {
    await expect(logisticUnit(1)).toOverfitTinyDataset(twoPoints)
    await expect(logisticUnit(1e-4)).not.toOverfitTinyDataset(twoPoints)
    const error: Error = await expect(logisticUnit(1e-4)).toOverfitTinyDataset(twoPoints).catch((e: Error) => e)
    expect(error.message).toInclude('C6 learning rate too low')
    expect(error.message).toInclude('replay: TRAINABILITY_SEED=42')
  })

  test('toReduceLossMonotonically and toTrainDeterministically', async () => {
    await expect(logisticUnit(0.5)).toReduceLossMonotonically(twoPoints, { maxEpochs: 30 })
    await expect(logisticUnit(0.5)).toTrainDeterministically(twoPoints, { maxEpochs: 10 })
  })

  test('toBeScaleInvariant: raw fails, standardized passes', async () => {
    await expect(mseUnit).not.toBeScaleInvariant(unscaled)
    await expect({ model: mseUnit, preprocess: scalers.standard() }).toBeScaleInvariant(unscaled)
  })

  test('the jest module registry sees the same seeded curves as a direct check', async () => {
    const a = await checks.overfit(logisticUnit(1), twoPoints)
    const b = await checks.overfit(logisticUnit(1), twoPoints)
    expect(a.record.losses).toStrictEqual(b.record.losses)
    expect(a.record.backend).toBeOneOf(['cpu', 'tensorflow'])
    console.info(`trainability backend: ${a.record.backend}`)
  })

  test('no tensors leak and Math.random is restored', async () => {
    const random = Math.random
    const before = tf.memory().numTensors
    await expect(logisticUnit(1)).toOverfitTinyDataset(twoPoints)
    expect(tf.memory().numTensors).toBe(before)
    expect(Math.random).toBe(random)
  })

  test('bad input is a TypeError', async () => {
    await expect(expect('model').toOverfitTinyDataset()).rejects.toThrow(TypeError)
  })
})
