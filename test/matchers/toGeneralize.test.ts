import * as tf from '@tensorflow/tfjs'
import { checks, scalers, type CustomTrainable } from 'trainability'
import { describe, expect, test } from 'vitest'
import { SHIFT_Z, twoSample } from '../../src/findings/generalization.js'
import { num as printed } from '../fixtures/derive.js'
import { boston, bostonMlp } from '../fixtures/examples.js'
import { hiddenRelu, imbalanced, linearRegression, mlpRegressor, noise, table, wideNet } from '../fixtures/models.js'

const split = <X, Y>(d: { x: X[]; y: Y[] }, at: number) => ({
  train: { x: d.x.slice(0, at), y: d.y.slice(0, at) },
  validation: { x: d.x.slice(at), y: d.y.slice(at) },
})
const regression = split(linearRegression(48), 32)
// why-is-my-network-failing.md §3: a large model on a dozen samples whose labels are noise memorizes them.
const memorize = { train: noise(12, 1), validation: noise(12, 2) }
// The same regression with targets far from 0 (y + 30), as prices in $1000s are: an output that starts near 0 spends
// its first epochs learning the offset, and meanwhile the two sets' mean targets differing by δ move the gap by ~2·δ·30.
const uncentered = split({ x: linearRegression(48).x, y: linearRegression(48).y.map(([v]) => [v! + 30]) }, 32)
const linearUnit = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.05) })
  return model
}
/** A hand-written line y = w·x + b on x and y of shape [n], like tfjs-examples' polynomial-regression-core: its loss is one scalar per batch. */
const customLine = (): CustomTrainable => {
  const w = tf.variable(tf.scalar(0.1))
  const b = tf.variable(tf.scalar(0))
  const predict = (x: tf.Tensor): tf.Tensor => tf.tidy(() => tf.add(tf.mul(w, x), b))
  return { variables: [w, b], predict, loss: (x, y) => tf.tidy(() => tf.mean(tf.square(tf.sub(predict(x), y))) as tf.Scalar), inputShape: [], outputUnits: 1, task: 'regression' }
}
const line = (rows: number, salt: number) => {
  const x = table(rows, 1, salt).map(([v]) => v! * 2 - 1)
  return { x, y: x.map((v) => 0.8 * v + 0.5) }
}
const num = (text: string | undefined): number => Number(text)
const limitOf = (message: string): number => num(/validation loss at most ([\d.e-]+)/.exec(message)?.[1])
const finalOf = (message: string) => {
  const [, epoch, validation, training, gap] = /^ {2}after epoch (\d+): validation ([\d.e-]+), training ([\d.e-]+) \(gap (-?[\d.e-]+)\)/m.exec(message) ?? []
  return { epoch: num(epoch), validation: num(validation), training: num(training), gap: num(gap) }
}
const widestOf = (message: string) => {
  const [, gap, epoch, untrained] = /^ {2}widest gap (-?[\d.e-]+) after epoch (\d+) \((-?[\d.e-]+) before training\)/m.exec(message) ?? []
  return { gap: num(gap), epoch: num(epoch), untrained: num(untrained) }
}

