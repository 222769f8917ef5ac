import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { checks } from 'trainability'
import * as arbitraries from 'trainability/arbitraries'
import { describe, expect, test } from 'vitest'
import { logisticUnit } from './fixtures/models.js'

type Data = arbitraries.GeneratedDataset

/** Shapes, label ranges and finiteness of a generated dataset; returns the class of each sample. */
function assertValid(data: Data, shape: { features: [number, number]; samples: [number, number]; classes?: number; outputs?: number }): number[] {
  const n = data.x.length
  expect(n).toBeGreaterThanOrEqual(shape.samples[0])
  expect(n).toBeLessThanOrEqual(shape.samples[1])
  expect(data.y).toHaveLength(n)
  const width = data.x[0]!.length
  expect(width).toBeGreaterThanOrEqual(shape.features[0])
  expect(width).toBeLessThanOrEqual(shape.features[1])
  for (const row of data.x) {
    expect(row).toHaveLength(width)
    for (const v of row) expect(Number.isFinite(v)).toBe(true)
  }
  if (shape.outputs !== undefined) {
    for (const t of data.y as number[][]) {
      expect(t).toHaveLength(shape.outputs)
      for (const v of t) expect(Number.isFinite(v)).toBe(true)
    }
    return []
  }
  const classes = shape.classes ?? 2
  const labels = classes === 2
    ? (data.y as number[]).map((v) => { expect([0, 1]).toContain(v); return v })
    : (data.y as number[][]).map((row) => {
      expect(row).toHaveLength(classes)
      expect(row.filter((v) => v === 1)).toHaveLength(1)
      expect(row.filter((v) => v === 0)).toHaveLength(classes - 1)
      return row.indexOf(1)
    })
  expect(new Set(labels).size).toBe(classes) // every class present
  return labels
}

/** Multiclass perceptron with a bias: returns true when an epoch makes no mistake within `epochs`. */
function perceptronSeparates(x: number[][], labels: number[], classes: number, epochs = 20_000): boolean {
  const width = x[0]!.length + 1
  const w = Array.from({ length: classes }, () => new Array<number>(width).fill(0))
  const score = (k: number, row: number[]): number => w[k]!.reduce((s, c, j) => s + c * (j < row.length ? row[j]! : 1), 0)
  for (let epoch = 0; epoch < epochs; epoch++) {
    let mistakes = 0
    x.forEach((row, i) => {
      const truth = labels[i]!
      let best = truth
      for (let k = 0; k < classes; k++) if (k !== truth && score(k, row) >= score(best, row)) best = k
      if (best === truth) return
      mistakes++
      for (let j = 0; j < width; j++) {
        const v = j < row.length ? row[j]! : 1
        w[truth]![j]! += v
        w[best]![j]! -= v
      }
    })
    if (mistakes === 0) return true
  }
  return false
}

/** The counterexample fast-check shrinks to for a property that fails on every value, or on `fails`. */
function shrunk<T>(arb: fc.Arbitrary<T>, fails: (value: T) => boolean = () => true): T {
  const result = fc.check(fc.property(arb, (value) => !fails(value)), { seed: 5, numRuns: 200 })
  expect(result.failed).toBe(true)
  return result.counterexample![0]
}

