// Large data (issue 13 item 7): the data statistics do bounded work (the median and MAD read a fixed sample of rows,
// everything else streams over every row), nested arrays convert in one pass, the probes read a fixed sample of a large
// set, a run gives the event loop turns between its phases, its budget covers setup, and a 50k-sample nested dataset
// runs a matcher to a verdict. Speed and memory figures live in bench/large-data.ts; nothing here is timed.
import * as tf from '@tensorflow/tfjs'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { toTensors } from '../src/dataset.js'
import { featureScale, outliers } from '../src/findings/data.js'
import { activationStats } from '../src/probes/activations.js'
import { probes } from '../src/probes/evidence.js'
import { PROBE_SAMPLE } from '../src/probes/sample.js'
import { sensitivity } from '../src/probes/sensitivity.js'
import { openSession, type Observer, type RunContext, type RunOutcome } from '../src/run.js'
import { dataStats, FAR_Z, sampleRows, STATS_SAMPLE } from '../src/stats.js'
import { DEFAULT_BATCH } from '../src/train.js'
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

/** An identity layer that notes how many rows each forward pass through it reads, while `counting` is on. */
class RowsSeen extends tf.layers.Layer {
  static className = 'RowsSeen'
  counting = false
  readonly seen: number[] = []
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs
    if (this.counting) this.seen.push(x.shape[0]!)
    return tf.clone(x)
  }
}

const FEATURES = 8
const rowsOf = (samples: number): { x: number[][]; y: number[] } => {
  const x = Array.from({ length: samples }, (_, i) => Array.from({ length: FEATURES }, (_, j) => cell(i, j) * 2 - 1))
  return { x, y: x.map((row) => (row[0]! - row[1]! > 0 ? 1 : 0)) }
}

describe('probes read a bounded sample of a large set', () => {
  /**
   * Trains `samples` rows for an epoch with the probes attached between two observers that switch the row counter on
   * and off, so that it sees the probes' forward passes only. Right after the probes' `before`, the probes' activation
   * and output measures are taken again by hand on `rows` (all of them when undefined) of the training set.
   */
  async function probed(samples: number, rows?: Int32Array) {
    let layer: RowsSeen | undefined
    const build = (): tf.LayersModel => {
      layer = new RowsSeen({})
      const input = tf.input({ shape: [FEATURES] })
      const hidden = tf.layers.dense({ units: 16, activation: 'relu' }).apply(layer.apply(input)) as tf.SymbolicTensor
      const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden) as tf.SymbolicTensor })
      model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' })
      return model
    }
    const probe = probes()
    let byHand: { activations: ReturnType<typeof activationStats>; outputs: ReturnType<typeof sensitivity> } | undefined
    const measure = (ctx: RunContext): void => {
      const x = rows ? tf.gather(ctx.x, tf.tensor1d(rows, 'int32')) : ctx.x
      try {
        byHand = { activations: activationStats(ctx.trainee.model!, x), outputs: sensitivity(ctx.trainee, x, 0.5) }
      } finally {
        if (x !== ctx.x) x.dispose()
      }
    }
    const off: Observer = {
      before(ctx) {
        layer!.counting = false
        measure(ctx)
      },
      after: () => void (layer!.counting = false),
    }
    const session = await openSession(build)
    const outcome = await session.run({
      dataset: rowsOf(samples),
      maxEpochs: 1,
      timeoutMs: 60_000,
      before: () => void (layer!.counting = true),
      after: () => void (layer!.counting = true),
      observers: [probe.observer, off],
    })
    return { outcome, evidence: probe.evidence, seen: layer!.seen, byHand: byHand! }
  }

  test(`up to PROBE_SAMPLE (${PROBE_SAMPLE}) rows the probes read every row: their evidence is what they compute on all of them`, async () => {
    const { evidence, seen, byHand } = await probed(1000)
    expect(evidence.probed).toBeUndefined()
    expect(Math.max(...seen)).toBe(1000)
    expect(evidence.activations.initial).toEqual(byHand.activations)
    expect(evidence.initialOutputs).toEqual(byHand.outputs)
  })

  test('a larger set: every forward pass of the probes reads at most PROBE_SAMPLE rows, the fixed sample of stats.ts', async () => {
    const samples = 3 * PROBE_SAMPLE + 5
    const { outcome, evidence, seen, byHand } = await probed(samples, sampleRows(samples, PROBE_SAMPLE))
    expect(evidence.probed).toEqual({ samples: PROBE_SAMPLE, of: samples })
    // Before and after training: the activations and outputs on the sample; 4 rows for the cross-sample gradient.
    expect(seen.filter((rows) => rows === PROBE_SAMPLE).length).toBeGreaterThanOrEqual(4)
    expect(Math.max(...seen)).toBe(PROBE_SAMPLE)
    expect(evidence.activations.initial).toEqual(byHand.activations)
    expect(evidence.initialOutputs).toEqual(byHand.outputs)
    // What the verdicts read stays exact on every sample: the loss curve, the accuracy, the data statistics.
    expect(outcome.record.epochs).toBe(1)
    expect(outcome.stats.samples).toBe(samples)
  })

  test('a message built on the sample says how many samples of how many it read; on a small set, as before', async () => {
    // Biases at −100: no ReLU unit fires on any input.
    const dead = (): tf.LayersModel => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 8, activation: 'relu', inputShape: [FEATURES], biasInitializer: tf.initializers.constant({ value: -100 }) }),
          tf.layers.dense({ units: 1, activation: 'sigmoid' }),
        ],
      })
      model.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' })
      return model
    }
    const large = await checks.noDeadUnits(dead, rowsOf(3000), { maxEpochs: 1 })
    expect(large.pass).toBe(false)
    expect(large.message).toMatch(/100% of the 8 units of \S+ never activate on 1024 of 3000 samples after 1 epoch/)
    const small = await checks.noDeadUnits(dead, rowsOf(1000), { maxEpochs: 1 })
    expect(small.message).toMatch(/100% of the 8 units of \S+ never activate on 1000 samples after 1 epoch/)
  })
})

