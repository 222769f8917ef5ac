import * as tf from '@tensorflow/tfjs'
import { stripVTControlCharacters as plain } from 'node:util'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { handWrittenLogistic, logisticUnit, softmaxClassifier, twoPoints } from '../fixtures/models.js'

describe('.toOverfitTinyDataset', () => {
  test('passes when the thread’s one-unit logistic model overfits x=[-1, 1], y=[1, 0] with SGD at lr 1', async () => {
    await expect(logisticUnit(1)).toOverfitTinyDataset(twoPoints)
  })

  test('fails when the same model trains at lr 1e-4, and the message names the learning rate (C6)', async () => {
    const result = await checks.overfit(logisticUnit(1e-4), twoPoints)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C6', title: 'learning rate too low' })
    expect(result.message).toMatch(/^expected model to overfit 2 samples to loss < 0\.01 and 100% accuracy within 500 epochs$/m)
    expect(result.message).toMatch(/reached 0\.\d+ at epoch 500 .* backend (cpu|tensorflow) {3}seed 42/)
    expect(result.message).toMatch(/1\. C6 learning rate too low: loss moved [\d.]+% over 500 epochs at lr 1e-4 \(try lr 0\.001 to 0\.01, or train longer\)/)
    expect(result.message).toMatch(/^replay: TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=(cpu|tensorflow)$/m)
    // The matcher's message names C6 whether or not its fix is re-run; the verified ranking is asserted above.
    await expect(expect(logisticUnit(1e-4)).toOverfitTinyDataset(twoPoints, { verify: false })).rejects.toThrow(/C6 learning rate too low/)
  })

  test('passes when no dataset is given: it builds one sample per class from the model’s shapes', async () => {
    const result = await checks.overfit(softmaxClassifier)
    expect(result.pass).toBe(true)
    expect(result.record.task).toBe('multiclass')
    expect(result.record.accuracy).toBe(1)
    expect(result.message).toMatch(/overfit 3 samples/)
  })

  test('accepts options alone in place of the dataset', async () => {
    const result = await checks.overfit(softmaxClassifier, { seed: 3, lossBelow: 0.05 })
    expect(result.record.seed).toBe(3)
    expect(result.message).toMatch(/loss < 0\.05/)
  })

  test('passes when a regressor fits two points, judged on loss only', async () => {
    const regressor = (): tf.LayersModel => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] })
      m.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.1) })
      return m
    }
    const result = await checks.overfit(regressor)
    expect(result.pass).toBe(true)
    expect(result.record.task).toBe('regression')
    expect(result.record.accuracy).toBeUndefined()
    expect(result.message).not.toMatch(/accuracy/)
  })

  test('passes when a hand-written gradient-descent model (custom trainable) trains at lr 0.5; fails at 1e-5', async () => {
    await expect(handWrittenLogistic).toOverfitTinyDataset(undefined, { learningRate: 0.5, maxEpochs: 2000, lossBelow: 0.05 })
    const stuck = await checks.overfit(handWrittenLogistic, { learningRate: 1e-5, maxEpochs: 200 })
    expect(stuck.pass).toBe(false)
    expect(stuck.findings[0]?.id).toBe('C6')
    expect(stuck.record.optimizer).toBe('SGD')
  })

  test('passes when an uncompiled model takes loss, optimizer and learning rate from the options', async () => {
    const raw = (): tf.LayersModel => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })] })
    const result = await checks.overfit(raw, twoPoints, { loss: 'binaryCrossentropy', optimizer: 'sgd', learningRate: 5, maxEpochs: 1000 })
    expect(result.pass).toBe(true)
    expect(result.record).toMatchObject({ optimizer: 'SGD', learningRate: 5 })
  })

  test('fails when the wall-clock budget stops the run, and says so', async () => {
    const result = await checks.overfit(logisticUnit(1e-6), twoPoints, { maxEpochs: 1e9, timeoutMs: 200 })
    expect(result.pass).toBe(false)
    expect(result.record.stoppedBy).toBe('timeout')
    expect(result.message).toContain(`stopped by the 200 ms budget after ${result.record.epochs} epochs`)
    expect(result.message.match(/budget/g)).toHaveLength(1)
  })

  test('fails when the run is still falling at the end of its budget, naming C6 with the slope', async () => {
    const result = await checks.overfit(logisticUnit(1e-3), twoPoints)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C6', title: 'learning rate too low or too few epochs' })
    expect(result.message).toMatch(/1\. C6 learning rate too low or too few epochs: loss still falling when training stopped: −[\d.]+% over the last 100 epochs, [\d.]+ at epoch 500 at lr 0\.001 \(try lr 0\.003, or raise maxEpochs\)/)
  })
  test('fails with C4 when binaryCrossentropy gets class ids 0..2, instead of passing at a negative loss', async () => {
    const sigmoid = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })] })
      model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' })
      return model
    }
    const result = await checks.overfit(sigmoid, { x: [[0], [1], [2]], y: [0, 2, 1] }, { maxEpochs: 50 })
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels are class ids, the loss wants 0/1' })
    expect(result.record.losses).toEqual([])
  })
})

describe('.not.toOverfitTinyDataset', () => {
  test('passes when the model is stuck; fails when it overfits, with a message that reads right', async () => {
    await expect(logisticUnit(1e-4)).not.toOverfitTinyDataset(twoPoints)
    const error = plain(String(await expect(logisticUnit(1)).not.toOverfitTinyDataset(twoPoints).catch((e: Error) => e)))
    expect(error).toMatch(/expect\(model\)\.not\.toOverfitTinyDataset\(dataset\)/)
    expect(error).toMatch(/expected model not to overfit 2 samples .*, but it did/)
    expect(error).not.toMatch(/likely causes/)
  })
})
