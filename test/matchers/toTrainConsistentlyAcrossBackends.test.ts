import * as tf from '@tensorflow/tfjs'
import { backendsAvailable, checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { loadNative } from '../../src/backend.js'
import { logisticUnit, nonFiniteLoss, softmaxClassifier, stallsSecondRun, twoPoints, twoPointsColumn, unseededTrainable } from '../fixtures/models.js'

describe('.toTrainConsistentlyAcrossBackends', () => {
  test('backendsAvailable lists cpu, and tensorflow exactly when tfjs-node loads', async () => {
    const native = (await loadNative()).loaded
    expect(await backendsAvailable()).toEqual(native ? ['tensorflow', 'cpu'] : ['cpu'])
  })

  test('passes when native and cpu agree; throws, naming the missing backend and its fix, when one is absent', async () => {
    const native = (await loadNative()).loaded
    if (native) {
      const result = await checks.consistentAcrossBackends(softmaxClassifier, { maxEpochs: 30 })
      expect(result.pass).toBe(true)
      expect(result.message).toMatch(/curves agree within 0\.1% over 30 epochs/)
      expect(result.message).toMatch(/^ {2}tensorflow [▁-█]+/m)
      expect(result.message).toMatch(/^ {2}cpu {8}[▁-█]+/m)
      await expect(logisticUnit(1)).toTrainConsistentlyAcrossBackends(twoPoints, { maxEpochs: 30 })
    } else {
      const before = tf.memory().numTensors
      await expect(checks.consistentAcrossBackends(softmaxClassifier, { maxEpochs: 30 })).rejects.toThrow(
        /the tensorflow backend is missing \(only cpu is available here\)\. To run it, install @tensorflow\/tfjs-node \(see the README section "Backends"\)/,
      )
      await expect(expect(logisticUnit(1)).toTrainConsistentlyAcrossBackends(twoPoints, { maxEpochs: 30 })).rejects.toThrow(/backendsAvailable/)
      expect(tf.memory().numTensors).toBe(before)
    }
  })

  test('options.backends rejects names trainability cannot run on, naming the option, the value and the valid names', async () => {
    for (const name of ['webgl', 'webgpu']) {
      const call = checks.consistentAcrossBackends(logisticUnit(1), twoPoints, { backends: ['cpu', name] as never })
      await expect(call).rejects.toThrow(RangeError)
      await expect(checks.consistentAcrossBackends(logisticUnit(1), twoPoints, { backends: ['cpu', name] as never })).rejects.toThrow(
        `options.backends[1] must be one of 'tensorflow', 'cpu', received string "${name}"; pass e.g. { backends: ['tensorflow', 'cpu'] }`,
      )
    }
    await expect(checks.consistentAcrossBackends(logisticUnit(1), twoPoints, { backends: ['cpu'] as never })).rejects.toThrow(/^options\.backends must be an array of 2 backend names, received an array of length 1/)
  })

  test('passes when the same backend runs twice: the curves agree exactly', async () => {
    const result = await checks.consistentAcrossBackends(logisticUnit(1), twoPoints, { backends: ['cpu', 'cpu'], tolerance: 0 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/curves agree within 0% over 100 epochs/)
  })

  test('passes when timeoutMs stops the second run early: compares the epochs both completed and says the budget cut it short', async () => {
    const result = await checks.consistentAcrossBackends(stallsSecondRun(1500), twoPointsColumn, { backends: ['cpu', 'cpu'], learningRate: 0.1, maxEpochs: 5, timeoutMs: 1000, tolerance: 0 })
    expect(result.message).not.toMatch(/part at epoch/)
    expect(result.message).toMatch(/5 epochs on cpu, 1 epoch on cpu; compared the 1 epoch both completed/)
    expect(result.message).toMatch(/stopped by the 1000 ms budget in the run on cpu after 1 epoch/)
    expect(result.pass).toBe(true)
  })

  test('identical Infinity or NaN curves agree', async () => {
    for (const value of [Number.POSITIVE_INFINITY, Number.NaN]) {
      const result = await checks.consistentAcrossBackends(nonFiniteLoss(value), twoPointsColumn, { backends: ['cpu', 'cpu'], learningRate: 0.1, maxEpochs: 5, tolerance: 0 })
      expect(result.record.losses).toEqual([value])
      expect(result.message).toMatch(/curves agree within 0% over 1 epoch\b/)
      expect(result.pass).toBe(true)
    }
  })
})

describe('.not.toTrainConsistentlyAcrossBackends', () => {
  test('passes when the runs differ from the first epoch; the positive matcher’s failure shows both curves and where they part', async () => {
    const before = tf.memory().numTensors
    const result = await checks.consistentAcrossBackends(unseededTrainable, { x: [[1], [2]], y: [[1], [2]] }, { backends: ['cpu', 'cpu'], learningRate: 0.01 })
    expect(tf.memory().numTensors).toBe(before)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to train the same on cpu and cpu \(within 0\.1% per epoch\)$/m)
    expect(result.message).toMatch(/curves part at epoch 1: [\d.e+-]+ on cpu vs [\d.e+-]+ on cpu/)
    expect(result.message).toMatch(/1\. C11 initialization differs between backends/)
    await expect(unseededTrainable).not.toTrainConsistentlyAcrossBackends({ x: [[1], [2]], y: [[1], [2]] }, { backends: ['cpu', 'cpu'], learningRate: 0.01 })
  })
})