describe('arbitraries: generated datasets are valid', () => {
  test('dataset: binary, multiclass and regression shapes, finite values, every class present', () => {
    fc.assert(fc.property(arbitraries.dataset({ features: { min: 1, max: 5 }, samples: { min: 2, max: 20 } }), (d) => {
      assertValid(d, { features: [1, 5], samples: [2, 20] })
    }), { seed: 1 })
    fc.assert(fc.property(arbitraries.dataset({ features: 3, classes: 4 }), (d) => {
      assertValid(d, { features: [3, 3], samples: [4, 16], classes: 4 })
    }), { seed: 1 })
    fc.assert(fc.property(arbitraries.dataset({ features: 2, regression: 3 }), (d) => {
      assertValid(d, { features: [2, 2], samples: [1, 16], outputs: 3 })
    }), { seed: 1 })
  })

  test('linearlySeparable: valid, and a perceptron separates every dataset (binary and 3 classes)', () => {
    for (const classes of [2, 3]) {
      fc.assert(fc.property(arbitraries.linearlySeparable({ features: { min: 1, max: 4 }, classes }), (d) => {
        const labels = assertValid(d, { features: [1, 4], samples: [classes, 16], classes })
        expect(perceptronSeparates(d.x, labels, classes)).toBe(true)
      }), { seed: 2, numRuns: 60 })
    }
  })

  test('separability survives scaled, shifted and (two classes) withOutliers', () => {
    const base = arbitraries.linearlySeparable({ features: 2, samples: { min: 2, max: 10 } })
    const messy = arbitraries.withOutliers(arbitraries.shifted(arbitraries.scaled(base, { factors: { min: 0.1, max: 10 } }), { offsets: { min: -3, max: 3 } }), { fraction: 0.3, magnitude: { min: 2, max: 10 } })
    fc.assert(fc.property(messy, (d) => {
      const labels = assertValid(d, { features: [2, 2], samples: [2, 10] })
      expect(d.factors).toHaveLength(2)
      expect(d.offsets).toHaveLength(2)
      expect(d.outliers.length).toBeGreaterThanOrEqual(1)
      expect(perceptronSeparates(d.x, labels, 2)).toBe(true)
    }), { seed: 3, numRuns: 60 })
  })

  test('withOutliers pushes each outlier farther from the other class and keeps its label', () => {
    const base = arbitraries.linearlySeparable({ features: 2, samples: { min: 4, max: 12 } })
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
      const [original] = fc.sample(base, { seed, numRuns: 1 })
      const [pushed] = fc.sample(arbitraries.withOutliers(base, { magnitude: 100 }), { seed, numRuns: 1 })
      expect(pushed!.y).toEqual(original!.y)
      const far = Math.max(...pushed!.x.flat().map(Math.abs))
      expect(far).toBeGreaterThan(Math.max(...original!.x.flat().map(Math.abs)))
    }), { seed: 4, numRuns: 20 })
  })

  test('xor: labels follow the sign pattern, every quadrant is present, a perceptron cannot separate it', () => {
    fc.assert(fc.property(arbitraries.xor({ features: { min: 2, max: 4 } }), (d) => {
      assertValid(d, { features: [2, 4], samples: [4, 16] })
      d.x.forEach((row, i) => {
        expect(Math.min(Math.abs(row[0]!), Math.abs(row[1]!))).toBeGreaterThanOrEqual(0.25)
        expect(d.y[i]).toBe(row[0]! * row[1]! < 0 ? 1 : 0)
      })
      expect(new Set(d.x.map((r) => `${Math.sign(r[0]!)},${Math.sign(r[1]!)}`)).size).toBe(4)
    }), { seed: 5 })
    const [one] = fc.sample(arbitraries.xor(), { seed: 1, numRuns: 1 })
    expect(perceptronSeparates(one!.x, one!.y as number[], 2, 200)).toBe(false)
  })

  test('onePerClass: exactly one distinct, separable sample per class; two points for regression', () => {
    fc.assert(fc.property(arbitraries.onePerClass({ features: 3, classes: 4 }), (d) => {
      const labels = assertValid(d, { features: [3, 3], samples: [4, 4], classes: 4 })
      expect(labels).toEqual([0, 1, 2, 3])
      expect(perceptronSeparates(d.x, labels, 4)).toBe(true)
    }), { seed: 6 })
    fc.assert(fc.property(arbitraries.onePerClass({ features: 2, regression: true }), (d) => {
      assertValid(d, { features: [2, 2], samples: [2, 2], outputs: 1 })
      expect(d.x[0]).not.toEqual(d.x[1])
    }), { seed: 6 })
  })

  test('imbalanced: the minority class is thinned to majority / ratio, never to zero', () => {
    const arb = arbitraries.imbalanced(arbitraries.linearlySeparable({ features: 2, samples: { min: 10, max: 30 } }), { ratio: 4 })
    fc.assert(fc.property(arb, (d) => {
      const labels = assertValid(d, { features: [2, 2], samples: [2, 30] })
      const ones = labels.filter((k) => k === 1).length
      const zeros = labels.length - ones
      const [most, least] = ones > zeros ? [ones, zeros] : [zeros, ones]
      expect(least).toBe(Math.min(least, Math.max(1, Math.floor(most / 4))))
      expect(least).toBeGreaterThanOrEqual(1)
    }), { seed: 7 })
  })

  test('hyperparameters: within their ranges, ready to spread into check options', () => {
    fc.assert(fc.property(arbitraries.hyperparameters({ learningRate: { min: 1e-4, max: 0.5 }, batchSize: { min: 2, max: 8 }, epochs: 100 }), (hp) => {
      expect(hp.learningRate).toBeGreaterThanOrEqual(1e-4)
      expect(hp.learningRate).toBeLessThanOrEqual(0.5)
      expect(Number.isInteger(hp.batchSize) && hp.batchSize >= 2 && hp.batchSize <= 8).toBe(true)
      expect(hp.maxEpochs).toBe(100)
    }), { seed: 8 })
  })

  test('bad options are TypeErrors/RangeErrors that name the argument and the fix', () => {
    expect(() => arbitraries.linearlySeparable({ features: 0 })).toThrow(RangeError)
    expect(() => arbitraries.linearlySeparable({ features: 0 })).toThrow(/linearlySeparable\(options\.features\) must be an integer ≥ 1, received number 0/)
    expect(() => arbitraries.dataset({ features: 2, classes: 1 })).toThrow(/options\.classes\) must be an integer ≥ 2.*regression: true/)
    expect(() => arbitraries.dataset({ features: 2, classes: 3, samples: 2 })).toThrow(/must allow at least 3 samples/)
    expect(() => arbitraries.scaled(arbitraries.dataset({ features: 1 }), { factors: { min: 0, max: 10 } })).toThrow(/scaled\(options\.factors\).*e\.g\. \{ min: 1e-4, max: 1e4 \}/)
    expect(() => arbitraries.scaled({ x: [[1]], y: [1] } as never)).toThrow(TypeError)
    expect(() => arbitraries.withOutliers(arbitraries.dataset({ features: 1 }), { fraction: 2 })).toThrow(/withOutliers\(options\.fraction\) must be in \(0, 1\]/)
    expect(() => arbitraries.imbalanced(arbitraries.dataset({ features: 1 }), { ratio: 0.5 })).toThrow(/imbalanced\(options\.ratio\) must be a finite number ≥ 1/)
    expect(() => arbitraries.hyperparameters({ learningRate: -1 })).toThrow(/hyperparameters\(options\.learningRate\)/)
    expect(() => arbitraries.xor({ samples: 3 })).toThrow(/xor\(options\.samples\) must be an integer ≥ 4/)
  })
})

