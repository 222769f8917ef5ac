import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, type Finding } from 'trainability'
import { describe, expect, test } from 'vitest'
import { identicalInputs } from '../src/probes/identical.js'
import { ownStandardized } from '../src/probes/own-scaled.js'
import { targetOutliers } from '../src/probes/targets.js'
import { table } from './fixtures/models.js'

// Issue 10's data-side misses: each rule with the case that revealed it and one it must leave alone.

const list = (findings: Finding[]): string => findings.map((f) => `${f.id} ${f.severity}: ${f.title}: ${f.evidence}`).join('\n')
const severe = (findings: Finding[]): Finding[] => findings.filter((f) => f.severity !== 'info')

/** A compiled sequential model of dense layers [units, activation], the first reading `inputs` features. */
function mlp(inputs: number, layers: [number, string][], loss: string, optimizer: () => tf.Optimizer): () => tf.LayersModel {
  return () => {
    const model = tf.sequential({
      layers: layers.map(([units, activation], i) => tf.layers.dense({ units, activation: activation as 'relu', ...(i === 0 ? { inputShape: [inputs] } : {}) })),
    })
    model.compile({ loss, optimizer: optimizer() })
    return model
  }
}

/** Each column shifted by its mean and divided by its (population) std, both taken from `from`. */
function standardized(x: number[][], from: number[][] = x): number[][] {
  const cols = from[0]!.length
  const mean = Array.from({ length: cols }, (_, j) => from.reduce((s, r) => s + r[j]!, 0) / from.length)
  const std = Array.from({ length: cols }, (_, j) => Math.sqrt(from.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / from.length))
  return x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!))
}

describe('C1 for inputs whose second moment puts the step past stability', () => {
  // y = x + 2 on x = 1..24 (tensorflow/tensorflow#18493): E[x²] = Σi²/24 = (24·25·49/6)/24 = 204.17, so the curvature
  // along the weight is 2·204 and SGD at 0.01 overshoots (stable below 2/λ ≈ 0.005); standardized, E[x²] = 1.
  const xs = Array.from({ length: 24 }, (_, i) => [i + 1])
  const data = { x: xs, y: xs.map(([v]) => [v! + 2]) }
  const linear = (lr: number): (() => tf.LayersModel) => mlp(1, [[1, 'linear']], 'meanSquaredError', () => tf.train.sgd(lr))

  test('x from 1 to 24 under SGD: C1 first with E[x²], C5 its consequence, verified by standardizing', async () => {
    const { findings } = await diagnose(linear(0.01), data, { maxEpochs: 100 })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C1', title: 'inputs far from unit scale', severity: 'error' })
    const [, moment] = /E\[x²\] = ([\d.]+)/.exec(findings[0]!.evidence) ?? []
    expect(Number(moment)).toBeCloseTo(4900 / 24, 0)
    expect(findings[0]!.verification?.helped, list(findings)).toBe(true)
    expect(findings.find((f) => f.id === 'C5')?.evidence).toMatch(/likely a consequence of the unscaled features \(C1\)$/)
  })

  test('the same overshoot on standardized x is the rate alone: C5, no C1', async () => {
    // Standardized, λ = 2·E[x²] = 2 for the weight: SGD at 1.5 is past 2/λ = 1 and diverges with no input to blame.
    const { findings } = await diagnose(linear(1.5), { x: standardized(xs), y: data.y }, { maxEpochs: 50, verify: false })
    expect(findings[0]?.id, list(findings)).toBe('C5')
    expect(findings.filter((f) => f.id === 'C1'), list(findings)).toEqual([])
  })

  test('no C5, no C1: inputs off unit scale that train fine are not blamed', async () => {
    const { findings } = await diagnose(linear(1e-3), data, { maxEpochs: 50, verify: false })
    expect(findings.filter((f) => f.kind === 'inputsOffUnitScale'), list(findings)).toEqual([])
  })
})

