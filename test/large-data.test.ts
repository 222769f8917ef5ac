// Large data (issue 13 item 7): the data statistics do bounded work (the median and MAD read a fixed sample of rows,
// everything else streams over every row), nested arrays convert in one pass, and a 50k-sample nested dataset runs
// a matcher to a verdict. Speed and memory figures live in bench/large-data.ts; nothing here is timed.
import * as tf from '@tensorflow/tfjs'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { toTensors } from '../src/dataset.js'
import { featureScale, outliers } from '../src/findings/data.js'
import type { RunOutcome } from '../src/run.js'
import { dataStats, FAR_Z, sampleRows, STATS_SAMPLE } from '../src/stats.js'
import type { ModelInfo } from '../src/subject.js'

/** A fixed uniform number in [0, 1) for cell (i, j): data that every run rebuilds identically. */
function cell(i: number, j: number): number {
  let h = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca77)
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
  return ((h ^ (h >>> 13)) >>> 0) / 2 ** 32
}

const findingsOf = (x: tf.Tensor): { id: string; evidence: string }[] => {
  const outcome = { stats: dataStats(x) } as RunOutcome
  return [...featureScale(outcome), ...outliers(outcome)].map(({ id, evidence }) => ({ id, evidence }))
}

describe('data statistics on large data', () => {
  test('a set of up to STATS_SAMPLE rows is read whole; a larger one through one row per stratum, the same every time', () => {
    expect(Array.from(sampleRows(5))).toEqual([0, 1, 2, 3, 4])
    expect(sampleRows(STATS_SAMPLE)).toHaveLength(STATS_SAMPLE)
    const n = 100_000
    const rows = sampleRows(n)
    expect(rows).toHaveLength(STATS_SAMPLE)
    expect(Array.from(sampleRows(n))).toEqual(Array.from(rows))
    rows.forEach((row, j) => {
      expect(row).toBeGreaterThanOrEqual(Math.floor((j * n) / STATS_SAMPLE))
      expect(row).toBeLessThan(Math.floor(((j + 1) * n) / STATS_SAMPLE))
    })
    // Classes interleaved 0, 1, 0, 1… over exactly twice the sample: a fixed stride of 2 would see one class only.
    const odd = Array.from(sampleRows(2 * STATS_SAMPLE)).filter((row) => row % 2 === 1).length / STATS_SAMPLE
    expect(odd).toBeGreaterThan(0.4)
    expect(odd).toBeLessThan(0.6)
  })

  test('the median and MAD come from the sample alone; extremes, far shares and means read every row', () => {
    const n = 100_000
    const sampled = new Set(sampleRows(n))
    let planted = 0
    while (sampled.has(planted)) planted++
    // Feature 0: the sampled rows sit at -3..3, every other row near 1000. A median over all rows would sit near 1000
    // and call the sampled rows far; from the sample it sits near 0 and calls every other row far.
    // Feature 1: -3..3 everywhere but one row outside the sample, at 1e5: only a pass over every row finds it.
    const values = new Float32Array(n * 2)
    for (let i = 0; i < n; i++) {
      values[2 * i] = (sampled.has(i) ? 0 : 1000) + (i % 7) - 3
      values[2 * i + 1] = i === planted ? 1e5 : (i % 7) - 3
    }
    const x = tf.tensor2d(values, [n, 2])
    try {
      const stats = dataStats(x)
      expect(stats.samples).toBe(n)
      expect(stats.farShare[0]).toBe((n - STATS_SAMPLE) / n)
      expect(stats.robustZ[1]).toBeGreaterThan(1e4)
      expect(stats.farShare[1]).toBe(1 / n)
      let sum = 0
      for (let i = 0; i < n; i++) sum += values[2 * i]!
      expect(stats.means[0]).toBeCloseTo(sum / n, 6)
      expect(findingsOf(x).filter((f) => f.id === 'C2')).toEqual([
        { id: 'C2', evidence: expect.stringMatching(/^feature 1 has a value [\d.e+]+ robust standard deviations from its median$/) as unknown as string },
      ])
      expect(stats.robustZ[1]).toBeGreaterThan(FAR_Z)
    } finally {
      x.dispose()
    }
  })

  test('100k rows give the findings their first 4000 rows give, read whole', () => {
    // Feature 0 unscaled (std ≈ 290), feature 1 tiny (rms ≈ 6e-4), feature 2 with a few far values (one row in 2000),
    // feature 3 concentrated (70% zeros), feature 4 on unit scale.
    const row = (i: number): number[] => [
      cell(i, 0) * 1000,
      cell(i, 1) * 1e-3,
      i % 2000 === 7 ? 1e4 : cell(i, 2) * 2 - 1,
      cell(i, 3) < 0.7 ? 0 : cell(i, 3),
      cell(i, 4) * 2 - 1,
    ]
    const big = tf.tensor2d(Array.from({ length: 100_000 }, (_, i) => row(i)))
    const small = tf.slice(big, 0, 4000)
    try {
      const large = findingsOf(big)
      const exact = findingsOf(small)
      expect(large.map((f) => f.id)).toEqual(['C1', 'C2'])
      expect(exact.map((f) => f.id)).toEqual(large.map((f) => f.id))
      // The same features named, by the same rules; the numbers are each set's own.
      const named = (findings: { evidence: string }[]): string[] => findings.map((f) => (f.evidence.match(/feature \d+/g) ?? []).join(' '))
      expect(named(large)).toEqual(named(exact))
      expect(named(large)).toEqual(['feature 0 feature 1', 'feature 2'])
    } finally {
      tf.dispose([big, small])
    }
  })
})

