// Verdicts on the tfjs-examples boston-housing regressors (models/boston.ts), real data from the CSV.
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { BOSTON_BUGS, bostonData, bostonModel, type BostonKind } from './models/boston.js'
import { expectCaught, expectNoAlarm } from './verdict.js'

// 200 train / 100 validation houses: the example's own split is 333 train (20% of it validation) and 173 test.
const { train, validation } = bostonData({ train: 200, validation: 100 })
const raw = bostonData({ train: 200, validation: 100, bug: 'raw-features' }).train
const tiny = { x: train.x.slice(0, 4), y: train.y.slice(0, 4) }
const mean = train.y.reduce((s, r) => s + r[0]!, 0) / train.y.length
const variance = train.y.reduce((s, r) => s + (r[0]! - mean) ** 2, 0) / train.y.length
// toStartNearChanceLoss does not apply: the example does not center MEDV (mean ~22), so its untrained loss is
// var(y) + mean(y)² by design, not the var(y) chance of a centered target.

describe.each<BostonKind>(['linear', 'mlp1', 'mlp2'])('boston %s: the example as written', (kind) => {
  const healthy = () => bostonModel(kind)
  test('toOverfitTinyDataset (4 houses)', async () => {
    await expect(healthy).toOverfitTinyDataset(tiny)
  })
  test('toReduceLossMonotonically (SGD 0.01 on standardized features, 50 epochs)', async () => {
    await expect(healthy).toReduceLossMonotonically(train, { maxEpochs: 50 })
  })
  test('toBeatBaseline', async () => {
    await expect(healthy).toBeatBaseline(train)
  })
  test('toDependOnInput', async () => {
    await expect(healthy).toDependOnInput(train, { maxEpochs: 50 })
  })
  test('toHaveHealthyGradients', async () => {
    await expect(healthy).toHaveHealthyGradients(train)
  })
  test('toUpdateAllTrainableWeights', async () => {
    await expect(healthy).toUpdateAllTrainableWeights(train)
  })
  test('toStayFinite', async () => {
    await expect(healthy).toStayFinite(train, { maxEpochs: 50 })
  })
  test('toBeBatchIndependent', async () => {
    await expect(healthy).toBeBatchIndependent(train)
  })
  if (kind !== 'linear') {
    test('toHaveNoDeadUnits', async () => {
      await expect(healthy).toHaveNoDeadUnits(train)
    })
  }
  // The gap is in MSE units (dollars² × 10⁶): a validation loss within a quarter of var(y) of the training loss still
  // leaves the model ≥ 3/4 of the mean-predictor's error ahead on unseen houses once it fits the training set.
  test('toGeneralize (200 train / 100 validation houses, maxGap var(y) / 4)', async () => {
    await expect(healthy).toGeneralize({ train, validation }, { maxGap: variance / 4 })
  })
  test('diagnose raises no error or warning', async () => {
    expectNoAlarm(await diagnose(healthy, { train, validation }))
  })
})

describe('boston: injected bugs', () => {
  test(`raw-features → ${BOSTON_BUGS['raw-features'].expected} (toStayFinite, linear)`, async () => {
    expectCaught(await checks.stayFinite(() => bostonModel('linear', 'raw-features'), raw, { maxEpochs: 50 }), BOSTON_BUGS['raw-features'])
  })
  test(`lr-too-high → ${BOSTON_BUGS['lr-too-high'].expected} (toStayFinite, linear)`, async () => {
    expectCaught(await checks.stayFinite(() => bostonModel('linear', 'lr-too-high'), train, { maxEpochs: 50 }), BOSTON_BUGS['lr-too-high'])
  })
  test(`lr-too-low → ${BOSTON_BUGS['lr-too-low'].expected} (toBeatBaseline, mlp2)`, async () => {
    expectCaught(await checks.beatsBaseline(() => bostonModel('mlp2', 'lr-too-low'), train, { maxEpochs: 100 }), BOSTON_BUGS['lr-too-low'])
  })
  test(`deep-sigmoid → ${BOSTON_BUGS['deep-sigmoid'].expected} (toHaveHealthyGradients)`, async () => {
    expectCaught(await checks.healthyGradients(() => bostonModel('mlp2', 'deep-sigmoid'), train), BOSTON_BUGS['deep-sigmoid'])
  })
})
