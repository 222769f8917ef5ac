import * as tf from '@tensorflow/tfjs'
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { linearRegression, mlpRegressor } from '../fixtures/models.js'

const data = linearRegression()

/** A ReLU MLP regressor with a training-only noise layer after its hidden layer, Adam at `lr`. */
const noisyMlp = (lr: number, noise: 'dropout' | 'gaussianNoise' = 'dropout') => (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 32, activation: 'relu', inputShape: [2] }),
      noise === 'dropout' ? tf.layers.dropout({ rate: 0.5 }) : tf.layers.gaussianNoise({ stddev: 0.5 }),
      tf.layers.dense({ units: 1 }),
    ],
  })
  model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(lr) })
  return model
}

/** Epoch-to-epoch rises of more than `tolerance` (the check's default 0.1%) in a loss curve. */
const risesOf = (losses: readonly number[], tolerance = 1e-3): number => losses.slice(1).filter((l, i) => l > losses[i]! * (1 + tolerance)).length

describe('.toReduceLossMonotonically', () => {
  test('passes when an MLP regressor trains at a moderate learning rate', async () => {
    await expect(mlpRegressor(0.05)).toReduceLossMonotonically(data)
  })

  test('fails when the learning rate is too high, naming the first rise and C5', async () => {
    const result = await checks.monotonic(mlpRegressor(1.5), data)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to reduce its loss at every epoch \(rise ≤ 0\.1%\) over 100 epochs$/m)
    expect(result.message).toMatch(/(first rise at epoch \d+: [\d.e+-]+ → [\d.e+-]+ \(\+[\d.e+-]+%\), \d+ rises in all|loss became (NaN|Infinity) at epoch \d+)/)
    expect(result.findings[0]).toMatchObject({ id: 'C5', title: 'learning rate too high' })
    expect(result.message).toMatch(/1\. C5 learning rate too high: .* at lr 1\.5 \(try lr 0\.15( to 0\.5)?\)/)
  })

  test('passes when a window smooths the curve before comparing', async () => {
    const raw = await checks.monotonic(mlpRegressor(0.05), data, { window: 5, maxEpochs: 40 })
    expect(raw.pass).toBe(true)
    expect(raw.message).toMatch(/smoothed over 5/)
  })

  test('passes when a healthy dropout model’s inference-mode loss falls, though its training loss rises at many epochs', async () => {
    const result = await checks.monotonic(noisyMlp(0.01), data)
    expect(result.pass, result.message).toBe(true)
    expect(risesOf(result.record.losses)).toBeGreaterThan(10) // the training curve alone would fail the rule
    expect(result.message).toMatch(/^expected model not to reduce its inference-mode loss at every epoch \(rise ≤ 0\.1%\) over 100 epochs, but it did$/m)
    expect(result.message).toMatch(/^ {2}inference-mode loss [\d.]+ → [\d.]+ over 100 epochs {3}backend/m)
    expect(result.message).toMatch(/judged the loss in inference mode before training and after each epoch: dropout_\w+ \(Dropout\) draws fresh noise at every training step, so its training loss \([\d.]+ → [\d.]+\) is noisy by design and not judged/)
    expect(result.message).toMatch(/^ {2}inference [▁-█]+ [a-z, ]*falling\n {2}training {2}[▁-█]+ [a-z, ]*falling$/m)
  })

  test('diagnose reads the same inference-mode curve: the healthy dropout model is not called oscillating', async () => {
    const { findings, evidence } = await diagnose(noisyMlp(0.01), data, { maxEpochs: 100 })
    expect(evidence.inference?.noisy).toEqual([expect.stringMatching(/^dropout_\w+ \(Dropout\)$/)])
    expect(risesOf(evidence.inference!.losses)).toBeGreaterThan(0) // the inference curve wobbles too, within the noise band
    expect(findings.filter((f) => f.id === 'C5')).toEqual([])
  })

  test('passes when a GaussianNoise layer adds training-only noise too', async () => {
    const result = await checks.monotonic(noisyMlp(0.003, 'gaussianNoise'), data, { maxEpochs: 30 })
    expect(result.pass, result.message).toBe(true)
    expect(result.message).toMatch(/gaussian_noise_\w+ \(GaussianNoise\) draws fresh noise/)
  })

  test('the inference-mode observer leaves the training run bit-identical', async () => {
    const judged = await checks.monotonic(noisyMlp(0.01), data, { maxEpochs: 20 })
    const plain = await checks.stayFinite(noisyMlp(0.01), data, { maxEpochs: 20 })
    expect(judged.record.losses).toEqual(plain.record.losses)
  })

  test('fails when a dropout model trains at too high a learning rate, with C5 on a rise far beyond its training noise', async () => {
    const result = await checks.monotonic(noisyMlp(1), data)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to reduce its inference-mode loss at every epoch \(rise ≤ 0\.1%\) over 100 epochs$/m)
    const rise = /first rise at epoch (\d+): ([\d.]+) → ([\d.]+) \(\+[\d.]+%\) beyond the training noise \(±([\d.e-]+)\), (\d+) rises in all/.exec(result.message)
    expect(rise, result.message).not.toBeNull()
    const [, , from, to, band] = rise!.map(Number)
    expect(to! - from!).toBeGreaterThan(10 * band!)
    expect(result.findings[0]).toMatchObject({ id: 'C5', title: 'learning rate too high' })
    expect(result.message).toMatch(/1\. C5 learning rate too high: inference-mode loss rose in \d+ of 100 epochs, first at epoch \d+ \([\d.]+ → [\d.]+\) at lr 1 \(\{ learningRate: 0\.01 \}, verified; at lr 0\.1 it fell short\)/)
  })

  test('fails when the loss never falls, even without rises', async () => {
    const result = await checks.monotonic(mlpRegressor(1e-9), data, { tolerance: 1, maxEpochs: 10 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/loss did not end below where it started/)
  })
})

describe('.not.toReduceLossMonotonically', () => {
  test('passes when the loss rises at too high a rate; fails when it falls, saying it did', async () => {
    await expect(mlpRegressor(1.5)).not.toReduceLossMonotonically(data)
    await expect(expect(mlpRegressor(0.05)).not.toReduceLossMonotonically(data)).rejects.toThrow(
      /expected model not to reduce its loss at every epoch .*, but it did/,
    )
  })
})
