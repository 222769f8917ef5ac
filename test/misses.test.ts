import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, scalers, type Finding } from 'trainability'
import { describe, expect, test } from 'vitest'
import { table } from './fixtures/models.js'

// Issue 10, "Known misses to fix on the way": each miss with the case the issue describes.

const list = (findings: Finding[]): string => findings.map((f) => `${f.id} ${f.severity}: ${f.title}: ${f.evidence}`).join('\n')

/** Prices-like raw features (means 50 and 200, stds about 29 and 58), labelled by a linear rule on them. */
function raw(rows: number, salt: number): { x: number[][]; y: number[] } {
  const x = table(rows, 2, salt).map(([a, b]) => [50 + 100 * (a! - 0.5), 200 + 200 * (b! - 0.5)])
  return { x, y: x.map(([a, b]) => ((a! - 50) / 29 + (b! - 200) / 58 > 0 ? 1 : 0)) }
}

/** Each column shifted by its mean and divided by its std, both taken from `from`. */
function standardized(x: number[][], from: number[][]): number[][] {
  const cols = from[0]!.length
  const mean = Array.from({ length: cols }, (_, j) => from.reduce((s, r) => s + r[j]!, 0) / from.length)
  const std = Array.from({ length: cols }, (_, j) => Math.sqrt(from.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / from.length))
  return x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!))
}

const unit = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
  return model
}

describe('C14 vs C13 in diagnose()', () => {
  const train = raw(64, 1)
  const validation = raw(32, 2)

  test('a validation set left in raw units while training is standardized is C14, not C13', async () => {
    const data = { train: { x: standardized(train.x, train.x), y: train.y }, validation }
    const { findings } = await diagnose(unit, data, { maxEpochs: 40 })
    expect(findings[0]?.id, list(findings)).toBe('C14')
    expect(findings[0]?.severity).toBe('error')
    // Raw validation sits near (50, 200) in units where training lies within a few stds of 0: far, in training stds.
    const [, far, near] = /validation samples lie ([\d.e+]+) training standard deviations from the training mean vs ([\d.]+) for training samples/.exec(findings[0]!.evidence) ?? []
    expect(Number(far)).toBeGreaterThan(10 * Number(near))
  })

  test('a validation set standardized with its own statistics before a preprocess fitted on train is C14', async () => {
    // The subject standardizes with the training statistics; the validation set was already standardized by hand with its
    // own, so it is transformed twice and lands near −50/29 and −200/58 training stds.
    const subject = { model: unit, preprocess: scalers.standard() }
    const data = { train, validation: { x: standardized(validation.x, validation.x), y: validation.y } }
    const { findings } = await diagnose(subject, data, { maxEpochs: 40 })
    expect(findings[0]?.id, list(findings)).toBe('C14')
    // The gap training opens on shifted data cannot be told from overfitting: C13, if raised, follows as a consequence.
    for (const f of findings.filter((f) => f.id === 'C13')) {
      expect(f.severity).toBe('warning')
      expect(f.evidence).toMatch(/likely a consequence of the data difference \(C14\)$/)
    }
  })

  test('diagnose() and toGeneralize read C14 from the same measurement: the same evidence under the same seed', async () => {
    const data = { train: { x: standardized(train.x, train.x), y: train.y }, validation }
    const { findings } = await diagnose(unit, data, { maxEpochs: 10, verify: false })
    const check = await checks.generalization(unit, data, { maxEpochs: 10, verify: false })
    expect(check.pass).toBe(false)
    const fromCheck = check.findings.find((f) => f.id === 'C14')
    expect(fromCheck, list(check.findings)).toBeDefined()
    expect(findings.find((f) => f.id === 'C14')?.evidence).toBe(fromCheck!.evidence)
  })

  test('the same split preprocessed alike raises no C14', async () => {
    const subject = { model: unit, preprocess: scalers.standard() }
    const { findings } = await diagnose(subject, { train, validation }, { maxEpochs: 40 })
    expect(findings.map((f) => f.id), list(findings)).not.toContain('C14')
    expect(findings.filter((f) => f.severity !== 'info'), list(findings)).toEqual([])
  })
})

