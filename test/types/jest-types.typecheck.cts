// Type test (tsc only): @types/jest users (global expect), CommonJS, as a jest.config setupFilesAfterEnv user writes it.
import type * as tf from '@tensorflow/tfjs'
import type {} from 'trainability/jest'
import { scalers } from 'trainability'

declare const build: () => tf.LayersModel

test('typed', async () => {
  await expect(build).toOverfitTinyDataset({ x: [[-1], [1]], y: [1, 0] })
  await expect({ model: build, preprocess: scalers.robust() }).toBeScaleInvariant({ x: [[1, 2]], y: [1] })
  await expect(build).not.toTrainDeterministically()
  await expect(build).toStartNearChanceLoss()
  await expect(build).toHaveHealthyGradients({ x: [[1]], y: [1] }, { maxRatio: 100 })
  await expect(build).toBeBatchIndependent()
  await expect(build).toTrainAcrossSeeds({ minSuccessRate: 0.8 })
  await expect(build).not.toSurviveReducedPrecision({ bits: 16 })
  await expect(build).toBeatBaseline({ x: [[1], [2]], y: [1, 0] }, { margin: 0 })
  await expect(build).toTolerateLearningRates({ rates: [0.01, 0.1] })
  await expect(build).toGeneralize({ train: { x: [[1]], y: [1] }, validation: { x: [[2]], y: [0] } })
  await expect(build).toOutputValidProbabilities()
  // @ts-expect-error window is a number
  await expect(build).toReduceLossMonotonically({ x: [[1]], y: [1] }, { window: 'wide' })
})