describe('C8 when every sample has the same input', () => {
  const { x: source, y } = (() => {
    const rows = table(32, 3, 41).map((r) => r.map((v) => v - 0.5))
    return { x: rows, y: rows.map((r) => (r[0]! + r[1]! - r[2]! > 0 ? 1 : 0)) }
  })()
  const relu = mlp(3, [[8, 'relu'], [1, 'sigmoid']], 'binaryCrossentropy', () => tf.train.adam(0.02))

  test('one row object pushed for every sample: C8 first, dead units after it', async () => {
    const last = source[source.length - 1]!
    const { findings } = await diagnose(relu, { x: source.map(() => [...last]), y }, { maxEpochs: 30 })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C8', kind: 'identicalInputs', title: 'every training input is the same', severity: 'error' })
    expect(findings[0]!.evidence).toMatch(/^all 32 samples have the same input, bit for bit, but different labels/)
    // Scored above every rule that reads the training, it leads by itself; the dead units it causes come after it.
    expect(findings.findIndex((f) => f.id === 'C9'), list(findings)).not.toBe(0)
  })

  test('the probe: identical rows with differing targets, ids included; varying rows or constant targets are not', () => {
    tf.tidy(() => {
      expect(identicalInputs(tf.tensor2d([[0, 3], [0, 3], [0, 3]], undefined, 'int32'), tf.tensor2d([[0], [1], [1]]))).toBe(true)
      expect(identicalInputs(tf.tensor2d([[0, 3], [0, 3], [0, 4]]), tf.tensor2d([[0], [1], [1]]))).toBe(false)
      expect(identicalInputs(tf.tensor2d([[0, 3], [0, 3]]), tf.tensor2d([[1], [1]]))).toBe(false)
      expect(identicalInputs(tf.tensor2d([[0, 3]]), tf.tensor2d([[1]]))).toBe(false)
    })
  })

  test('the same rows, each its own: no C8 for identical inputs', async () => {
    const { findings } = await diagnose(relu, { x: source, y }, { maxEpochs: 30, verify: false })
    expect(findings.filter((f) => f.kind === 'identicalInputs'), list(findings)).toEqual([])
  })
})

describe('C14 for a validation set standardized with its own statistics', () => {
  // Training: both classes alike; validation: a later batch that is mostly positives. Standardized on its own
  // statistics, its centre moves onto the boundary and a third of its positives read as negatives.
  const raw = (rows: number, salt: number): { x: number[][]; y: number[] } => {
    const x = table(rows, 2, salt).map(([a, b]) => [100 + 60 * (a! - 0.5), 10 + 8 * (b! - 0.5)])
    return { x, y: x.map(([a, b]) => ((a! - 100) / 30 + (b! - 10) / 4 > 0 ? 1 : 0)) }
  }
  const train = raw(48, 3)
  const pool = raw(200, 4)
  const chosen = pool.x.map((_, i) => i).filter((i) => pool.y[i] === 1).slice(0, 24).concat(pool.x.map((_, i) => i).filter((i) => pool.y[i] === 0).slice(0, 6))
  const valRaw = chosen.map((i) => pool.x[i]!)
  const valY = chosen.map((i) => pool.y[i]!)
  const model = mlp(2, [[8, 'relu'], [1, 'sigmoid']], 'binaryCrossentropy', () => tf.train.adam(0.03))

  test('C14 first, saying the validation set is exactly standardized where sampling would leave it 1/√n off', async () => {
    const data = { train: { x: standardized(train.x), y: train.y }, validation: { x: standardized(valRaw), y: valY } }
    const { findings } = await diagnose(model, data, { maxEpochs: 60 })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C14', severity: 'error' })
    expect(findings[0]!.evidence).toMatch(/has mean 0 and std 1 in all 2 varying features to float32 rounding/)
    const [, n, off] = /where (\d+) samples scaled with the training statistics would be off by about 1\/√\d+ = ([\d.]+)/.exec(findings[0]!.evidence) ?? []
    expect(Number(n)).toBe(30)
    expect(Number(off)).toBeCloseTo(1 / Math.sqrt(30), 3)
  })

  test('toGeneralize reads the same fingerprint from the same measurement: C14 with the same evidence', async () => {
    const data = { train: { x: standardized(train.x), y: train.y }, validation: { x: standardized(valRaw), y: valY } }
    const check = await checks.generalization(model, data, { maxEpochs: 60, verify: false })
    const { findings } = await diagnose(model, data, { maxEpochs: 60, verify: false })
    expect(check.pass).toBe(false)
    const fromCheck = check.findings.find((f) => f.id === 'C14')
    expect(fromCheck?.evidence, list(check.findings)).toMatch(/standardized with its own statistics$/)
    expect(findings.find((f) => f.id === 'C14')?.evidence).toBe(fromCheck!.evidence)
  })

  test('the same validation set scaled with the training statistics: no C14', async () => {
    const data = { train: { x: standardized(train.x), y: train.y }, validation: { x: standardized(valRaw, train.x), y: valY } }
    const { findings } = await diagnose(model, data, { maxEpochs: 60, verify: false })
    expect(findings.filter((f) => f.id === 'C14'), list(findings)).toEqual([])
  })

  test('the fingerprint: exact on a set standardized on itself, not on a sample scaled with another, nor on balanced ±1', () => {
    tf.tidy(() => {
      const own = ownStandardized(tf.tensor2d(standardized(valRaw)))
      expect(own?.features).toBe(2)
      expect(own!.mean).toBeLessThan(1e-5)
      expect(ownStandardized(tf.tensor2d(standardized(valRaw, train.x)))).toBeUndefined()
      expect(ownStandardized(tf.tensor2d([[1, -1], [-1, 1], [1, 1], [-1, -1]]))).toBeUndefined()
      // Sample standard deviation (n − 1) counts as well.
      const column = [1, 2, 3, 4, 5]
      const sd = Math.sqrt(column.reduce((s, v) => s + (v - 3) ** 2, 0) / 4)
      expect(ownStandardized(tf.tensor2d(column.map((v) => [(v - 3) / sd])))?.features).toBe(1)
    })
  })
})

