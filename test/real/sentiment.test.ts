// Verdicts on the tfjs-examples sentiment models (models/sentiment.ts): integer token ids in, one sigmoid out.
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { SENTIMENT_BUGS, sentimentData, sentimentModel } from './models/sentiment.js'
import { expectCaught, expectNoAlarm } from './verdict.js'

const train = sentimentData(32)
const onePerClass = { x: train.x.slice(0, 2), y: train.y.slice(0, 2) }
const small = { x: train.x.slice(0, 8), y: train.y.slice(0, 8) }

describe('sentiment flatten: the example as written (adam 0.001)', () => {
  const healthy = () => sentimentModel('flatten')
  test('toOverfitTinyDataset (one review per class)', async () => {
    await expect(healthy).toOverfitTinyDataset(onePerClass)
  })
  test('toStartNearChanceLoss', async () => {
    await expect(healthy).toStartNearChanceLoss(train)
  })
  test('toReduceLossMonotonically (30 epochs)', async () => {
    await expect(healthy).toReduceLossMonotonically(train, { maxEpochs: 30 })
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
    await expect(healthy).toStayFinite(train, { maxEpochs: 30 })
  })
  test('toBeBatchIndependent', async () => {
    await expect(healthy).toBeBatchIndependent(train)
  })
  test('toBeatBaseline', async () => {
    await expect(healthy).toBeatBaseline(train)
  })
  // toGeneralize is left out: with 32 reviews the flatten model learns word positions it cannot carry to new
  // reviews (a real train/validation gap), and enough reviews to close it cost more than this suite's budget.
  test('toOutputValidProbabilities', async () => {
    await expect(healthy).toOutputValidProbabilities(train)
  })
  test('diagnose raises no error or warning', async () => {
    // Training data only: at 32 reviews the flatten model has a real train/validation gap (see toGeneralize above).
    expectNoAlarm(await diagnose(healthy, train, { maxEpochs: 100 }))
  })
})

describe('sentiment lstm and cnn: the example as written', () => {
  test('lstm: toOverfitTinyDataset, toStartNearChanceLoss, toHaveHealthyGradients', async () => {
    const healthy = () => sentimentModel('lstm')
    await expect(healthy).toOverfitTinyDataset(onePerClass)
    await expect(healthy).toStartNearChanceLoss(small)
    await expect(healthy).toHaveHealthyGradients(small)
  })
  test('cnn (dropout 0.5): toStartNearChanceLoss, toBeBatchIndependent', async () => {
    const healthy = () => sentimentModel('cnn')
    await expect(healthy).toStartNearChanceLoss(small)
    await expect(healthy).toBeBatchIndependent(small)
  })
  test('cnn (dropout 0.5): toReduceLossMonotonically (10 epochs)', async () => {
    await expect(() => sentimentModel('cnn')).toReduceLossMonotonically(small, { maxEpochs: 10 })
  })
})

describe('sentiment: injected bugs', () => {
  test(`softmax-one-unit → ${SENTIMENT_BUGS['softmax-one-unit'].expected} (toStartNearChanceLoss)`, async () => {
    expectCaught(await checks.startNearChance(() => sentimentModel('flatten', 'softmax-one-unit'), train), SENTIMENT_BUGS['softmax-one-unit'])
  })
  test(`labels-pm1 → ${SENTIMENT_BUGS['labels-pm1'].expected} (toStartNearChanceLoss)`, async () => {
    expectCaught(await checks.startNearChance(() => sentimentModel('flatten'), sentimentData(32, { bug: 'labels-pm1' })), SENTIMENT_BUGS['labels-pm1'])
  })
  test(`lr-too-high → ${SENTIMENT_BUGS['lr-too-high'].expected} (toReduceLossMonotonically)`, async () => {
    expectCaught(await checks.monotonic(() => sentimentModel('flatten', 'lr-too-high'), train, { maxEpochs: 30 }), SENTIMENT_BUGS['lr-too-high'])
  })
})
