import * as tf from '@tensorflow/tfjs'
import { checks, diagnose } from 'trainability'
import { train } from '../src/train.js'
import { describe, expect, test, vi } from 'vitest'
import type { CustomTrainable } from 'trainability'
import { handWrittenLogistic, logisticUnit, noise, softmaxClassifier, twoPoints, twoPointsColumn } from './fixtures/models.js'

// A synchronous loop that steps by 0 blocks the event loop, so no test timeout could fire: this trainable turns such a
// loop into an error. Two samples for 2 epochs take at most 4 steps.
const MAX_STEPS = 200
const boundedLogistic = (): CustomTrainable => {
  const made = handWrittenLogistic()
  let steps = 0
  return {
    ...made,
    loss: (x, y) => {
      if (++steps > MAX_STEPS) throw new Error(`the training loop took over ${MAX_STEPS} steps on 2 samples: it does not advance`)
      return made.loss(x, y)
    },
  }
}

// Issue 13, item 1 and 4: every bad option is a TypeError/RangeError naming it, the value and a valid example,
// thrown before any training (so `.not` cannot pass on it and nothing hangs).
describe('options', () => {
  test('batchSize 0, negative, fractional or NaN is a RangeError, never a training loop that steps by 0', { timeout: 10_000 }, async () => {
    for (const batchSize of [0, -1, 1.5, Number.NaN]) {
      await expect(checks.overfit(boundedLogistic, twoPointsColumn, { batchSize, maxEpochs: 2, learningRate: 0.1 })).rejects.toThrow(
        new RangeError(`options.batchSize must be a positive integer, received ${batchSize}; pass e.g. { batchSize: 32 }`),
      )
    }
  })

  test('diagnose checks the common options too, and the training loop itself refuses a step that does not advance', { timeout: 10_000 }, async () => {
    await expect(diagnose(boundedLogistic, twoPointsColumn, { batchSize: 0, learningRate: 0.1 })).rejects.toThrow(/^options\.batchSize must be a positive integer, received 0/)
    const x = tf.zeros([2, 1])
    const y = tf.zeros([2, 1])
    try {
      for (const batchSize of [0, -2, 0.5, Number.NaN]) {
        // The guard comes before the trainee or the seed scope is touched, so neither is needed here.
        await expect(train({} as never, x, y, { maxEpochs: 1, timeoutMs: 1000, batchSize }, {} as never)).rejects.toThrow(RangeError)
      }
    } finally {
      tf.dispose([x, y])
    }
  })

  test('the common options are checked once for every matcher, naming the option, the value and an example', async () => {
    const before = tf.memory().numTensors
    const cases: [object, RegExp, ErrorConstructor][] = [
      [{ maxEpochs: -1 }, /^options\.maxEpochs must be an integer ≥ 0, received -1; pass e\.g\. \{ maxEpochs: 100 \}$/, RangeError],
      [{ maxEpochs: Number.NaN }, /^options\.maxEpochs must be an integer ≥ 0, received NaN/, RangeError],
      [{ maxEpochs: '5' }, /^options\.maxEpochs must be an integer ≥ 0, received string "5"/, TypeError],
      [{ timeoutMs: -1 }, /^options\.timeoutMs must be a positive finite number, received -1; pass e\.g\. \{ timeoutMs: 20000 \}$/, RangeError],
      [{ task: 'x' }, /^options\.task must be one of 'binary', 'multiclass', 'regression', received string "x"/, RangeError],
    ]
    for (const descriptor of [checks.overfit, checks.stayFinite, checks.updateAllTrainableWeights]) {
      for (const [options, message, kind] of cases) {
        const call = (descriptor as (s: unknown, d: unknown, o: unknown) => Promise<unknown>)(logisticUnit(1), twoPoints, options)
        await expect(call).rejects.toThrow(message)
        await expect(call).rejects.toBeInstanceOf(kind)
      }
    }
    expect(tf.memory().numTensors).toBe(before)
  })

  test("each check's own options are checked against their declared kind", async () => {
    const rejects = (call: Promise<unknown>, message: RegExp) => expect(call).rejects.toThrow(message)
    for (const lossBelow of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      await rejects(checks.overfit(logisticUnit(1), twoPoints, { lossBelow }), new RegExp(`^options\\.lossBelow must be a finite number ≥ 0, received ${lossBelow}; pass e\\.g\\. \\{ lossBelow: 0\\.01 \\}$`))
    }
    await rejects(checks.overfit(logisticUnit(1), twoPoints, { lossBelow: '1' as never }), /^options\.lossBelow must be a finite number ≥ 0, received string "1"/)
    await rejects(checks.startNearChance(softmaxClassifier, { chance: -1 }), /^options\.chance must be a positive finite number, received -1/)
    await rejects(checks.updateAllTrainableWeights(logisticUnit(1), twoPoints, { steps: 0 }), /^options\.steps must be a positive integer, received 0; pass e\.g\. \{ steps: 5 \}$/)
    await rejects(checks.healthyGradients(logisticUnit(1), twoPoints, { min: 1, max: 0.5 }), /^options\.min must be ≤ options\.max, received min 1 and max 0\.5/)
    await rejects(checks.noDeadUnits(softmaxClassifier, { maxFraction: 2 }), /^options\.maxFraction must be a share in \[0, 1\], received 2; pass e\.g\. \{ maxFraction: 0\.5 \}$/)
    await rejects(checks.consistentAcrossBackends(logisticUnit(1), twoPoints, { backends: ['webgpu'] as never }), /^options\.backends must be an array of 2 backend names, received an array of length 1/)
    await rejects(checks.stayFinite(logisticUnit(1), 5 as never), /^options must be an object, received 5/)
  })

  test('every option of every check is declared: arrays, shares, enums of numbers, exclusive pairs, each named with its value and an example', async () => {
    const two = { x: [[1], [2]], y: [1, 0] }
    const cases: [Promise<unknown>, string, ErrorConstructor][] = [
      [checks.acrossSeeds(logisticUnit(1), twoPoints, { seeds: 3 as never }), 'options.seeds must be a non-empty array of distinct integer seeds, received 3; pass e.g. { seeds: [1, 2, 3, 4, 5] }', TypeError],
      [checks.acrossSeeds(logisticUnit(1), twoPoints, { minSuccessRate: 0 }), 'options.minSuccessRate must be a share in (0, 1], received 0; pass e.g. { minSuccessRate: 0.8 } (4 seeds in 5)', RangeError],
      // A hole is an element too (forEach would skip it).
      [checks.learningRates(logisticUnit(1), twoPoints, { rates: [1, , 2] as never }), 'options.rates[1] must be a positive finite number, received undefined; pass e.g. { rates: [0.001, 0.01, 0.1] }', TypeError],
      [checks.learningRates(logisticUnit(1), twoPoints, { rates: [0.1, Number.POSITIVE_INFINITY] }), 'options.rates[1] must be a positive finite number, received Infinity; pass e.g. { rates: [0.001, 0.01, 0.1] }', RangeError],
      [checks.scaleInvariance(logisticUnit(1), two, { factors: [10, 0] }), 'options.factors[1] must be a non-zero finite number, received 0; pass e.g. { factors: [0.001, 1000] }', RangeError],
      [checks.scaleInvariance(logisticUnit(1), two, { factors: [] }), 'options.factors must be a non-empty array of scale factors, received an array of length 0; pass e.g. { factors: [0.001, 1000] }', RangeError],
      [checks.monotonic(logisticUnit(1), two, { window: 0 }), 'options.window must be a positive integer, received 0; pass e.g. { window: 3 }', RangeError],
      [checks.reducedPrecision(logisticUnit(1), twoPoints, { bits: '16' as never }), 'options.bits must be one of 16, 32, received string "16"; pass e.g. { bits: 16 } (16 emulates float16, 32 is plain float32)', TypeError],
      [checks.beatsBaseline(logisticUnit(1), two, { margin: -0.1 }), 'options.margin must be a share in [0, 1), received -0.1; pass e.g. { margin: 0.1 }', RangeError],
      [checks.probabilities(softmaxClassifier, { tolerance: Number.NaN }), 'options.tolerance must be a finite number ≥ 0, received NaN; pass e.g. { tolerance: 0.00001 }', RangeError],
      [checks.consistentAcrossBackends(logisticUnit(1), twoPoints, { backends: ['cpu', 'cpu', 'cpu'] as never }), "options.backends must be an array of 2 backend names, received an array of length 3; pass e.g. { backends: ['tensorflow', 'cpu'] }", RangeError],
      [checks.generalization(logisticUnit(1), { train: two, validation: two }, { maxGap: 1, maxRelativeGap: 0.1 }), 'options.maxGap (loss units) and options.maxRelativeGap (share of the chance loss) both given; pass one of them', RangeError],
      [checks.generalization(logisticUnit(1), { train: two, validation: two }, { maxGap: -1 }), 'options.maxGap must be a finite number ≥ 0, received -1; pass e.g. { maxGap: 0.1 } (loss units)', RangeError],
      // An ordered pair holds against the defaults too: a max below the default min leaves no gradient norm healthy.
      [checks.healthyGradients(logisticUnit(1), twoPoints, { max: 1e-7 }), 'options.min must be ≤ options.max, received min 0.000001 (its default) and max 1e-7; pass e.g. { min: 1e-7, max: 0.000001 }', RangeError],
      [checks.overfit(logisticUnit(1), twoPoints, { loss: 5 as never }), "options.loss must be a tfjs loss name or a loss function, received 5; pass e.g. { loss: 'binaryCrossentropy' }", TypeError],
      [checks.overfit(logisticUnit(1), twoPoints, { optimizer: null as never, loss: null as never, seed: 3n as never }), 'options.seed must be an integer, received 3n; pass e.g. { seed: 42 }', TypeError],
      [checks.overfit(logisticUnit(1), twoPoints, { optimizer: true as never }), "options.optimizer must be an optimizer name or a tf.Optimizer, received boolean true; pass e.g. { optimizer: 'adam' }", TypeError],
      [checks.overfit(logisticUnit(1), twoPoints, { backend: 5 as never }), "options.backend must be one of 'auto', 'tensorflow', 'cpu', received 5; pass e.g. { backend: 'auto' }", TypeError],
      // An array is an object to typeof; as options it would run every default silently.
      [checks.overfit(logisticUnit(1), twoPoints, [] as never), 'options must be an object, received an array of length 0', TypeError],
      [diagnose(logisticUnit(1), twoPoints, [{ maxEpochs: 1 }] as never), 'options must be an object, received an array of length 1', TypeError],
    ]
    for (const [call, message, kind] of cases) {
      const error = await call.then(() => undefined, (e: unknown) => e)
      expect(error, message).toBeInstanceOf(kind)
      expect((error as Error).message).toBe(message)
    }
  })

  test('a bad option throws before the factory is called, for every kind of check', async () => {
    const factory = vi.fn(logisticUnit(1))
    const data = noise(4, 3)
    const two = { x: [[1], [2]], y: [1, 0] }
    const calls: [string, () => Promise<unknown>][] = [
      ['lossBelow', () => checks.overfit(factory, twoPoints, { lossBelow: -1 })],
      ['learningRate', () => checks.overfit(factory, twoPoints, { learningRate: 0 })],
      ['loss', () => checks.overfit(factory, twoPoints, { loss: 5 as never })],
      ['seeds', () => checks.acrossSeeds(factory, twoPoints, { seeds: [1, 1] })],
      ['rates', () => checks.learningRates(factory, { rates: [0] })],
      ['factors', () => checks.scaleInvariance(factory, two, { factors: [Number.NaN] })],
      ['maxGap', () => checks.generalization(factory, { train: data, validation: data }, { maxGap: 1, maxRelativeGap: 1 })],
      ['backends', () => checks.consistentAcrossBackends(factory, twoPoints, { backends: ['cpu'] as never })],
      ['window', () => checks.monotonic(factory, two, { window: 1.5 })],
      ['bits', () => checks.reducedPrecision(factory, { bits: 64 as never })],
      ['margin', () => checks.beatsBaseline(factory, two, { margin: 1 })],
      ['task', () => checks.determinism(factory, twoPoints, { task: 'ranking' as never })],
      ['maxEpochs', () => diagnose(factory, twoPoints, { maxEpochs: 1.5 })],
    ]
    for (const [name, call] of calls) await expect(call(), name).rejects.toThrow(new RegExp(`^options\\.${name}\\b`))
    expect(factory).not.toHaveBeenCalled()
    // The spy sees a valid call, so the assertion above can fail.
    await checks.overfit(factory, twoPoints, { maxEpochs: 1 })
    expect(factory).toHaveBeenCalled()
  })

  test("options.task 'multiclass' on a one-unit model is a RangeError naming the option, not tfjs's oneHot error", async () => {
    const before = tf.memory().numTensors
    for (const data of [undefined, twoPoints]) {
      await expect(checks.overfit(logisticUnit(1), data, { task: 'multiclass', maxEpochs: 1 })).rejects.toThrow(
        new RangeError("options.task 'multiclass' needs one output unit per class, but the model has 1; pass { task: 'binary' } or leave task out"),
      )
    }
    expect(tf.memory().numTensors).toBe(before)
  })

  test('a required dataset given as null is missing, not replaced by generated data', async () => {
    await expect(checks.monotonic(logisticUnit(1), null as never, { maxEpochs: 1 })).rejects.toThrow(/^toReduceLossMonotonically needs a dataset: pass \{ x, y \}/)
  })

  test('diagnose takes null data as none, and names a broken { train, validation }', async () => {
    const diagnosis = await diagnose(logisticUnit(1), null as never, { maxEpochs: 1 })
    expect(diagnosis.record.epochs).toBe(1)
    await expect(diagnose(logisticUnit(1), { train: twoPoints } as never, { maxEpochs: 1 })).rejects.toThrow(
      new TypeError('diagnose needs { train, validation }, two datasets { x, y }, or a single { x, y }; received an object with keys {train}'),
    )
  })

  // Found by test/fuzz.test.ts: a share above 0 rounded down to "at least 0 of 2 seeds", which passes whatever happens.
  test('a tiny minSuccessRate still needs one seed to pass', async () => {
    const result = await checks.acrossSeeds(logisticUnit(0.001), twoPoints, { minSuccessRate: 1e-12, maxEpochs: 1, seeds: [1, 2] })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/under at least 1 of 2 seeds \(1, 2\)/)
  })
})
