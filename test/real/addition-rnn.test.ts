// Verdicts on the tfjs-examples addition RNN (models/addition-rnn.ts): outputs and targets are [n, digits + 1, 12].
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { ADDITION_BUGS, additionData, additionModel, type RnnType } from './models/addition-rnn.js'
import { expectCaught, expectNoAlarm } from './verdict.js'

const data = additionData(1, 12)
const tiny = { x: data.x.slice(0, 2), y: (data.y as number[][][]).slice(0, 2) }
const build = (rnnType: RnnType, bug?: keyof typeof ADDITION_BUGS) => () => additionModel({ hiddenSize: 16, rnnType, digits: 1, bug })

describe('addition-rnn LSTM: the example as written (hiddenSize 16, digits 1)', () => {
  const healthy = build('LSTM')
  // adam's default 0.001 moves each weight ≤ 0.001 per step: fitting two sums to loss < 0.01 takes more than 500 steps.
  // Bounded by epochs, not the clock: on a loaded machine a 30 s budget stopped it at epoch 315 with the loss still falling.
  test('toOverfitTinyDataset (2 sums, 1500 epochs)', async () => {
    await expect(healthy).toOverfitTinyDataset(tiny, { maxEpochs: 1500, timeoutMs: 300_000 })
  }, 300_000)
  test('toStartNearChanceLoss', async () => {
    await expect(healthy).toStartNearChanceLoss(data)
  })
  test('toReduceLossMonotonically (30 epochs)', async () => {
    await expect(healthy).toReduceLossMonotonically(data, { maxEpochs: 30 })
  })
  test('toDependOnInput', async () => {
    await expect(healthy).toDependOnInput(data, { maxEpochs: 300 })
  })
  test('toHaveHealthyGradients', async () => {
    await expect(healthy).toHaveHealthyGradients(data)
  })
  test('toUpdateAllTrainableWeights', async () => {
    await expect(healthy).toUpdateAllTrainableWeights(data)
  })
  test('toStayFinite', async () => {
    await expect(healthy).toStayFinite(data, { maxEpochs: 30 })
  })
  test('toBeBatchIndependent', async () => {
    await expect(healthy).toBeBatchIndependent(data)
  })
  test('toOutputValidProbabilities', async () => {
    await expect(healthy).toOutputValidProbabilities(data)
  })
  test('diagnose raises no error or warning', async () => {
    // Training data only: 12 sums do not teach addition, so held-out sums would show a real C13 gap.
    expectNoAlarm(await diagnose(healthy, data, { maxEpochs: 300 }))
  })
})

describe.each<RnnType>(['GRU', 'SimpleRNN'])('addition-rnn %s: the example as written', (rnnType) => {
  test('toStartNearChanceLoss and toHaveHealthyGradients', async () => {
    await expect(build(rnnType)).toStartNearChanceLoss(data)
    await expect(build(rnnType)).toHaveHealthyGradients(data)
  })
})

describe('addition-rnn: injected bugs', () => {
  test(`no-softmax → ${ADDITION_BUGS['no-softmax'].expected} (toStartNearChanceLoss)`, async () => {
    expectCaught(await checks.startNearChance(build('LSTM', 'no-softmax'), data), ADDITION_BUGS['no-softmax'])
  })
  test(`integer-labels → ${ADDITION_BUGS['integer-labels'].expected} (toStartNearChanceLoss)`, async () => {
    expectCaught(await checks.startNearChance(build('LSTM'), additionData(1, 12, { bug: 'integer-labels' })), ADDITION_BUGS['integer-labels'])
  })
  test(`lr-too-high → ${ADDITION_BUGS['lr-too-high'].expected} (toReduceLossMonotonically)`, async () => {
    expectCaught(await checks.monotonic(build('LSTM', 'lr-too-high'), data, { maxEpochs: 30 }), ADDITION_BUGS['lr-too-high'])
  })
})
