// Verdicts on the tfjs-examples MNIST models (models/mnist.ts) on synthesized 28×28×1 digits with zero borders.
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { MNIST_BUGS, MNIST_CORE_BUGS, mnistConv, mnistCore, mnistData, mnistDense } from './models/mnist.js'
import { expectCaught, expectNoAlarm, onCpu } from './verdict.js'

const train = mnistData({ perClass: 1 })

describe('mnist dense: the example as written (rmsprop 0.001)', () => {
  const healthy = () => mnistDense()
  test('toOverfitTinyDataset (one digit per class)', async () => {
    await expect(healthy).toOverfitTinyDataset(train)
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
  test('toHaveNoDeadUnits', async () => {
    await expect(healthy).toHaveNoDeadUnits(train)
  })
  test('toBeBatchIndependent', async () => {
    await expect(healthy).toBeBatchIndependent(train)
  })
  test('toBeatBaseline', async () => {
    await expect(healthy).toBeatBaseline(train)
  })
  test('toOutputValidProbabilities', async () => {
    await expect(healthy).toOutputValidProbabilities(train)
  })
  test('diagnose raises no error or warning', async () => {
    // Training data only: 10 digits cannot generalize to new ones, so a validation set would show a real C13 gap.
    expectNoAlarm(await diagnose(healthy, train, { maxEpochs: 100 }))
  })
})

describe('mnist dense: injected bugs', () => {
  test(`pixels-255 → ${MNIST_BUGS['pixels-255'].expected} (toOverfitTinyDataset)`, async () => {
    expectCaught(await checks.overfit(() => mnistDense(), mnistData({ perClass: 1, bug: 'pixels-255' }), { maxEpochs: 100 }), MNIST_BUGS['pixels-255'])
  })
  test(`integer-labels → ${MNIST_BUGS['integer-labels'].expected} (toStartNearChanceLoss)`, async () => {
    expectCaught(await checks.startNearChance(() => mnistDense(), mnistData({ perClass: 1, bug: 'integer-labels' })), MNIST_BUGS['integer-labels'])
  })
  test(`lr-too-high → ${MNIST_BUGS['lr-too-high'].expected} (toReduceLossMonotonically)`, async () => {
    expectCaught(await checks.monotonic(() => mnistDense('lr-too-high'), train, { maxEpochs: 30 }), MNIST_BUGS['lr-too-high'])
  })
  test(`zeros-init → ${MNIST_BUGS['zeros-init'].expected} (toOverfitTinyDataset)`, async () => {
    expectCaught(await checks.overfit(() => mnistDense('zeros-init'), train, { maxEpochs: 100 }), MNIST_BUGS['zeros-init'])
  })
})

// Conv layers are ~50× slower on the CPU backend: two digits, and epoch budgets that fit a CPU run.
const pair = mnistData({ perClass: 1, classes: [0, 1] })
describe('mnist conv: the example as written (rmsprop 0.001, 2 digits)', () => {
  const healthy = () => mnistConv()
  test('toOverfitTinyDataset (two digits)', async () => {
    await expect(healthy).toOverfitTinyDataset(pair, { maxEpochs: onCpu ? 60 : 500 })
  })
  test('toStartNearChanceLoss', async () => {
    await expect(healthy).toStartNearChanceLoss(pair)
  })
  test('toHaveHealthyGradients', async () => {
    await expect(healthy).toHaveHealthyGradients(pair)
  })
  test('toUpdateAllTrainableWeights', async () => {
    await expect(healthy).toUpdateAllTrainableWeights(pair)
  })
  test('toBeBatchIndependent', async () => {
    await expect(healthy).toBeBatchIndependent(pair)
  })
})

describe('mnist conv: injected bugs', () => {
  test(`integer-labels → ${MNIST_BUGS['integer-labels'].expected} (toStartNearChanceLoss)`, async () => {
    expectCaught(await checks.startNearChance(() => mnistConv(), mnistData({ perClass: 1, classes: [0, 1], bug: 'integer-labels' })), MNIST_BUGS['integer-labels'])
  })
  test(`lr-too-high → ${MNIST_BUGS['lr-too-high'].expected} (toReduceLossMonotonically)`, async () => {
    expectCaught(await checks.monotonic(() => mnistConv('lr-too-high'), pair, { maxEpochs: onCpu ? 6 : 30 }), MNIST_BUGS['lr-too-high'])
  })
})

describe('mnist-core: the example as written (custom conv net, SGD 0.1)', () => {
  const healthy = () => mnistCore()
  test('toStartNearChanceLoss', async () => {
    // A custom loss has no name the engine knows: its chance is ln 10 (softmax cross-entropy over 10 classes).
    await expect(healthy).toStartNearChanceLoss(pair, { learningRate: 0.1, chance: Math.log(10) })
  })
  test('toHaveHealthyGradients and toUpdateAllTrainableWeights', async () => {
    await expect(healthy).toHaveHealthyGradients(pair, { learningRate: 0.1 })
    await expect(healthy).toUpdateAllTrainableWeights(pair, { learningRate: 0.1 })
  })
})

describe('mnist-core: injected bugs', () => {
  test(`softmax-before-loss → ${MNIST_CORE_BUGS['softmax-before-loss'].expected} (toOverfitTinyDataset)`, async () => {
    const bug = MNIST_CORE_BUGS['softmax-before-loss']
    expectCaught(await checks.overfit(() => mnistCore('softmax-before-loss'), pair, { learningRate: bug.learningRate, maxEpochs: onCpu ? 15 : 100 }), bug)
  })
  test(`lr-too-high → ${MNIST_CORE_BUGS['lr-too-high'].expected} (toReduceLossMonotonically)`, async () => {
    const bug = MNIST_CORE_BUGS['lr-too-high']
    expectCaught(await checks.monotonic(() => mnistCore(), pair, { learningRate: bug.learningRate, maxEpochs: 10 }), bug)
  })
})