describe('a large run gives the event loop turns', () => {
  test('between its phases: setup, each observer before, training, each after, and the statistics', async () => {
    // A counter that advances once per turn of the event loop: the turns are counted, not the milliseconds.
    let turns = 0
    let counting = true
    const tick = (): void => {
      turns++
      if (counting) setImmediate(tick)
    }
    setImmediate(tick)
    const build = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [40] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] })
      model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' })
      return model
    }
    // 30k nested rows of 40: 1.2M values, more than one step of the walk that converts them and one slab of every pass.
    const x = Array.from({ length: 30_000 }, (_, i) => Array.from({ length: 40 }, (_, j) => cell(i, j) - 0.5))
    const data = { x, y: x.map((row) => (row[0]! > 0 ? 1 : 0)) }
    const at: Record<string, number> = {}
    const probe = probes()
    try {
      const session = await openSession(build, { batchSize: 10_000 })
      at.start = turns
      await session.run({
        dataset: data,
        maxEpochs: 1,
        timeoutMs: 60_000,
        before: () => void (at.setup = turns),
        afterEpoch: () => void (at.epoch = turns),
        after: () => void (at.trained = turns),
        observers: [probe.observer, { before: () => void (at.probed = turns), after: () => void (at.probedAfter = turns) }],
      })
      at.stats = turns
    } finally {
      counting = false
    }
    expect(probe.evidence.probed).toEqual({ samples: PROBE_SAMPLE, of: 30_000 })
    const order = ['start', 'setup', 'probed', 'epoch', 'trained', 'probedAfter', 'stats']
    expect(Object.keys(at).sort()).toEqual([...order].sort())
    order.slice(1).forEach((phase, i) => expect(at[phase], `${order[i]} → ${phase}`).toBeGreaterThan(at[order[i]!]!))
  })
})

describe('the budget covers setup', () => {
  test('a deadline that passed before training leaves it no epoch, and the message says the budget stopped it', async () => {
    // The factory takes 300 ms (a busy wait, as a slow build would) of a 100 ms budget: the first step, otherwise always
    // taken, is not.
    const slow = (): tf.LayersModel => {
      const until = performance.now() + 300
      while (performance.now() < until) { /* a slow build */ }
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [1] })] })
      model.compile({ loss: 'binaryCrossentropy', optimizer: 'sgd' })
      return model
    }
    const result = await checks.overfit(slow, { x: [[-1], [1]], y: [1, 0] }, { timeoutMs: 100 })
    expect(result.pass).toBe(false)
    expect(result.record).toMatchObject({ epochs: 0, stoppedBy: 'timeout', losses: [] })
    expect(result.message).toMatch(/stopped by the 100 ms budget before its first epoch ended; raise timeoutMs/)
  })
})

describe('the default batch', () => {
  const build = (): tf.LayersModel => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'relu', inputShape: [FEATURES] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] })
    model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' })
    return model
  }
  const epoch = async (samples: number, batchSize?: number): Promise<RunOutcome> => {
    const session = await openSession(build, { batchSize, cache: false })
    return session.run({ dataset: rowsOf(samples), maxEpochs: 1, timeoutMs: 60_000 })
  }

  test(`a set over DEFAULT_BATCH (${DEFAULT_BATCH}) samples trains in DEFAULT_BATCH-sample batches, and the record and message say so`, async () => {
    const samples = 2 * DEFAULT_BATCH + 1
    const outcome = await epoch(samples)
    expect(outcome.steps).toBe(Math.ceil(samples / DEFAULT_BATCH))
    expect(outcome.record.batchSize).toBe(DEFAULT_BATCH)
    const result = await checks.overfit(build, rowsOf(samples), { maxEpochs: 1, verify: false })
    expect(result.record.batchSize).toBe(DEFAULT_BATCH)
    expect(result.message).toMatch(new RegExp(`seed \\d+ {3}batches of ${DEFAULT_BATCH} \\(the default over ${DEFAULT_BATCH} samples\\)`))
  })

  test('a set of DEFAULT_BATCH samples is one batch, as it always was; an explicit batchSize wins and is not repeated', async () => {
    const whole = await epoch(DEFAULT_BATCH)
    expect(whole.steps).toBe(1)
    expect(whole.record.batchSize).toBeUndefined()
    const samples = 2 * DEFAULT_BATCH + 1
    const larger = DEFAULT_BATCH + 1
    const explicit = await epoch(samples, larger)
    expect(explicit.steps).toBe(Math.ceil(samples / larger))
    expect(explicit.record.batchSize).toBeUndefined()
    const full = await epoch(samples, samples)
    expect(full.steps).toBe(1)
    const result = await checks.overfit(build, rowsOf(DEFAULT_BATCH), { maxEpochs: 1, verify: false })
    expect(result.message).not.toMatch(/batches of/)
  })
})
