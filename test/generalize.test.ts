import * as tf from '@tensorflow/tfjs'
import { checks, scalers } from 'trainability'
import { describe, expect, test } from 'vitest'
import { boston, bostonMlp } from './fixtures/examples.js'
import { hiddenRelu, imbalanced, linearRegression, mlpRegressor, noise, wideNet } from './fixtures/models.js'

const split = <X, Y>(d: { x: X[]; y: Y[] }, at: number) => ({
  train: { x: d.x.slice(0, at), y: d.y.slice(0, at) },
  validation: { x: d.x.slice(at), y: d.y.slice(at) },
})
const regression = split(linearRegression(48), 32)
// why-is-my-network-failing.md §3: a large model on a dozen samples whose labels are noise memorizes them.
const memorize = { train: noise(12, 1), validation: noise(12, 2) }

describe('toGeneralize', () => {
  test('a small regressor and a classifier on held-out rows of the same data generalize', async () => {
    await expect(mlpRegressor(0.05)).toGeneralize(regression)
    await expect(hiddenRelu('glorotUniform')).toGeneralize(split(imbalanced(64), 48))
  })

  test('64 units on 12 noisy samples: C13 with the gap, where validation was best, and both learning curves', async () => {
    const result = await checks.generalization(wideNet, memorize)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to generalize: validation loss at most 0\.06931 \(10% of the chance loss 0\.6931\) above training loss at every epoch of 100$/m)
    expect(result.message).toMatch(/^ {2}after epoch 100: validation 6\.334, training 0\.002036 \(gap 6\.332\) {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/^ {2}widest gap 6\.332 after epoch 100 \(0\.04529 before training\); validation lowest 0\.715 before training$/m)
    expect(result.message).toMatch(/^ {2}training {3}[▁▂▃▄▅▆▇█]+ falling\n {2}validation [▁▂▃▄▅▆▇█]+ /m)
    expect(result.findings[0]).toMatchObject({ id: 'C13', title: 'overfitting: train/validation gap' })
    expect(result.message).toMatch(
      /1\. C13 overfitting: train\/validation gap: the gap grew from 0\.04529 before training to 6\.332 after epoch 100 while training loss fell to 0\.002036; validation was lowest \(0\.715\) before training \(add regularization \(dropout, an L2 kernelRegularizer\), use more data or a smaller model\)/,
    )
  })

  test('validation data from elsewhere (features shifted by 3): C14, since the untrained model already shows the gap', async () => {
    const shifted = { train: regression.train, validation: { x: regression.validation.x.map((r) => r.map((v) => v + 3)), y: regression.validation.y } }
    const result = await checks.generalization({ model: mlpRegressor(0.05), preprocess: scalers.standard() }, shifted)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C14', title: 'validation data differs from training data' })
    expect(result.message).toMatch(/1\. C14 validation data differs from training data: the untrained model already scores validation [\d.]+ vs training [\d.]+ \(gap [\d.]+\)/)
  })

  test('a run that diverges fails on the non-finite losses, and the learning rate is the cause', async () => {
    const result = await checks.generalization(mlpRegressor(50), regression)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}not finite after epoch \d+: validation Infinity, training Infinity$/m)
    expect(result.message).toMatch(/^ {2}validation [▁▂▃▄▅▆▇█]+×+ diverged$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C5', title: 'learning rate too high' })
    expect(result.findings.map((f) => f.id)).not.toContain('C14')
  })

  test('maxGap sets the allowance', async () => {
    const result = await checks.generalization(wideNet, memorize, { maxGap: 10, maxEpochs: 30 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/at most 10 above training loss at every epoch of 30, but it did/)
  })

  // boston-housing/index.js's one-hidden-layer MLP on standardized features; prices in $1000s (var ≈ 70 here), so a
  // healthy model's gap is ~1 loss unit: the default is relative to the chance loss, maxGap stays in loss units.
  const housing = { train: boston(64, 1), validation: boston(32, 2) }
  test('Boston housing generalizes under the default relative gap, and fails a gap of 0.1 in loss units', async () => {
    const subject = { model: bostonMlp, preprocess: scalers.standard() }
    await expect(subject).toGeneralize(housing)
    const relative = await checks.generalization(subject, housing)
    expect(relative.message).toMatch(/validation loss at most ([\d.]+) \(10% of the chance loss ([\d.]+)\) above training loss/)
    const [, limit, chance] = /at most ([\d.]+) \(10% of the chance loss ([\d.]+)\)/.exec(relative.message)!
    expect(Number(limit)).toBeCloseTo(0.1 * Number(chance), 2)
    expect(relative.message).toMatch(/^ {2}gap counted from after epoch \d+, the first with a training loss below chance/m)
    const absolute = await checks.generalization(subject, housing, { maxGap: 0.1 })
    expect(absolute.pass).toBe(false)
    expect(absolute.message).toMatch(/^expected model to generalize: validation loss at most 0\.1 above training loss at every epoch of 100$/m)
    const [, gap] = /after epoch 100: validation [\d.]+, training [\d.]+ \(gap ([\d.]+)\)/.exec(absolute.message)!
    expect(Number(gap)).toBeGreaterThan(0.1)
    expect(Number(gap)).toBeLessThan(Number(limit))
  })

  test('maxRelativeGap sets the share of the chance loss', async () => {
    const result = await checks.generalization(wideNet, memorize, { maxRelativeGap: 20, maxEpochs: 30 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/at most 13\.86 \(2000% of the chance loss 0\.6931\) above training loss at every epoch of 30, but it did/)
    await expect(checks.generalization(wideNet, memorize, { maxGap: 1, maxRelativeGap: 0.1 })).rejects.toThrow(/options\.maxGap \(loss units\) and options\.maxRelativeGap \(share of the chance loss\) both given; pass one of them/)
    await expect(checks.generalization(wideNet, memorize, { maxRelativeGap: Number.NaN })).rejects.toThrow(/options\.maxRelativeGap must be a finite number ≥ 0, received NaN/)
  })

  test('.not', async () => {
    await expect(wideNet).not.toGeneralize(memorize, { maxEpochs: 60 })
    await expect(expect(mlpRegressor(0.05)).not.toGeneralize(regression)).rejects.toThrow(/expected model not to generalize: .*, but it did/)
  })

  test('bad input names the argument; nothing leaks when validation is rejected', async () => {
    // @ts-expect-error toGeneralize takes { train, validation }
    await expect(checks.generalization(wideNet, noise(4, 1))).rejects.toThrow(/toGeneralize needs \{ train, validation \}, two datasets \{ x, y \}; received an object with keys \{x, y\}/)
    await expect(checks.generalization(wideNet, memorize, { maxGap: -1 })).rejects.toThrow(/options\.maxGap must be a finite number ≥ 0, received -1/)
    const before = tf.memory().numTensors
    await expect(checks.generalization(wideNet, { train: memorize.train, validation: { x: [[1, 2]], y: [1] } })).rejects.toThrow(RangeError)
    await expect(checks.generalization(wideNet, { train: memorize.train, validation: { x: [[1, 2]], y: [1] } })).rejects.toThrow(/validation\.x has samples of shape \[2\]/)
    expect(tf.memory().numTensors).toBe(before)
  })
})
