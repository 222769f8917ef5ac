import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { linearRegression, logisticUnit, mlpRegressor, twoPoints } from '../fixtures/models.js'

const data = linearRegression()

describe('toTolerateLearningRates', () => {
  test('by default the model’s own rate ÷3, ×1 and ×3: the thread’s logistic unit trains at all three', async () => {
    await expect(logisticUnit(1)).toTolerateLearningRates(twoPoints)
    const result = await checks.learningRates(mlpRegressor(0.05), data)
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/train at every learning rate of 0\.01667, 0\.05, 0\.15 /)
    expect(result.message).toMatch(/trains at lr 0\.01667 to 0\.15/)
  })

  test('a rate that diverges and one that stalls: each classified, the working range, C5 and C6 pointing at the rate that worked', async () => {
    const result = await checks.learningRates(mlpRegressor(0.05), data, { rates: [1.5, 1e-6, 0.05] })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to train at every learning rate of 1e-6, 0\.05, 1\.5 \(loss falls ≥ 5% in 100 epochs, never diverges\)$/m)
    expect(result.message).toMatch(/^ {2}trains at lr 0\.05 only {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/^ {2}✗ lr 1e-6 {2}plateau: loss moved 0\.07\d*% \(5\.326 → 5\.322\)$/m)
    expect(result.message).toMatch(/^ {2}✓ lr 0\.05 {2}loss 5\.326 → 0\.02859 \(−99\.46%\)$/m)
    expect(result.message).toMatch(/^ {2}✗ lr 1\.5 {3}diverged: loss became Infinity at epoch \d+$/m)
    expect(result.message).toMatch(/^ {2}lr 1\.5 {2}[▁▂▃▄▅▆▇█]+× diverged$/m)
    expect(result.findings.slice(0, 2).map((f) => f.id)).toStrictEqual(['C5', 'C6'])
    expect(result.message).toMatch(/1\. C5 learning rate too high: loss became Infinity at epoch \d+ at lr 1\.5 \(keep lr ≤ 0\.05, or clip gradients \/ use an adaptive optimizer\)/)
    expect(result.message).toMatch(/2\. C6 learning rate too low: loss moved 0\.07\d*% \(< 5%\) over 100 epochs at lr 1e-6 \(use lr ≥ 0\.05, or train longer\)/)
  })

  test('a loss that ends above where it started counts as diverged, even while finite', async () => {
    const result = await checks.learningRates(mlpRegressor(0.05), data, { rates: [1.5], maxEpochs: 12 })
    expect(result.message).toMatch(/✗ lr 1\.5 {2}diverged: loss rose 5\.326 → [\d.e+]+$/m)
    expect(result.message).toMatch(/trains at none of the rates tried/)
    expect(result.message).toMatch(/C5 learning rate too high: loss rose [\d.e+]+% over 12 epochs at lr 1\.5 \(lower the learning rate below 1\.5\)/)
  })

  test('minDrop sets what counts as a plateau', async () => {
    const result = await checks.learningRates(logisticUnit(1), twoPoints, { rates: [0.01], minDrop: 0.5, maxEpochs: 20 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/✗ lr 0\.01 {2}plateau: loss moved [\d.]+% /)
  })

  test('.not', async () => {
    await expect(mlpRegressor(0.05)).not.toTolerateLearningRates(data, { rates: [1e-6, 0.05] })
    await expect(expect(logisticUnit(1)).not.toTolerateLearningRates(twoPoints)).rejects.toThrow(
      /expected model not to train at every learning rate of 0\.3333, 1, 3 .*, but it did/,
    )
  })

  test('bad options are errors naming the option', async () => {
    await expect(checks.learningRates(logisticUnit(1), twoPoints, { rates: [] })).rejects.toThrow(/options\.rates must be a non-empty array/)
    await expect(checks.learningRates(logisticUnit(1), twoPoints, { rates: [0.1, -1] })).rejects.toThrow(/options\.rates must hold positive finite numbers, received -1/)
    await expect(checks.learningRates(logisticUnit(1), twoPoints, { minDrop: 0 })).rejects.toThrow(/options\.minDrop must be in \(0, 1\)/)
  })
})
