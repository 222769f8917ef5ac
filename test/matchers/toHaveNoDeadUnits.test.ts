import * as tf from '@tensorflow/tfjs'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { iris, irisModel } from '../fixtures/iris.js'
import { corpusCase, corpusNotCase, type CorpusCase } from '../fixtures/corpus-cases.js'

// Iris's features z-scored (both signs, as after a scaler), then the same ×1000 as if the scaler were forgotten on
// data stored in other units: every hidden unit sees |pre-activation| in the hundreds, −1 on some samples, +1 on others.
const rows = iris(5)
const stats = [0, 1, 2, 3].map((k) => {
  const v = rows.x.map((r) => r[k]!)
  const mean = v.reduce((a, b) => a + b) / v.length
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) }
})
const z = { x: rows.x.map((r) => r.map((v, k) => (v - stats[k]!.mean) / stats[k]!.std)), y: rows.y }
const z1000 = { x: z.x.map((r) => r.map((v) => v * 1000)), y: rows.y }

/** iris/index.js's model with a tanh hidden layer instead of sigmoid. */
const irisTanh = (): tf.LayersModel => {
  const model = tf.sequential()
  model.add(tf.layers.dense({ units: 10, activation: 'tanh', inputShape: [4] }))
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }))
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' })
  return model
}

const corpus: CorpusCase = {
  matcher: 'toHaveNoDeadUnits', check: checks.noDeadUnits as CorpusCase['check'], id: 'C9',
  rule: /^expected model to keep dead or saturated units below 50% of every hidden layer after 50 epochs$/m,
  numbers: /dense_Dense\d+ \(relu, 16 units\): 100% dead, 0% saturated/,
  cause: /1\. C9 dead ReLU units: 100% of the 16 units of dense_Dense\d+ never activate on 32 samples after 50 epochs/,
}

describe('.toHaveNoDeadUnits', () => {
  corpusCase(corpus)

  test('passes when iris with a tanh hidden layer sees z-scored features; fails with C9 when they are ×1000, verified as C1', async () => {
    await expect(irisTanh).toHaveNoDeadUnits(z)
    const result = await checks.noDeadUnits(irisTanh, z1000)
    expect(result.pass).toBe(false)
    // Standardizing, the root cause's fix, makes the same check pass: verified, it ranks above the saturation it causes.
    expect(result.findings[0]).toMatchObject({ id: 'C1', verification: { helped: true } })
    expect(result.message).toMatch(/dense_Dense\d+ \(tanh, 10 units\): 0% dead, 100% saturated/)
    expect(result.message).toMatch(/2\. C9 saturated tanh units: 100% of the 10 units of dense_Dense\d+ are saturated \(mean 1 − y² below 0\.01: under 1% of the gradient passes\) on 30 samples after 50 epochs \(standardize the inputs/)
    await expect(irisTanh).not.toHaveNoDeadUnits(z1000)
  })

  test('passes when the iris model as published (sigmoid hidden layer) sees z-scored features; fails with C9 when they are ×1000, verified as C1', async () => {
    await expect(irisModel).toHaveNoDeadUnits(z)
    const result = await checks.noDeadUnits(irisModel, z1000)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/1\. C1 unscaled features: .*\n {5}verified: with scalers\.standard\(\) fitted on the training set the same run passes: dense_Dense\d+ \(sigmoid, 10 units\): 0% dead, 0% saturated/)
    expect(result.message).toMatch(/2\. C9 saturated sigmoid units: 100% of the 10 units of dense_Dense\d+ are saturated \(mean 4·y\(1 − y\) below 0\.01/)
  })

  test('the units do switch bounds across samples: saturated although no unit sits at one bound on every sample', () => {
    const model = irisTanh()
    const hidden = tf.tidy(() => model.layers[0]!.apply(tf.tensor2d(z1000.x)) as tf.Tensor2D)
    const [lo, hi] = [tf.min(hidden, 0), tf.max(hidden, 0)]
    const switching = tf.tidy(() => tf.logicalAnd(tf.less(lo, -0.99), tf.greater(hi, 0.99)).sum().dataSync()[0]!)
    expect(switching).toBeGreaterThan(5)
    tf.dispose([hidden, lo, hi])
    model.dispose()
  })
})

describe('.not.toHaveNoDeadUnits', () => {
  corpusNotCase(corpus)
})