describe('C6 is not the catch-all for a flat curve whose gradient is ~0', () => {
  // Balanced labels and inputs that are all 0: the untrained unit already predicts the prior 0.5 (bias 0), so every
  // gradient is exactly 0 and the loss stays at ln 2 at any learning rate.
  const zeros = { x: Array.from({ length: 16 }, () => [0, 0]), y: Array.from({ length: 16 }, (_, i) => i % 2) }
  const logistic = (): tf.LayersModel => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
    model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(0.01) })
    return model
  }

  test('a flat loss with a zero gradient does not blame the learning rate, and says why', async () => {
    const { findings, record } = await diagnose(logistic, zeros, { maxEpochs: 30 })
    expect(Math.abs(record.losses[0]! - Math.LN2)).toBeLessThan(1e-6)
    expect(findings.filter((f) => /learning rate too low/.test(f.title)), list(findings)).toEqual([])
    // Inputs all 0 are one row repeated: C8 at the source leads; the flat loss says why no rate moves it.
    expect(findings[0], list(findings)).toMatchObject({ id: 'C8', title: 'every training input is the same' })
    const flat = findings.find((f) => f.title === 'gradients ≈ 0: the loss cannot move at any learning rate')
    expect(flat, list(findings)).toMatchObject({ id: 'C8' })
    const [, norm] = /the gradient norm is ([\d.e+-]+)/.exec(flat!.evidence) ?? []
    expect(Number(norm)).toBe(0)
  })

  test('the same flat loss with a real gradient is still C6', async () => {
    const moving = { x: zeros.x.map((_, i) => [i % 2 ? 1 : -1, 0.5]), y: zeros.y }
    const slow = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
      model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(1e-5) })
      return model
    }
    const { findings } = await diagnose(slow, moving, { maxEpochs: 30, verify: false })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C6', title: 'learning rate too low' })
  })
})

/** Each value rounded to the nearest bfloat16 (the upper 16 bits of its float32, round half to even), as float32. */
function toBfloat16(values: Float32Array): Float32Array {
  const bits = new Uint32Array(values.buffer.slice(0))
  for (let i = 0; i < bits.length; i++) bits[i] = ((bits[i]! + 0x7fff + ((bits[i]! >>> 16) & 1)) & 0xffff0000) >>> 0
  return new Float32Array(bits.buffer)
}

describe('C12 only when float32 under the same seed succeeds', () => {
  // y = [x > 0.5] on x in [−1, 1]; the unit starts at w = 6, b = 6 (every sample called positive). In batches of 8 at
  // lr 0.015 a step moves b by 0.015·|mean(p − y)| ≤ 0.015 and w by 0.015·|mean((p − y)·x)| ≤ 0.015, both below 2^-6,
  // half the bfloat16 spacing 2^-5 in [4, 8): every update rounds away, while float32 walks b down toward −3.
  const x = Array.from({ length: 128 }, (_, i) => [-1 + (2 * i) / 127])
  const data = { x, y: x.map(([v]) => [v! > 0.5 ? 1 : 0]) }
  const unit = (bfloat16: boolean) => () => {
    const w = tf.variable(tf.tensor2d([[6]]))
    const b = tf.variable(tf.tensor1d([6]))
    const predict = (input: tf.Tensor): tf.Tensor => tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(input as tf.Tensor2D, w), b)))
    const loss = (input: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.tidy(() => tf.losses.logLoss(y, predict(input)) as tf.Scalar)
    const afterStep = (): void => {
      for (const v of [w, b] as tf.Variable[]) v.assign(tf.tensor(toBfloat16(v.dataSync() as Float32Array), v.shape))
    }
    return { variables: [w, b], predict, loss, task: 'binary' as const, inputShape: [1], outputUnits: 1, ...(bfloat16 ? { afterStep } : {}) }
  }
  const options = { learningRate: 0.015, optimizer: 'sgd', batchSize: 8, maxEpochs: 100 }
  // Two tests read the unverified bfloat16 diagnosis; a seeded run gives the same one every time, so it is trained once.
  let unverified: ReturnType<typeof diagnose> | undefined
  const stuckUnverified = (): ReturnType<typeof diagnose> => (unverified ??= diagnose(unit(true), data, { ...options, verify: false }))

  test('weights stored in bfloat16: C12, verified by float32 under the same seed', async () => {
    const { findings } = await diagnose(unit(true), data, options)
    expect(findings[0], list(findings)).toMatchObject({ id: 'C12' })
    expect(findings[0]!.verification?.helped).toBe(true)
    expect(findings[0]!.verification?.outcome).toMatch(/^in float32 \(without afterStep\) the same run reaches/)
    // The printed fix, by hand: the same unit in float32 ends far below where bfloat16 stayed.
    const stuck = await stuckUnverified()
    const float32 = await diagnose(unit(false), data, { ...options, verify: false })
    expect(float32.record.losses.at(-1)!).toBeLessThan(0.5 * stuck.record.losses.at(-1)!)
  })

  test('unverified (verify: false) C12 is at most a note', async () => {
    const { findings } = await stuckUnverified()
    const c12 = findings.filter((f) => f.id === 'C12')
    expect(c12.length, list(findings)).toBe(1)
    expect(c12[0]!.severity).toBe('info')
  })

  test('a sigmoid regressor that converges above 0 with small gradients gets no C12', async () => {
    // Targets up to 3 that a sigmoid output cannot reach: the loss settles at a non-zero floor, in float32 throughout.
    const rx = Array.from({ length: 32 }, (_, i) => [i / 31])
    const regression = { x: rx, y: rx.map(([v]) => [3 * v!]) }
    const sigmoidRegressor = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid' })] })
      model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.1) })
      return model
    }
    const { findings } = await diagnose(sigmoidRegressor, regression, { maxEpochs: 200 })
    expect(findings.filter((f) => f.id === 'C12' && f.severity !== 'info'), list(findings)).toEqual([])
  })
})