describe('C2 for outlying regression targets under a squared error', () => {
  // Two of 40 targets typed in cents (×100): near the bulk each pulls on the squared error's gradient ~100× a typical one.
  const x = table(40, 2, 14).map((r) => r.map((v) => 2 * v - 1))
  const clean = x.map(([a, b]) => [1.5 * a! - b! + 0.5])
  const y = clean.map(([v], i) => [i === 3 || i === 17 ? v! * 100 : v!])
  const linear = (loss: string): (() => tf.LayersModel) => mlp(2, [[1, 'linear']], loss, () => tf.train.adam(0.1))

  test('targets ×100 under meanSquaredError: C2 on the targets first, and no robust scaling of x tried for it', async () => {
    const { findings } = await diagnose(linear('meanSquaredError'), { x, y }, { maxEpochs: 60 })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C2', kind: 'targetOutliers', title: 'outlying targets dominate the squared error', severity: 'error' })
    expect(findings[0]!.evidence).toMatch(/^2 of 40 targets lie up to [\d.]+ robust standard deviations from the median and hold [\d.]+% of/)
    expect(findings[0]!.verification).toBeUndefined()
  })

  test('the same targets under meanAbsoluteError, whose pull is capped: no C2 on the targets', async () => {
    const { findings } = await diagnose(linear('meanAbsoluteError'), { x, y }, { maxEpochs: 60, verify: false })
    expect(findings.filter((f) => f.kind === 'targetOutliers'), list(findings)).toEqual([])
  })

  test('the probe: the far share of Σ|y − median|; none when nothing is far or half the targets share one value', () => {
    tf.tidy(() => {
      // Median 3, MAD·1.4826 = 1.4826·1: 300 lies 297/1.4826 = 200 robust stds out and holds 297/(2+1+0+1+297) of the pull.
      const t = targetOutliers(tf.tensor2d([[1], [2], [3], [4], [300]]))
      expect(t).toMatchObject({ column: 0, far: 1, samples: 5 })
      expect(t!.z).toBeCloseTo(297 / 1.4826, 3)
      expect(t!.pull).toBeCloseTo(297 / 301, 6)
      expect(targetOutliers(tf.tensor2d([[1], [2], [3], [4], [5]]))).toBeUndefined()
      expect(targetOutliers(tf.tensor2d([[0], [0], [0], [0], [50]]))).toBeUndefined()
    })
  })
})

