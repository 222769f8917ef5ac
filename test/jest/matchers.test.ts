import 'jest-extended/all'
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

  test('the matchers of issue 4: seeds, precision, learning rates, baseline, generalization, probabilities', async () => {
    await expect(logisticUnit(1)).toTrainAcrossSeeds(twoPoints, { seeds: [1, 2] })
    await expect(logisticUnit(1)).toSurviveReducedPrecision(twoPoints, { bits: 16 })
    await expect(logisticUnit(0.1)).not.toSurviveReducedPrecision(twoPoints, { maxEpochs: 300 })
    await expect(logisticUnit(1)).toTolerateLearningRates(twoPoints, { rates: [0.5, 1], maxEpochs: 30 })
    await expect(logisticUnit(1)).toBeatBaseline({ x: [[-1], [1], [-2]], y: [1, 0, 1] })
    await expect(logisticUnit(1)).not.toBeatBaseline({ x: [[0], [0], [0]], y: [1, 0, 1] }, { maxEpochs: 10 })
    await expect(logisticUnit(1)).toGeneralize({ train: twoPoints, validation: { x: [[-2], [2]], y: [1, 0] } }, { maxGap: 0.5, maxEpochs: 30 })
    const error: Error = await expect(logisticUnit(1)).toOutputValidProbabilities(twoPoints).catch((e: Error) => e)
    expect(error.message).toInclude('C3 the model outputs logits')
  })

  test('bad input is a TypeError', async () => {
    await expect(expect('model').toOverfitTinyDataset()).rejects.toThrow(TypeError)
  })
})
