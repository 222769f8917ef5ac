import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { linearRegression, logisticUnit, mlpRegressor, noise, twoPoints, wideNet } from '../fixtures/models.js'

// What a picture of a failing check needs travels on its CheckResult: the curves, the goal line, the decided epoch.
describe('CheckResult.curves', () => {
  test('a failing toOverfitTinyDataset carries its loss curve, the lossBelow goal and the epoch the run stopped', async () => {
    const result = await checks.overfit(logisticUnit(1e-4), twoPoints, { maxEpochs: 40, lossBelow: 0.02, verify: false })
    expect(result.pass).toBe(false)
    expect(result.curves).toStrictEqual({
      curves: [{ label: 'loss', losses: result.record.losses }],
      goal: { label: 'loss < 0.02', value: 0.02 },
      decidedEpoch: 40,
    })
    expect(result.record.losses).toHaveLength(40)
  })

  test('a failing toGeneralize carries both learning curves from before training, the gap its maxGap bounds, and the epoch it read', async () => {
    const memorize = { train: noise(12, 1), validation: noise(12, 2) }
    const result = await checks.generalization(wideNet, memorize, { maxGap: 0.05, maxEpochs: 30, verify: false })
    expect(result.pass).toBe(false)
    const [training, validation, gap] = result.curves!.curves
    expect([training!.label, validation!.label, gap!.label]).toStrictEqual(['training', 'validation', 'gap (validation − training)'])
    // One value before training (epoch 0) and one after each epoch.
    expect(training!.losses).toHaveLength(result.record.epochs + 1)
    expect([training!.start, validation!.start, gap!.start]).toStrictEqual([0, 0, 0])
    gap!.losses.forEach((g, i) => expect(g).toBe(validation!.losses[i]! - training!.losses[i]!))
    expect(result.curves!.goal).toStrictEqual({ label: 'gap ≤ 0.05', value: 0.05 })
    expect(result.curves!.decidedEpoch).toBe(result.record.epochs)
    // The gap is the picture's: the message keeps its two sparklines.
    expect(result.message.match(/^ {2}\S+ +[▁▂▃▄▅▆▇█]+/gm)?.map((l) => l.trim().split(' ')[0])).toStrictEqual(['training', 'validation'])
    expect(result.message).not.toContain('gap (validation')
  })

  test('toReduceLossMonotonically and toStayFinite mark the epoch they read: where the loss went non-finite, or the run ended', async () => {
    const diverging = await checks.monotonic(mlpRegressor(3), linearRegression(), { maxEpochs: 60, verify: false })
    expect(diverging.pass).toBe(false)
    const [, at] = diverging.message.match(/became \S+ at epoch (\d+)/) ?? []
    expect(diverging.curves!.decidedEpoch).toBe(Number(at))
    const nonFinite = await checks.stayFinite(mlpRegressor(3), linearRegression(), { maxEpochs: 60, verify: false })
    expect(nonFinite.pass).toBe(false)
    const epochs = [...nonFinite.message.matchAll(/at epoch (\d+)|after epoch (\d+)/g)].map((m) => Number(m[1] ?? m[2]))
    expect(nonFinite.curves!.decidedEpoch).toBe(Math.min(...epochs))
    const steady = await checks.stayFinite(mlpRegressor(0.05), linearRegression(), { maxEpochs: 10 })
    expect(steady.pass).toBe(true)
    expect(steady.curves!.decidedEpoch).toBe(10)
  })

  test('a failing toTolerateLearningRates carries one curve per rate it ran, and no goal line (its rule is a relative fall)', async () => {
    const result = await checks.learningRates(mlpRegressor(0.05), linearRegression(), { rates: [1.5, 1e-6], maxEpochs: 20, verify: false })
    expect(result.pass).toBe(false)
    expect(result.curves!.curves.map((c) => c.label)).toStrictEqual(['lr 1e-6', 'lr 1.5'])
    expect(result.curves!.curves.every((c) => c.losses.length > 0)).toBe(true)
    expect(result.curves!.goal).toBeUndefined()
  })

  test('a check without curves of its own carries the record loss, without a goal', async () => {
    const result = await checks.monotonic(logisticUnit(0.5), twoPoints, { maxEpochs: 10 })
    expect(result.curves!.curves[0]).toStrictEqual({ label: 'loss', losses: result.record.losses })
  })
})
