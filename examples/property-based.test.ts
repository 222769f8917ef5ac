// Property-based trainability: "for any linearly separable dataset of this shape, at any feature scale,
// with any offset and a few outliers, my model still overfits it" — and fast-check shrinks a failure.
// The README's "Property-based testing" section is this file's code (test/readme-property.test.ts checks it).
import { test } from '@fast-check/vitest'
import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { scalers } from 'trainability'
import * as arbitraries from 'trainability/arbitraries'
import { expect } from 'vitest'

/** One linear unit on two features: logits, sigmoid cross-entropy, Adam at lr 1. */
const linearUnit = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.adam(1) })
  return model
}

// 8–16 separable samples, shifted by up to ±100, scaled by 1e-4…1e4 per feature, one in ten an outlier
const data = arbitraries.withOutliers(
  arbitraries.scaled(arbitraries.shifted(arbitraries.linearlySeparable({ features: 2, samples: { min: 8, max: 16 } }))),
  { fraction: 0.1 },
)
const budget = { maxEpochs: 300, lossBelow: 0.3 }

test.prop([data], { numRuns: 25, seed: 1 })('overfits any scaled, shifted, outlier-laden separable dataset', async (d) => {
  await expect({ model: linearUnit, preprocess: scalers.robust() }).toOverfitTinyDataset(d, budget)
})

test('without preprocessing it fails, shrinks to a tiny dataset at an extreme scale, and replays', async () => {
  const unscaled = arbitraries.scaled(arbitraries.linearlySeparable({ features: 2, samples: { min: 2, max: 12 } }))
  const property = fc.asyncProperty(unscaled, async (d) => {
    await expect(linearUnit).toOverfitTinyDataset(d, budget)
  })
  const result = await fc.check(property, { numRuns: 25, seed: 7, includeErrorInReport: true })
  expect(result.failed).toBe(true)
  const [counterexample] = result.counterexample!
  expect(counterexample.x.length).toBeLessThanOrEqual(4)
  expect(counterexample.factors.some((f) => f >= 1e3 || f <= 1e-3)).toBe(true)

  // The report has both replay recipes: fast-check's seed and path, and the failing training run's seed.
  const report = fc.defaultReportMessage(result)!
  expect(report).toMatch(/\{ seed: 7, path: "[\d:]+", endOnFailure: true \}/)
  const replayLine = /replay: TRAINABILITY_SEED=(\d+) TRAINABILITY_BACKEND=(cpu|tensorflow)/.exec(report)!
  expect(replayLine).not.toBeNull()

  // Replaying as the README says: fast-check's seed + path, under the printed TRAINABILITY_SEED and backend.
  const saved = { seed: process.env.TRAINABILITY_SEED, backend: process.env.TRAINABILITY_BACKEND }
  process.env.TRAINABILITY_SEED = replayLine[1]
  process.env.TRAINABILITY_BACKEND = replayLine[2]
  try {
    const replay = await fc.check(property, { seed: 7, path: result.counterexamplePath!, endOnFailure: true, includeErrorInReport: true })
    expect(replay.numRuns).toBe(1)
    expect(replay.counterexample).toEqual(result.counterexample)
    expect(String(replay.errorInstance)).toBe(String(result.errorInstance))
  } finally {
    for (const [key, value] of [['TRAINABILITY_SEED', saved.seed], ['TRAINABILITY_BACKEND', saved.backend]] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
})
