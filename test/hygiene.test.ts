import * as tf from '@tensorflow/tfjs'
import { backendsAvailable, checks, scalers, withSeed, type CheckResult } from 'trainability'
import { describe, expect, test } from 'vitest'
import { DESCRIPTORS } from '../src/checks/registry.js'
import { handWrittenLogistic, handWrittenSoftmax, linearRegression, logisticUnit, mseUnit, softmaxClassifier, twoPoints, twoPointsColumn, unscaledPair, unseededTrainable } from './fixtures/models.js'

type Case = [name: string, run: (subject: unknown) => Promise<unknown>]

// Every matcher, once passing and once failing, on a model instance the caller keeps using.
const cases: Case[] = [
  ['overfit, passing', (m) => expect(m).toOverfitTinyDataset(twoPoints)],
  ['overfit, failing', (m) => expect(m).not.toOverfitTinyDataset(twoPoints, { learningRate: 1e-5, maxEpochs: 50 })],
  ['monotonic, passing', (m) => expect(m).toReduceLossMonotonically(twoPoints, { maxEpochs: 20 })],
  ['monotonic, failing', (m) => expect(m).not.toReduceLossMonotonically(twoPoints, { learningRate: 1e-12, maxEpochs: 20 })],
  ['scale, passing', (m) => expect({ model: m as tf.LayersModel, preprocess: scalers.standard() }).toBeScaleInvariant(twoPoints, { maxEpochs: 20 })],
  ['scale, failing', (m) => expect(m).not.toBeScaleInvariant({ x: [[-100], [100], [-50], [50]], y: [1, 0, 1, 0] }, { maxEpochs: 20 })],
  ['determinism, passing', (m) => expect(m).toTrainDeterministically(twoPoints, { maxEpochs: 20 })],
  ['chance loss', (m) => expect(m).toStartNearChanceLoss(twoPoints, { tolerance: 10 })],
  ['weight updates', (m) => expect(m).toUpdateAllTrainableWeights(twoPoints)],
  ['finite, failing', (m) => expect(m).not.toStayFinite({ x: [[-1e20], [1e20]], y: [1, 1] }, { learningRate: 1e30, maxEpochs: 5 })],
  ['healthy gradients', (m) => expect(m).toHaveHealthyGradients(twoPoints)],
  ['dead units', (m) => expect(m).toHaveNoDeadUnits(twoPoints, { maxEpochs: 5 })],
  ['input dependence', (m) => expect(m).toDependOnInput(twoPoints, { maxEpochs: 20 })],
  ['batch independence', (m) => expect(m).toBeBatchIndependent(twoPoints)],
  ['seeds, passing', (m) => expect(m).toTrainAcrossSeeds(twoPoints, { seeds: [1, 2] })],
  ['reduced precision, passing', (m) => expect(m).toSurviveReducedPrecision(twoPoints, { bits: 16 })],
  ['reduced precision, failing', (m) => expect(m).not.toSurviveReducedPrecision(twoPoints, { learningRate: 0.1, maxEpochs: 300 })],
  ['baseline, passing', (m) => expect(m).toBeatBaseline({ x: [[-1], [1], [-2]], y: [1, 0, 1] })],
  ['baseline, failing', (m) => expect(m).not.toBeatBaseline({ x: [[0], [0], [0]], y: [1, 0, 1] }, { maxEpochs: 20 })],
  ['baseline, regression', (m) => expect(m).toBeatBaseline({ x: [[-1], [1], [-2]], y: [0.2, 0.5, 0.1] }, { loss: 'meanSquaredError', learningRate: 0.1 })],
  ['learning rates, passing', (m) => expect(m).toTolerateLearningRates(twoPoints, { maxEpochs: 20 })],
  ['learning rates, failing', (m) => expect(m).not.toTolerateLearningRates(twoPoints, { rates: [1e-6, 1], maxEpochs: 20 })],
  ['generalize, passing', (m) => expect(m).toGeneralize({ train: twoPoints, validation: { x: [[-2], [2]], y: [1, 0] } }, { maxGap: 1, maxEpochs: 20 })],
  ['generalize, failing', (m) => expect(m).not.toGeneralize({ train: twoPoints, validation: { x: [[-1], [1]], y: [0, 1] } }, { maxEpochs: 20 })],
  ['probabilities, failing', (m) => expect(m).not.toOutputValidProbabilities(twoPoints, { maxEpochs: 5 })],
  ['seeds, failing', (m) => expect(m).not.toTrainAcrossSeeds(twoPoints, { seeds: [1, 2], learningRate: 1e-5, maxEpochs: 20 })],
]

