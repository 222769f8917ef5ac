// Verdicts on the tfjs-examples iris classifier (models/iris.ts): the healthy model passes every matcher that applies
// and diagnose() stays quiet; each injected bug fails its matcher with the expected checklist id first.
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { IRIS_BUGS, irisData, irisModel } from './models/iris.js'
import { expectCaught, expectNoAlarm } from './verdict.js'

const { train, validation } = irisData({ train: 10, validation: 5 })
const onePerClass = irisData({ train: 1, validation: 0 }).train
const healthy = (): ReturnType<typeof irisModel> => irisModel()

describe('iris: the example as written', () => {
  test('toOverfitTinyDataset (one flower per class)', async () => {
    await expect(healthy).toOverfitTinyDataset(onePerClass)
  })
  test('toStartNearChanceLoss', async () => {
    await expect(healthy).toStartNearChanceLoss(train)
  })
  test('toReduceLossMonotonically (adam 0.01, full batch, 50 epochs)', async () => {
    await expect(healthy).toReduceLossMonotonically(train, { maxEpochs: 50 })
  })
  test('toDependOnInput', async () => {
    await expect(healthy).toDependOnInput(train)
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
  test('toHaveNoDeadUnits', async () => {
    await expect(healthy).toHaveNoDeadUnits(train)
  })
  test('toBeBatchIndependent', async () => {
    await expect(healthy).toBeBatchIndependent(train)
  })
  test('toBeatBaseline', async () => {
    await expect(healthy).toBeatBaseline(train)
  })
  test('toGeneralize (10 train / 5 validation flowers per class)', async () => {
    await expect(healthy).toGeneralize({ train, validation })
  })
  test('toOutputValidProbabilities', async () => {
    await expect(healthy).toOutputValidProbabilities(train)
  })
  test('diagnose raises no error or warning', async () => {
    expectNoAlarm(await diagnose(healthy, { train, validation }))
  })
})

describe('iris: injected bugs', () => {
  test(`no-softmax → ${IRIS_BUGS['no-softmax'].expected} (toStartNearChanceLoss)`, async () => {
    expectCaught(await checks.startNearChance(() => irisModel('no-softmax'), train), IRIS_BUGS['no-softmax'])
  })
  test(`integer-labels → ${IRIS_BUGS['integer-labels'].expected} (toStartNearChanceLoss)`, async () => {
    const labels = irisData({ train: 10, validation: 5, bug: 'integer-labels' }).train
    expectCaught(await checks.startNearChance(healthy, labels), IRIS_BUGS['integer-labels'])
  })
  test(`lr-too-high → ${IRIS_BUGS['lr-too-high'].expected} (toReduceLossMonotonically)`, async () => {
    expectCaught(await checks.monotonic(() => irisModel('lr-too-high'), train, { maxEpochs: 50 }), IRIS_BUGS['lr-too-high'])
  })
  test(`all-frozen → ${IRIS_BUGS['all-frozen'].expected} (toUpdateAllTrainableWeights)`, async () => {
    expectCaught(await checks.updateAllTrainableWeights(() => irisModel('all-frozen'), train), IRIS_BUGS['all-frozen'])
  })
})