describe('arbitraries: shrinking', () => {
  test('datasets shrink toward fewer samples, fewer features and smaller magnitudes', () => {
    const minimal = shrunk(arbitraries.linearlySeparable({ features: { min: 1, max: 6 }, samples: { min: 2, max: 30 } }))
    expect(minimal.x).toHaveLength(2)
    expect(minimal.x[0]).toHaveLength(1)
    expect(Math.max(...minimal.x.flat().map(Math.abs))).toBeLessThanOrEqual(1.75)
    const big = shrunk(arbitraries.dataset({ features: { min: 1, max: 6 }, samples: { min: 2, max: 30 } }), (d) => d.x.length > 3)
    expect(big.x).toHaveLength(4)
    expect(big.x[0]).toHaveLength(1)
    expect(big.x.flat().every((v) => v === 0)).toBe(true)
    const noisy = shrunk(arbitraries.xor({ features: { min: 2, max: 5 }, samples: { min: 4, max: 30 } }))
    expect([noisy.x.length, noisy.x[0]!.length]).toEqual([4, 2])
  })

  test('scaled shrinks its factors toward 1; shifted its offsets toward 0; withOutliers toward one outlier at the least magnitude', () => {
    const base = arbitraries.linearlySeparable({ features: 3 })
    const anyScale = shrunk(arbitraries.scaled(base), (d) => d.factors.some((f) => f !== 1))
    // One factor, cycled over the features, one order of magnitude from 1.
    expect(new Set(anyScale.factors).size).toBe(1)
    expect(Math.abs(Math.log10(anyScale.factors[0]!))).toBe(1)
    const large = shrunk(arbitraries.scaled(base, { factors: { min: 1e-6, max: 1e6 } }), (d) => Math.max(...d.factors) >= 100)
    expect(Math.max(...large.factors)).toBe(100)
    expect(large.x).toHaveLength(2)
    const moved = shrunk(arbitraries.shifted(base), () => true)
    expect(moved.offsets).toEqual([0, 0, 0])
    const out = shrunk(arbitraries.withOutliers(base, { magnitude: { min: 5, max: 500 } }))
    expect(out.outliers).toHaveLength(1)
    expect(Math.max(...out.x.flat().map(Math.abs))).toBeLessThan(5 * 4 + 2)
    const hp = shrunk(arbitraries.hyperparameters({ learningRate: { min: 1e-3, max: 10 }, batchSize: { min: 2, max: 32 }, epochs: { min: 10, max: 500 } }))
    expect(hp).toEqual({ learningRate: 1, batchSize: 2, maxEpochs: 10 })
  })
})

