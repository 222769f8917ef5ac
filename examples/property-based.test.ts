// Property-based trainability: "for any linearly separable dataset of this shape, at any feature scale,
// with any offset and a few outliers, my model still overfits it" — and fast-check shrinks a failure.
import { test as propTest } from '@fast-check/vitest'
import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { arbitraries, scalers } from 'trainability'
import { expect, test } from 'vitest'

/** One linear unit on two features, logits + sigmoid cross-entropy, Adam at lr 1. */
const linearUnit = (): tf.LayersModel => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
  model.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.adam(1) })
  return model
}

/**
 * 8 to 16 separable samples, features scaled by 1e-4…1e4, shifted by up to ±100, one outlier in ten pushed
 * out on its own side (a robust scaler tolerates up to a quarter of outliers, so 8 samples at least).
 */
const messy = arbitraries.withOutliers(
  arbitraries.shifted(arbitraries.scaled(arbitraries.linearlySeparable({ features: 2, samples: { min: 8, max: 16 } }))),
  { fraction: 0.1 },
)
const budget = { maxEpochs: 300, lossBelow: 0.3 }

propTest.prop([messy], { numRuns: 25, seed: 1 })(
  'with robust scaling the unit overfits every scaled, shifted, outlier-laden separable dataset',
  async (data) => {
    await expect({ model: linearUnit, preprocess: scalers.robust() }).toOverfitTinyDataset(data, budget)
  },
)

test('without preprocessing it fails, and fast-check shrinks to a tiny dataset at an extreme scale', async () => {
  const unscaled = arbitraries.scaled(arbitraries.linearlySeparable({ features: 2, samples: { min: 2, max: 12 } }))
  const result = await fc.check(
    fc.asyncProperty(unscaled, async (data) => {
      await expect(linearUnit).toOverfitTinyDataset(data, budget)
    }),
    { numRuns: 25, seed: 7, includeErrorInReport: true },
  )
  expect(result.failed).toBe(true)
  const [counterexample] = result.counterexample!
  expect(counterexample.x.length).toBeLessThanOrEqual(4)
  expect(counterexample.factors.some((f) => f >= 1e3 || f <= 1e-3)).toBe(true)
  // The report has both replay recipes: fast-check's seed and path, and the failing training run's seed.
  const report = fc.defaultReportMessage(result)!
  expect(report).toMatch(/seed: 7, path: "[\d:]+"/)
  expect(report).toMatch(/replay: TRAINABILITY_SEED=42 TRAINABILITY_BACKEND=(cpu|tensorflow)/)
  console.info(report.split('\n').slice(0, 4).join('\n'))
})