describe('.toGeneralize', () => {
  test('passes when a small regressor and a classifier are judged on held-out rows of the same data', async () => {
    await expect(mlpRegressor(0.05)).toGeneralize(regression)
    await expect(hiddenRelu('glorotUniform')).toGeneralize(split(imbalanced(64), 48))
  })

  test('passes when a regressor with uncentered targets generalizes once trained: the early gap is the unfitted offset', async () => {
    await expect(linearUnit).toGeneralize(uncentered)
    const result = await checks.generalization(linearUnit, uncentered)
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/^expected model not to generalize: validation loss at most [\d.]+ \(10% of the chance loss [\d.]+\) above training loss once trained \(100 epochs\), but it did$/m)
    const limit = limitOf(result.message)
    const final = finalOf(result.message)
    const widest = widestOf(result.message)
    expect(final.epoch).toBe(100)
    expect(final.gap).toBeLessThanOrEqual(limit)
    // The message still reports the widest gap and when: far above the limit, and early, while the offset was unfitted.
    expect(widest.gap).toBeGreaterThan(10 * limit)
    expect(widest.epoch).toBeLessThan(final.epoch)
  })

  test('fails when 64 units memorize 12 noisy samples: C13 with the final gap, where validation was best, and both learning curves', async () => {
    const result = await checks.generalization(wideNet, memorize)
    expect(result.pass).toBe(false)
    // ln 2 = 0.6931 is the chance loss of balanced binary labels; 10% of it is the default allowance.
    expect(result.message).toMatch(new RegExp(`^expected model to generalize: validation loss at most ${printed(0.1 * Math.LN2)} \\(10% of the chance loss ${printed(Math.LN2)}\\) above training loss once trained \\(100 epochs\\)$`, 'm'))
    const final = finalOf(result.message)
    expect(final.epoch).toBe(100)
    expect(final.training).toBeLessThan(0.1 * Math.LN2) // memorized the training labels
    expect(final.validation).toBeGreaterThan(Math.LN2) // worse than chance on the held-out ones
    expect(final.gap).toBeGreaterThan(0.1 * Math.LN2)
    // Validation was best well before the end and has risen since: training fits noise that does not carry over.
    const [, lowest, , lowestEpoch] = /; validation lowest ([\d.]+) (before training|after epoch (\d+))$/m.exec(result.message) ?? []
    expect(Number(lowestEpoch ?? 0)).toBeLessThan(final.epoch)
    expect(num(lowest)).toBeLessThan(final.validation)
    expect(result.message).toMatch(/^ {2}training {3}[▁▂▃▄▅▆▇█]+ falling\n {2}validation [▁▂▃▄▅▆▇█]+ /m)
    expect(result.findings[0]).toMatchObject({ id: 'C13', title: 'overfitting: train/validation gap' })
    expect(result.findings.map((f) => f.id)).not.toContain('C14')
    const [, from, z, to] = /1\. C13 overfitting: train\/validation gap: the gap grew from (-?[\d.e-]+) before training, when both sets scored alike \((-?[\d.e-]+) standard errors apart\), to ([\d.]+) after epoch 100 while training loss fell to [\d.e-]+; validation was lowest \([\d.]+\) (before training|after epoch \d+) \(add regularization \(dropout, an L2 kernelRegularizer\), use more data or a smaller model/.exec(result.message) ?? []
    expect(Math.abs(num(z))).toBeLessThanOrEqual(SHIFT_Z)
    expect(num(to)).toBe(final.gap)
    expect(num(from)).toBeLessThan(num(to))
  })

  test('fails without C14 when a random split of one dataset differs by sampling noise, however large the untrained gap', async () => {
    // Prices in $1000s from one generator: the untrained model's gap is the offset times the noise in the two means.
    const housing = { train: boston(64, 1), validation: boston(32, 2) }
    const result = await checks.generalization({ model: bostonMlp, preprocess: scalers.standard() }, housing, { maxGap: 0 })
    expect(result.pass).toBe(false)
    const widest = widestOf(result.message)
    expect(widest.untrained).toBeGreaterThan(finalOf(result.message).gap) // what the old rule read as a data difference
    expect(result.findings.map((f) => f.id)).not.toContain('C14')
    const [, z] = /C13 overfitting: train\/validation gap: .* when both sets scored alike \((-?[\d.e-]+) standard errors apart\)/.exec(result.message) ?? []
    expect(Math.abs(num(z))).toBeLessThanOrEqual(SHIFT_Z)
  })

  test('the two-sample z: the difference of means over √(s_t²/n_t + s_v²/n_v), within 3 for splits of one sample', () => {
    // Means 2 and 3, sample variances 1 and 1: z = 1 / √(1/3 + 1/3) = 1.2247.
    expect(twoSample([1, 2, 3], [2, 3, 4])).toMatchObject({ difference: 1 })
    expect(twoSample([1, 2, 3], [2, 3, 4])!.z).toBeCloseTo(1 / Math.sqrt(2 / 3), 10)
    expect(twoSample([1, 1], [2, 2])!.z).toBe(Number.POSITIVE_INFINITY)
    expect(twoSample([1], [2, 3])).toBeUndefined()
    // Skewed "losses" (squares of uniforms), cut into 100 disjoint train/validation pairs of 20 and 10: under the null
    // hypothesis P(|z| > 3) ≈ 0.27%, so about 0.3 pairs of 100 are expected beyond 3; more than 3 would refute the rule.
    const losses = table(3000, 1, 7).map(([v]) => v! ** 2)
    const beyond = Array.from({ length: 100 }, (_, k) => losses.slice(30 * k, 30 * k + 30)).filter((pair) => Math.abs(twoSample(pair.slice(0, 20), pair.slice(20))!.z) > SHIFT_Z)
    expect(beyond.length).toBeLessThanOrEqual(3)
    // Moved by 6 standard errors of the difference (a squared uniform has sd √(1/5 − 1/9) = √(4/45); times
    // √(1/20 + 1/10)), validation lands beyond 3 except with probability P(N(0, 1) < −3) ≈ 0.13% per pair.
    const shift = 6 * Math.sqrt(4 / 45) * Math.sqrt(1 / 20 + 1 / 10)
    const moved = Array.from({ length: 100 }, (_, k) => losses.slice(30 * k, 30 * k + 30)).filter((pair) => twoSample(pair.slice(0, 20), pair.slice(20).map((v) => v + shift))!.z > SHIFT_Z)
    expect(moved.length).toBeGreaterThanOrEqual(97)
  })

  test('fails when validation data comes from elsewhere (features shifted by 3): C14, since validation samples lie far from the training data', async () => {
    const shifted = { train: regression.train, validation: { x: regression.validation.x.map((r) => r.map((v) => v + 3)), y: regression.validation.y } }
    const result = await checks.generalization({ model: mlpRegressor(0.05), preprocess: scalers.standard() }, shifted)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C14', title: 'validation data differs from training data' })
    const [, validation, training, z] =
      /1\. C14 validation data differs from training data: validation samples lie ([\d.]+) training standard deviations from the training mean vs ([\d.]+) for training samples \(([\d.e+]+|Infinity) standard errors of [\d.e-]+\); two samples of the same data stay within 3/.exec(result.message) ?? []
    // Standardized on train, a training sample lies √(mean z²) from the mean, at most 1 on average (Jensen); a shift of
    // 3 raw units, about 3 training standard deviations per feature, puts validation near 3.
    expect(num(training)).toBeLessThanOrEqual(1)
    expect(num(validation)).toBeGreaterThan(2)
    expect(num(z)).toBeGreaterThan(SHIFT_Z)
  })

  test('fails when labels are preprocessed for train only (validation in other units), on a custom trainable: C14 from the untrained per-sample losses', async () => {
    const train = line(32, 3)
    const other = line(16, 4)
    const validation = { x: other.x, y: other.y.map((v) => v * 10) }
    const result = await checks.generalization(customLine, { train, validation }, { learningRate: 0.5, maxEpochs: 40 })
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C14', title: 'validation data differs from training data' })
    const [, v, t, gap, z] =
      /1\. C14 validation data differs from training data: the untrained model already scores validation ([\d.]+) vs training ([\d.]+) per sample \(gap ([\d.]+): ([\d.e+]+|Infinity) standard errors of [\d.e-]+\); two samples of the same data stay within 3/.exec(result.message) ?? []
    expect(num(gap)).toBeCloseTo(num(v) - num(t), 1)
    expect(num(z)).toBeGreaterThan(SHIFT_Z)
    // The same split with the labels in the same units: no C14 (a limit of 0 makes it fail, to read its causes).
    const same = await checks.generalization(customLine, { train, validation: other }, { learningRate: 0.5, maxEpochs: 40, maxGap: 0 })
    expect(same.findings.map((f) => f.id)).not.toContain('C14')
  })

  test('fails when the run diverges, on the non-finite losses, and the learning rate is the cause', async () => {
    const result = await checks.generalization(mlpRegressor(50), regression)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}not finite after epoch \d+: validation Infinity, training Infinity$/m)
    expect(result.message).toMatch(/^ {2}validation [▁▂▃▄▅▆▇█]+×+ diverged$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C5', title: 'learning rate too high' })
    expect(result.findings.map((f) => f.id)).not.toContain('C14')
  })

  test('passes when maxGap sets a wide allowance', async () => {
    const result = await checks.generalization(wideNet, memorize, { maxGap: 10, maxEpochs: 30 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/at most 10 above training loss once trained \(30 epochs\), but it did/)
  })

  // boston-housing/index.js's one-hidden-layer MLP on standardized features; prices in $1000s (var ≈ 70 here), so a
  // healthy model's gap is ~1 loss unit: the default is relative to the chance loss, maxGap stays in loss units.
  const housing = { train: boston(64, 1), validation: boston(32, 2) }
  test('passes when Boston housing is judged by the default relative gap; fails a gap of 0.1 in loss units', async () => {
    const subject = { model: bostonMlp, preprocess: scalers.standard() }
    await expect(subject).toGeneralize(housing)
    const relative = await checks.generalization(subject, housing)
    expect(relative.message).toMatch(/validation loss at most ([\d.]+) \(10% of the chance loss ([\d.]+)\) above training loss/)
    const [, limit, chance] = /at most ([\d.]+) \(10% of the chance loss ([\d.]+)\)/.exec(relative.message)!
    expect(Number(limit)).toBeCloseTo(0.1 * Number(chance), 2)
    expect(finalOf(relative.message).gap).toBeLessThanOrEqual(Number(limit))
    const absolute = await checks.generalization(subject, housing, { maxGap: 0.1 })
    expect(absolute.pass).toBe(false)
    expect(absolute.message).toMatch(/^expected model to generalize: validation loss at most 0\.1 above training loss once trained \(100 epochs\)$/m)
    const [, gap] = /after epoch 100: validation [\d.]+, training [\d.]+ \(gap ([\d.]+)\)/.exec(absolute.message)!
    expect(Number(gap)).toBeGreaterThan(0.1)
    expect(Number(gap)).toBeLessThan(Number(limit))
  })

  test('passes when maxRelativeGap sets a wide share of the chance loss; throws when both allowances are given', async () => {
    const result = await checks.generalization(wideNet, memorize, { maxRelativeGap: 20, maxEpochs: 30 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(new RegExp(`at most ${printed(20 * Math.LN2)} \\(2000% of the chance loss ${printed(Math.LN2)}\\) above training loss once trained \\(30 epochs\\), but it did`))
    await expect(checks.generalization(wideNet, memorize, { maxGap: 1, maxRelativeGap: 0.1 })).rejects.toThrow(/options\.maxGap \(loss units\) and options\.maxRelativeGap \(share of the chance loss\) both given; pass one of them/)
    await expect(checks.generalization(wideNet, memorize, { maxRelativeGap: Number.NaN })).rejects.toThrow(/options\.maxRelativeGap must be a finite number ≥ 0, received NaN/)
  })

  test('throws when input is bad, naming the argument; nothing leaks when validation is rejected', async () => {
    // @ts-expect-error toGeneralize takes { train, validation }
    await expect(checks.generalization(wideNet, noise(4, 1))).rejects.toThrow(/toGeneralize needs \{ train, validation \}, two datasets \{ x, y \}; received an object with keys \{x, y\}/)
    await expect(checks.generalization(wideNet, memorize, { maxGap: -1 })).rejects.toThrow(/options\.maxGap must be a finite number ≥ 0, received -1/)
    const before = tf.memory().numTensors
    await expect(checks.generalization(wideNet, { train: memorize.train, validation: { x: [[1, 2]], y: [1] } })).rejects.toThrow(RangeError)
    await expect(checks.generalization(wideNet, { train: memorize.train, validation: { x: [[1, 2]], y: [1] } })).rejects.toThrow(/validation\.x has samples of shape \[2\]/)
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('.not.toGeneralize', () => {
  test('passes when the wide net memorizes noise; fails when the regressor generalizes, saying it did', async () => {
    await expect(wideNet).not.toGeneralize(memorize, { maxEpochs: 60 })
    await expect(expect(mlpRegressor(0.05)).not.toGeneralize(regression)).rejects.toThrow(/expected model not to generalize: .*, but it did/)
  })
})
