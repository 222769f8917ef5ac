import * as tf from '@tensorflow/tfjs'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { loadNative } from '../src/backend.js'
import { logisticUnit, softmaxClassifier, twoPoints, unseededTrainable } from './fixtures/models.js'

describe('toTrainConsistentlyAcrossBackends', () => {
  test('native vs cpu: agree when both run, skip with a notice when only one is here', async () => {
    const native = (await loadNative()).loaded
    const result = await checks.consistentAcrossBackends(softmaxClassifier, { maxEpochs: 30 })
    expect(result.pass).toBe(true)
    if (native) {
      expect(result.message).toMatch(/curves agree within 0\.1% over 30 epochs/)
      expect(result.message).toMatch(/^ {2}tensorflow [▁-█]+/m)
      expect(result.message).toMatch(/^ {2}cpu {8}[▁-█]+/m)
    } else {
      expect(result.message).toMatch(/skipped: only the cpu backend is available/)
    }
    await expect(logisticUnit(1)).toTrainConsistentlyAcrossBackends(twoPoints, { maxEpochs: 30 })
  })

  test('the comparison itself: the same backend twice agrees exactly', async () => {
    const result = await checks.consistentAcrossBackends(logisticUnit(1), twoPoints, { backends: ['cpu', 'cpu'], tolerance: 0 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/curves agree within 0% over 100 epochs/)
  })

  test('a run that differs from the first epoch fails, showing both curves and where they part', async () => {
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