describe('nested arrays convert in one pass', () => {
  const info = (inputShape: number[], integerInput?: boolean): ModelInfo => ({
    kind: 'layers', inputShape, outputShape: [1], outputUnits: 1, lossName: 'binaryCrossentropy', optimizer: 'sgd', integerInput,
  })

  test('values land where tf.tensor puts them, as float32, or as int32 token ids', () => {
    const x = Array.from({ length: 3 }, (_, i) => Array.from({ length: 2 }, (_, j) => Array.from({ length: 4 }, (_, k) => i * 100 + j * 10 + k + 0.1)))
    const converted = toTensors({ x, y: [0, 1, 0] }, info([2, 4]))
    const reference = tf.tensor(x)
    try {
      expect(converted.x.dtype).toBe('float32')
      expect(converted.x.shape).toEqual([3, 2, 4])
      expect(Array.from(converted.x.dataSync())).toEqual(Array.from(reference.dataSync()))
      expect(converted.y.shape).toEqual([3, 1])
    } finally {
      converted.dispose()
      reference.dispose()
    }
    const ids = toTensors({ x: [[1, 2], [3, 4]], y: [0, 1] }, info([2], true))
    try {
      expect(ids.x.dtype).toBe('int32')
      expect(Array.from(ids.x.dataSync())).toEqual([1, 2, 3, 4])
    } finally {
      ids.dispose()
    }
  })

  test('the first bad value is named after the shape checks, as before: ragged rows, then non-finite values, then ids', () => {
    expect(() => toTensors({ x: [[1, 2], [3]], y: [0, 1] }, info([2]))).toThrow(
      new RangeError('dataset.x[1] has length 1 where length 2 was expected; rows must all have the same shape'),
    )
    expect(() => toTensors({ x: [[1, 2], [3, 'a']], y: [0, 1] }, info([2]))).toThrow(new TypeError('dataset.x[1][1] is string "a"; every entry must be a number'))
    expect(() => toTensors({ x: [[1, 2], [3, 1e39]], y: [0, 1] }, info([2]))).toThrow(
      new RangeError('dataset.x contains Infinity in sample 1; remove or impute non-finite values before training'),
    )
    // A shape that does not fit the model is reported before a value that is not finite.
    expect(() => toTensors({ x: [[1, 2, Number.NaN]], y: [0] }, info([2]))).toThrow(/samples of shape \[3\] but the model expects \[2\]/)
    expect(() => toTensors({ x: [[1, 2], [3, 4.5]], y: [0, 1] }, { ...info([2], true), vocabulary: 10 })).toThrow(
      new RangeError("dataset.x holds 4.5 where the model's Embedding reads token ids 0..9; pass whole-number ids below the Embedding's inputDim (map unknown tokens to a reserved id)"),
    )
    const leaked = tf.memory().numTensors
    expect(() => toTensors({ x: tf.tensor2d([[1, 2], [3, 12]]), y: [0, 1] }, { ...info([2], true), vocabulary: 10 })).toThrow(/holds 12 where/)
    expect(tf.memory().numTensors).toBe(leaked + 1) // the caller's x only
  })
})

describe('a matcher on 50k nested samples', () => {
  test('toStartNearChanceLoss returns its verdict', async () => {
    const samples = 50_000
    const features = 20
    const x = Array.from({ length: samples }, (_, i) => Array.from({ length: features }, (_, j) => cell(i, j) * 2 - 1))
    const y = x.map((row) => (row[0]! + row[1]! > 0 ? 1 : 0))
    const build = (): tf.LayersModel => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [features] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] })
      m.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' })
      return m
    }
    const result = await checks.startNearChance(build, { x, y })
    expect(result.pass).toBe(true)
    expect(result.record.task).toBe('binary')
    expect(result.message).toMatch(/start near its chance loss 0\.6931/)
    expect(Math.abs(result.record.losses[0]! - Math.LN2) / Math.LN2).toBeLessThan(0.5)
  })
})
