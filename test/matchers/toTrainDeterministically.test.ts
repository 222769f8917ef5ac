import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { logisticUnit, softmaxClassifier, stallsSecondRun, twoPoints, twoPointsColumn, unseededTrainable } from '../fixtures/models.js'

describe('.toTrainDeterministically', () => {
  test('passes when a layers model trained under the seed is bit-identical across runs', async () => {
    await expect(logisticUnit(1)).toTrainDeterministically(twoPoints)
    await expect(softmaxClassifier).toTrainDeterministically()
  })

  test('fails when the model is initialized from crypto, pointing at the initialization (C11)', async () => {
    const result = await checks.determinism(unseededTrainable, { x: [[1], [2]], y: [[1], [2]] }, { learningRate: 0.01 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to train deterministically: identical loss curves and weights from seed 42$/m)
    expect(result.message).toMatch(/loss curves part at epoch 1: /)
    expect(result.message).toMatch(/final weights differ: /)
    expect(result.findings[0]).toMatchObject({ id: 'C11', title: 'randomness outside the seed at initialization' })
  })

  test('passes when timeoutMs stops the second run early: compares the epochs both completed and says the budget cut it short', async () => {
    // Run 2 stalls 1.5 s in its first step, so its 1 s budget ends it after epoch 1; run 1 does 5 fast epochs.
    const result = await checks.determinism(stallsSecondRun(1500), twoPointsColumn, { learningRate: 0.1, maxEpochs: 5, timeoutMs: 1000 })
    expect(result.message).not.toMatch(/part at epoch/)
    expect(result.message).toMatch(/two runs under seed 42, of 5 epochs and 1 epoch; compared the 1 epoch both completed/)
    expect(result.message).toMatch(/stopped by the 1000 ms budget in run 2 after 1 epoch/)
    expect(result.pass).toBe(true)
  })
})

describe('.not.toTrainDeterministically', () => {
  test('passes when initialization escapes the seed; fails when training is deterministic, saying it did', async () => {
    await expect(unseededTrainable).not.toTrainDeterministically({ x: [[1], [2]], y: [[1], [2]] }, { learningRate: 0.01 })
    await expect(expect(logisticUnit(1)).not.toTrainDeterministically(twoPoints)).rejects.toThrow(/but it did/)
  })
})