// First in the file: under TRAINABILITY_BACKEND=cpu nothing has loaded tfjs-node yet, whose import makes itself the global backend.
describe("the caller's backend", () => {
  test('loading native TensorFlow, and a run on another backend, leave the global backend the caller chose', async () => {
    await tf.setBackend('cpu')
    const available = await backendsAvailable()
    expect(tf.getBackend()).toBe('cpu')
    for (const backend of available) {
      const result = await checks.overfit(logisticUnit(1), twoPoints, { backend, maxEpochs: 2 })
      expect(result.record.backend).toBe(backend)
      expect(tf.getBackend()).toBe('cpu')
    }
  })
})

describe("the caller's model and tfjs memory", () => {
  test.each(cases)('%s: weights unchanged, no tensor leaked', async (_, run) => {
    const model = await withSeed(1, () => logisticUnit(1)()) // the same weights every run: outcomes must not vary
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()))
    const optimizer = model.optimizer
    const before = tf.memory().numTensors
    await run(model)
    expect(tf.memory().numTensors).toBe(before)
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toStrictEqual(weights)
    expect(model.optimizer).toBe(optimizer)
    model.dispose()
  })

  test.each([
    ['factory, passing', () => checks.overfit(softmaxClassifier)],
    ['factory, failing', () => checks.overfit(mseUnit(1e-6), unscaledPair(8), { maxEpochs: 10 })],
    ['custom trainable', () => checks.overfit(handWrittenLogistic, twoPointsColumn, { learningRate: 0.5, maxEpochs: 50 })],
    ['custom trainable, nondeterministic', () => checks.determinism(unseededTrainable, { x: [[1]], y: [[1]] }, { learningRate: 0.1, maxEpochs: 5 })],
    ['probabilities, passing', () => checks.probabilities(softmaxClassifier)],
    ['probabilities, custom trainable', () => checks.probabilities(handWrittenSoftmax({ stable: false }), { learningRate: 0.5, maxEpochs: 5 })],
    ['mini-batches', () => checks.monotonic(mseUnit(), linearRegression(), { batchSize: 8, maxEpochs: 5 })],
    ['robust scaler', () => checks.scaleInvariance({ model: mseUnit(), preprocess: scalers.robust() }, unscaledPair(16), { maxEpochs: 5 })],
  ])('%s: no tensor leaked', async (_, run) => {
    const before = tf.memory().numTensors
    await run()
    expect(tf.memory().numTensors).toBe(before)
  })

  // Rejected input: the call must reject, with the error that names the argument, and still leave no tensor behind.
  test.each([
    ['bad input', () => checks.overfit(softmaxClassifier, { x: [[1, 2]], y: [[0, 1, 0]] }), /^dataset\.x has samples of shape \[2\] but the model expects \[4\]/],
    ['NaN in data', () => checks.overfit(softmaxClassifier, { x: [[1, 2, 3, Number.NaN]], y: [[0, 1, 0]] }), /^dataset\.x contains NaN in sample 0; remove or impute non-finite values before training$/],
  ] as const)('%s: rejected with a RangeError naming the argument, no tensor leaked', async (_, run, message) => {
    const before = tf.memory().numTensors
    const error: unknown = await run().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RangeError)
    expect((error as RangeError).message).toMatch(message)
    expect(tf.memory().numTensors).toBe(before)
  })
})

// Generated from the registry, so a check added later is covered without editing this file.
describe("every registered check, on the caller's model", () => {
  const data = { optional: twoPoints, required: twoPoints, pair: { train: twoPoints, validation: { x: [[-2], [2]], y: [1, 0] } } }
  test.each(DESCRIPTORS.map((d) => [d.matcher, d] as const))('%s: weights unchanged, no tensor leaked', async (_, d) => {
    const model = await withSeed(1, () => logisticUnit(1)())
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()))
    const before = tf.memory().numTensors
    // Two backends this machine surely has: the comparison, not backend availability, is under test here.
    const options = d.matcher === 'toTrainConsistentlyAcrossBackends' ? { backends: ['cpu', 'cpu'], maxEpochs: 3 } : { maxEpochs: 3 }
    const check = d.check as (subject: unknown, data: unknown, options: unknown) => Promise<CheckResult>
    const result = await check(model, data[d.dataset], options)
    expect(result.message).toMatch(/^expected model (not )?to /)
    expect(tf.memory().numTensors).toBe(before)
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toStrictEqual(weights)
    model.dispose()
  })
})
