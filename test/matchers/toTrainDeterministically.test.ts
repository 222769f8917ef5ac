import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { logisticUnit, softmaxClassifier, twoPoints, unseededTrainable } from '../fixtures/models.js'

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
})

describe('.not.toTrainDeterministically', () => {
  test('passes when initialization escapes the seed; fails when training is deterministic, saying it did', async () => {
    await expect(unseededTrainable).not.toTrainDeterministically({ x: [[1], [2]], y: [[1], [2]] }, { learningRate: 0.01 })
    await expect(expect(logisticUnit(1)).not.toTrainDeterministically(twoPoints)).rejects.toThrow(/but it did/)
  })
})
