// Type test (tsc only, never run): the vitest augmentation types every matcher as async.
import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { scalers, type CheckResult, type Subject } from 'trainability'

declare const build: () => tf.LayersModel
declare const data: { x: number[][]; y: number[] }

test('typed', async () => {
  await expect(build).toOverfitTinyDataset()
  await expect(build).toOverfitTinyDataset({ seed: 3 })
  await expect(build).not.toOverfitTinyDataset(data, { lossBelow: 0.1, maxEpochs: 10, backend: 'cpu' })
  await expect(build).toReduceLossMonotonically(data, { tolerance: 0, window: 3 })
  await expect({ model: build, preprocess: scalers.standard() }).toBeScaleInvariant(data, { factors: [10] })
  await expect(build).toTrainDeterministically(data)
  await expect(build).toStartNearChanceLoss(data, { tolerance: 0.25 })
  await expect(build).toUpdateAllTrainableWeights({ steps: 3 })
  await expect(build).toStayFinite(data)
  await expect(build).toHaveHealthyGradients(data, { min: 1e-8, max: 1e2, maxRatio: 1e3 })
  await expect(build).not.toHaveNoDeadUnits(data, { maxFraction: 0.25 })
  await expect(build).toDependOnInput(data, { minSpread: 1e-3 })
  await expect(build).toBeBatchIndependent(data, { tolerance: 1e-7 })
  await expect(build).toTrainConsistentlyAcrossBackends(data, { tolerance: 1e-4, backends: ['tensorflow', 'cpu'] })
  // @ts-expect-error maxFraction is a number
  await expect(build).toHaveNoDeadUnits(data, { maxFraction: 'half' })
  await expect(build).toTrainAcrossSeeds(data, { seeds: [1, 2, 3], minSuccessRate: 0.6 })
  await expect(build).toSurviveReducedPrecision(data, { bits: 16, maxEpochs: 2000 })
  await expect(build).toBeatBaseline(data, { margin: 0.2 })
  await expect(build).toTolerateLearningRates(data, { rates: [1e-3, 1e-2], minDrop: 0.1 })
  await expect(build).toGeneralize({ train: data, validation: data }, { maxGap: 0.05 })
  await expect(build).toOutputValidProbabilities(data, { tolerance: 1e-6 })
  const pending: Promise<void> = expect(build).toOverfitTinyDataset()
  await pending
  // @ts-expect-error lossBelow is a number
  await expect(build).toOverfitTinyDataset(data, { lossBelow: 'low' })
  // @ts-expect-error the backend is 'auto' | 'tensorflow' | 'cpu'
  await expect(build).toOverfitTinyDataset(data, { backend: 'webgl' })
  // @ts-expect-error bits is 16 or 32
  await expect(build).toSurviveReducedPrecision(data, { bits: 8 })
  // @ts-expect-error toBeatBaseline needs a dataset
  await expect(build).toBeatBaseline()
  // @ts-expect-error rates are numbers
  await expect(build).toTolerateLearningRates({ rates: '1e-3' })
  // @ts-expect-error toGeneralize takes { train, validation }
  await expect(build).toGeneralize(data)
  // @ts-expect-error sumToOne is a boolean
  await expect(build).toOutputValidProbabilities({ sumToOne: 1 })
  // @ts-expect-error seeds are numbers
  await expect(build).toTrainAcrossSeeds(data, { seeds: ['a'] })
  // @ts-expect-error toReduceLossMonotonically needs a dataset
  await expect(build).toReduceLossMonotonically()
})

const subject: Subject = { model: build, compile: { loss: 'meanSquaredError', optimizer: 'sgd', learningRate: 0.1 } }
declare const result: CheckResult
const pass: boolean = result.pass
export { subject, pass }
