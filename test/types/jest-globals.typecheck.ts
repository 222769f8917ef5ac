// Type test (tsc only): @jest/globals users get the matchers through the 'expect' module augmentation.
import type * as tf from '@tensorflow/tfjs'
import { expect, test } from '@jest/globals'
import 'trainability/jest'

declare const build: () => tf.LayersModel

test('typed', async () => {
  await expect(build).toOverfitTinyDataset()
  await expect(build).not.toBeScaleInvariant({ x: [[1, 2]], y: [1] }, { shift: 0 })
  await expect(build).not.toTrainAcrossSeeds({ x: [[1, 2]], y: [1] }, { seeds: [7, 8] })
  await expect(build).toSurviveReducedPrecision({ x: [[1, 2]], y: [1] }, { bits: 16 })
  await expect(build).not.toBeatBaseline({ x: [[1, 2]], y: [1] })
  await expect(build).not.toTolerateLearningRates({ x: [[1, 2]], y: [1] }, { rates: [10] })
  await expect(build).toOutputValidProbabilities({ sumToOne: false })
  await expect(build).not.toGeneralize({ train: { x: [[1, 2]], y: [1] }, validation: { x: [[2, 1]], y: [0] } }, { maxGap: 0.2 })
  // @ts-expect-error lossBelow is a number
  await expect(build).toOverfitTinyDataset(undefined, { lossBelow: 'low' })
})