describe('arbitraries in properties', () => {
  const stuck = { maxEpochs: 20 } // lr 1e-4: the logistic unit never overfits, so every run fails
  const property = (): fc.IAsyncPropertyWithHooks<[arbitraries.Scaled<arbitraries.GeneratedDataset>]> =>
    fc.asyncProperty(arbitraries.scaled(arbitraries.linearlySeparable({ features: 1, samples: { min: 2, max: 8 } })), async (data) => {
      await expect(logisticUnit(1e-4)).toOverfitTinyDataset(data, stuck)
    })

  test('the same fast-check seed reproduces the same counterexample and the same message', async () => {
    const first = await fc.check(property(), { seed: 11, numRuns: 5, includeErrorInReport: true })
    const second = await fc.check(property(), { seed: 11, numRuns: 5, includeErrorInReport: true })
    expect(first.failed).toBe(true)
    expect(second.counterexample).toEqual(first.counterexample)
    expect(second.counterexamplePath).toBe(first.counterexamplePath)
    // Identical up to the stack frames of the two call sites.
    const report = (r: typeof first): string => fc.defaultReportMessage(r)!.replace(/^\s+at .*$/gm, '')
    expect(report(second)).toBe(report(first))
    expect(report(first)).toMatch(/reached [\d.]+ at epoch 20/)
    expect(report(first)).toMatch(/replay: TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=(cpu|tensorflow)/)
  })

  test('plain fc.assert: the thrown error carries fast-check’s seed and path, its cause the trainability replay line', async () => {
    const error = await fc.assert(property(), { seed: 11, numRuns: 5 }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/\{ seed: 11, path: "[\d:]+", endOnFailure: true \}/)
    expect(String((error as Error).cause)).toMatch(/replay: TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=/)
  })

  test('checks return a CheckResult inside fc.asyncProperty and never throw for a failing model', async () => {
    const before = tf.memory().numTensors
    const seen: boolean[] = []
    await fc.assert(fc.asyncProperty(arbitraries.onePerClass({ features: 1 }), async (data) => {
      const result = await checks.overfit(logisticUnit(1e-4), data, stuck)
      seen.push(result.pass)
      expect(result.message).toMatch(/^replay: TRAINABILITY_SEED=\d+ /m)
    }), { seed: 3, numRuns: 3 })
    expect(seen).toEqual([false, false, false])
    expect(tf.memory().numTensors).toBe(before)
  })
})
