// Verdicts on the tfjs-examples polynomial-regression-core custom trainable (models/polynomial.ts): x and y of shape [n].
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { LEARNING_RATE, POLYNOMIAL_BUGS, polynomialData, polynomialTrainable, type PolynomialBug } from './models/polynomial.js'
import { expectCaught, expectNoAlarm } from './verdict.js'

// One generateData call, split: each call min-max normalizes its own ys, so two calls would differ in preprocessing.
const all = polynomialData(60)
const train = { x: all.x.slice(0, 40), y: all.y.slice(0, 40) }
const validation = { x: all.x.slice(40), y: all.y.slice(40) }
const healthy = () => polynomialTrainable()
const opts = { learningRate: LEARNING_RATE }
const buggy = (bug: PolynomialBug) => () => polynomialTrainable(bug)
// toStartNearChanceLoss does not apply: the example starts a, b, c, d at U(0, 1), far from var(y) by design.

describe('polynomial-regression-core: the example as written (SGD 0.5)', () => {
  test('toOverfitTinyDataset (40 points: the cubic has 4 coefficients and noise σ 0.04)', async () => {
    await expect(healthy).toOverfitTinyDataset(train, opts)
  })
  test('toReduceLossMonotonically (lr 0.5 < 2 / λmax = 0.89: every eigen-direction shrinks each step)', async () => {
    await expect(healthy).toReduceLossMonotonically(train, { ...opts, maxEpochs: 75 })
  })
  test('toBeatBaseline', async () => {
    await expect(healthy).toBeatBaseline(train, opts)
  })
  test('toDependOnInput', async () => {
    await expect(healthy).toDependOnInput(train, { ...opts, maxEpochs: 75 })
  })
  test('toHaveHealthyGradients', async () => {
    await expect(healthy).toHaveHealthyGradients(train, opts)
  })
  test('toUpdateAllTrainableWeights', async () => {
    await expect(healthy).toUpdateAllTrainableWeights(train, opts)
  })
  test('toStayFinite', async () => {
    await expect(healthy).toStayFinite(train, { ...opts, maxEpochs: 75 })
  })
  test('toBeBatchIndependent', async () => {
    await expect(healthy).toBeBatchIndependent(train, opts)
  })
  test('toGeneralize (40 train / 20 validation points)', async () => {
    await expect(healthy).toGeneralize({ train, validation }, { ...opts, maxEpochs: 75 })
  })
  test('diagnose raises no error or warning', async () => {
    expectNoAlarm(await diagnose(healthy, { train, validation }, opts))
  })
})

describe('polynomial-regression-core: injected bugs', () => {
  test(`lr-too-high → ${POLYNOMIAL_BUGS['lr-too-high'].expected} (toStayFinite)`, async () => {
    const bug = POLYNOMIAL_BUGS['lr-too-high']
    expectCaught(await checks.stayFinite(healthy, train, { learningRate: bug.learningRate, maxEpochs: 75 }), bug)
  })
  test(`lr-too-low → ${POLYNOMIAL_BUGS['lr-too-low'].expected} (toOverfitTinyDataset)`, async () => {
    const bug = POLYNOMIAL_BUGS['lr-too-low']
    expectCaught(await checks.overfit(healthy, train, { learningRate: bug.learningRate }), bug)
  })
  test(`frozen-offset → ${POLYNOMIAL_BUGS['frozen-offset'].expected} (toOverfitTinyDataset)`, async () => {
    expectCaught(await checks.overfit(buggy('frozen-offset'), train, opts), POLYNOMIAL_BUGS['frozen-offset'])
  })
})
