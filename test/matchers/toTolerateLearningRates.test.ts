import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { num } from '../fixtures/derive.js'
import { linearRegression, logisticUnit, mlpRegressor, twoPoints } from '../fixtures/models.js'

const data = linearRegression()

/** The relative change of a loss in percent, from the two ends a message prints. */
const percent = (from: number, to: number): number => (100 * (to - from)) / from

describe('.toTolerateLearningRates', () => {
  test('passes when the model trains at its own rate ÷3, ×1 and ×3 (the default): the thread’s logistic unit, an MLP regressor', async () => {
    await expect(logisticUnit(1)).toTolerateLearningRates(twoPoints)
    const result = await checks.learningRates(mlpRegressor(0.05), data)
    expect(result.pass).toBe(true)
    const [third, own, triple] = [0.05 / 3, 0.05, 0.05 * 3].map(num)
    expect(result.message).toMatch(new RegExp(`train at every learning rate of ${third}, ${own}, ${triple} `))
    expect(result.message).toMatch(new RegExp(`trains at lr ${third} to ${triple}`))
  })

  test('fails when one rate diverges and one stalls: each classified, the working range, C5 and C6 pointing at the rate that worked', async () => {
    const result = await checks.learningRates(mlpRegressor(0.05), data, { rates: [1.5, 1e-6, 0.05] })
    const message = result.message
    expect(result.pass).toBe(false)
    expect(message).toMatch(/^expected model to train at every learning rate of 1e-6, 0\.05, 1\.5 \(loss falls ≥ 5% in 100 epochs, never diverges\)$/m)
    expect(message).toMatch(/^ {2}trains at lr 0\.05 only {3}backend \w+ {3}seed 42$/m)
    const plateau = /^ {2}✗ lr 1e-6 {2}plateau: loss moved ([\d.]+)% \(([\d.]+) → ([\d.]+)\)$/m.exec(message)
    const trained = /^ {2}✓ lr 0\.05 {2}loss ([\d.]+) → ([\d.e-]+) \(−([\d.]+)%\)$/m.exec(message)
    expect(plateau, message).not.toBeNull()
    expect(trained, message).not.toBeNull()
    const [, moved, stuckFrom, stuckTo] = plateau!.map(Number)
    const [, from, to, dropped] = trained!.map(Number)
    // Every rate starts from the same seeded weights, so from the same loss.
    expect(stuckFrom).toBe(from)
    // A plateau moved less than minDrop (5%); the rate that worked dropped more. Each percentage is its two ends'
    // relative change (to the precision of the printed ends: 4 significant digits).
    expect(moved).toBeLessThan(5)
    expect(moved).toBeCloseTo(-percent(stuckFrom!, stuckTo!), 1)
    expect(stuckTo).toBeLessThan(stuckFrom!)
    expect(dropped).toBeGreaterThan(5)
    expect(dropped).toBeCloseTo(-percent(from!, to!), 1)
    expect(message).toMatch(/^ {2}✗ lr 1\.5 {3}diverged: loss became Infinity at epoch \d+$/m)
    expect(message).toMatch(/^ {2}lr 1\.5 {2}[▁▂▃▄▅▆▇█]+× diverged$/m)
    expect(result.findings.slice(0, 2).map((f) => f.id)).toStrictEqual(['C5', 'C6'])
    expect(message).toMatch(/1\. C5 learning rate too high: loss became Infinity at epoch \d+ at lr 1\.5 \(keep lr ≤ 0\.05, or clip gradients \/ use an adaptive optimizer\)/)
    const c6 = /2\. C6 learning rate too low: loss moved ([\d.]+)% \(< 5%\) over 100 epochs at lr 1e-6 \(use lr ≥ 0\.05, or train longer\)/.exec(message)
    expect(c6, message).not.toBeNull()
    expect(Number(c6![1])).toBe(moved) // the cause quotes the plateau's own number
  })

  test('fails when a loss ends above where it started: diverged, even while finite', async () => {
    const result = await checks.learningRates(mlpRegressor(0.05), data, { rates: [1.5], maxEpochs: 12 })
    const rose = /✗ lr 1\.5 {2}diverged: loss rose ([\d.e+]+) → ([\d.e+]+)$/m.exec(result.message)
    expect(rose, result.message).not.toBeNull()
    const [, from, to] = rose!.map(Number)
    expect(to).toBeGreaterThan(from!)
    expect(result.message).toMatch(/trains at none of the rates tried/)
    const c5 = /C5 learning rate too high: loss rose ([\d.e+]+)% over 12 epochs at lr 1\.5 \(lower the learning rate below 1\.5\)/.exec(result.message)
    expect(c5, result.message).not.toBeNull()
    expect(Number(c5![1]) / percent(from!, to!)).toBeCloseTo(1, 2)
  })

  test('fails when minDrop sets a plateau the rate does not clear', async () => {
    const result = await checks.learningRates(logisticUnit(1), twoPoints, { rates: [0.01], minDrop: 0.5, maxEpochs: 20 })
    expect(result.pass).toBe(false)
    const moved = /✗ lr 0\.01 {2}plateau: loss moved ([\d.]+)% /.exec(result.message)
    expect(moved, result.message).not.toBeNull()
    expect(Number(moved![1])).toBeLessThan(50)
  })

  test('throws when options are bad, naming the option', async () => {
    await expect(checks.learningRates(logisticUnit(1), twoPoints, { rates: [] })).rejects.toThrow(/options\.rates must be a non-empty array/)
    await expect(checks.learningRates(logisticUnit(1), twoPoints, { rates: [0.1, -1] })).rejects.toThrow(/^options\.rates\[1\] must be a positive finite number, received -1; pass e\.g\. \{ rates: \[0\.001, 0\.01, 0\.1\] \}$/)
    await expect(checks.learningRates(logisticUnit(1), twoPoints, { minDrop: 0 })).rejects.toThrow(/^options\.minDrop must be a share in \(0, 1\), received 0; pass e\.g\. \{ minDrop: 0\.05 \} \(a 5% fall\)$/)
  })
})

describe('.not.toTolerateLearningRates', () => {
  test('passes when a rate stalls; fails when every rate trains, saying it did', async () => {
    await expect(mlpRegressor(0.05)).not.toTolerateLearningRates(data, { rates: [1e-6, 0.05] })
    await expect(expect(logisticUnit(1)).not.toTolerateLearningRates(twoPoints)).rejects.toThrow(
      new RegExp(`expected model not to train at every learning rate of ${num(1 / 3)}, 1, 3 .*, but it did`),
    )
  })
})