describe('C6 for a loss that crawls far from fitted while its gradient stays', () => {
  // x uniform in [-2, 2]: Adagrad at 2e-3 takes the loss down 6% in its first epochs, then its rate decays and it crawls.
  const x = table(32, 2, 36).map((r) => r.map((v) => 4 * v - 2))
  const y = x.map(([a, b]) => [3 * a! - 2 * b! + 0.5])
  const net = (lr: number): (() => tf.LayersModel) => mlp(2, [[8, 'tanh'], [1, 'linear']], 'meanSquaredError', () => tf.train.adagrad(lr))

  test('Adagrad at 2e-3: C6 error, the loss still above half of chance with the gradient near its initial norm', async () => {
    const { findings } = await diagnose(net(2e-3), { x, y }, { maxEpochs: 40, verify: false })
    const c6 = findings[0]
    expect(c6, list(findings)).toMatchObject({ id: 'C6', title: 'learning rate too low', severity: 'error' })
    expect(c6!.evidence).toMatch(/^loss crawls: −[\d.]+% over the last 8 epochs/)
    const [, share] = /still ([\d.]+)% of the chance loss/.exec(c6!.evidence) ?? []
    expect(Number(share)).toBeGreaterThan(50)
    const [, kept] = /\(([\d.]+)% of its initial/.exec(c6!.evidence) ?? []
    expect(Number(kept)).toBeGreaterThan(5)
  })

  test('Adagrad at 0.3 fits: no C6 error', async () => {
    const { findings } = await diagnose(net(0.3), { x, y }, { maxEpochs: 40, verify: false })
    expect(severe(findings).filter((f) => f.id === 'C6'), list(findings)).toEqual([])
  })
})

describe('C2 and C1 on features are notes once the model learned in spite of them', () => {
  // 6×6 dark frames with one bright pixel, the class the half it lies in: each pixel is lit in a sample or two, far
  // from its own median in robust z, and it is what the model learns from; a never-lit pixel has rms 0.05.
  const frames = (() => {
    const cells = table(48, 37, 173)
    const x: number[][] = []
    const labels: number[] = []
    for (const row of cells) {
      const at = Math.floor(row[36]! * 36)
      labels.push(at % 6 < 3 ? 0 : 1)
      x.push(row.slice(0, 36).map((v, p) => (p === at ? 1 : 0.04 + 0.02 * v)))
    }
    return { x, y: labels }
  })()

  test('a model that gets below half the chance loss gets no C1 or C2 warning, and the note says why', async () => {
    const { findings, evidence, record } = await diagnose(mlp(36, [[1, 'sigmoid']], 'binaryCrossentropy', () => tf.train.sgd(2)), frames, { maxEpochs: 60 })
    expect(record.losses.at(-1)!).toBeLessThan(evidence.chance! / 2)
    expect(severe(findings).filter((f) => f.id === 'C1' || f.id === 'C2'), list(findings)).toEqual([])
    const c2 = findings.find((f) => f.id === 'C2')
    expect(c2?.evidence, list(findings)).toMatch(/below half the chance loss 0\.6931: the model learned in spite of them$/)
  })

  test('a sentinel that squashes the bulk of the feature the labels depend on is still C2, an error', async () => {
    const rows = table(32, 3, 13).map((r) => r.map((v) => 2 * v - 1))
    const labels = rows.map((r) => (r[0]! > 0 ? 1 : 0))
    rows[5]![0] = 9999
    const { findings } = await diagnose(mlp(3, [[1, 'sigmoid']], 'binaryCrossentropy', () => tf.train.adam(0.05)), { x: standardized(rows), y: labels }, { maxEpochs: 50, verify: false })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C2', severity: 'error' })
  })
})
