import * as tf from '@tensorflow/tfjs'
import { checks, diagnose } from 'trainability'
import { train } from '../src/train.js'
import { describe, expect, test } from 'vitest'
import type { CustomTrainable } from 'trainability'
import { handWrittenLogistic, logisticUnit, softmaxClassifier, twoPoints, twoPointsColumn } from './fixtures/models.js'

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
})
