import * as tf from '@tensorflow/tfjs'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { crossSampleDependence, sensitivity } from '../../src/probes/sensitivity.js'
import type { Trainee } from '../../src/subject.js'
import { additionRnn, additions, BatchCenter, digits, irisCutOff, mnistDense, mnistDenseTimesZero, reviews, sentimentFlatten, sentimentZeroEmbedding } from '../fixtures/examples.js'
import { iris, irisModel } from '../fixtures/iris.js'
import { corpusCase, corpusNotCase, type CorpusCase } from '../fixtures/corpus-cases.js'

const irisRows = iris(5) // every fifth row: 30 samples, 10 per class
const gradient = (message: string): number => Number(/mean ‖∂output\/∂(?:input|embedding)‖₁ (\S+) per output unit/.exec(message)?.[1])

const corpus: CorpusCase = {
  matcher: 'toDependOnInput', check: checks.dependOnInput as CorpusCase['check'], id: 'C8',
  rule: /^expected model to depend on its input: varied predictions \(spread ≥ 1e-4\) and a non-zero input gradient per output unit$/m,
  numbers: /after 100 epochs: output spread 0, mean ‖∂output\/∂input‖₁ 0 per output unit, 1 distinct predicted class/,
  cause: /1\. C8 the input does not reach the output: one class predicted for all 32 samples/,
}

describe('.toDependOnInput', () => {
  corpusCase(corpus)

  // The outputs of a softmax sum to 1, so the gradient of their sum is 0 whatever the model; the probe takes each
  // output unit on its own. The floor is 1e-6: a healthy classifier must read far above it, a cut-off one exactly 0.
  test('passes when iris (Dense(10, sigmoid) → Dense(3, softmax)) reads its input: a gradient far from 0', async () => {
    await expect(irisModel).toDependOnInput(irisRows)
    const result = await checks.dependOnInput(irisModel, irisRows)
    expect(result.pass).toBe(true)
    expect(gradient(result.message)).toBeGreaterThan(1e-3)
    expect(result.message).toMatch(/3 distinct predicted classes/)
  })

  test('fails when iris has a zero, frozen first kernel, with C8 and an input gradient of exactly 0', async () => {
    const result = await checks.dependOnInput(irisCutOff, irisRows)
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C8')
    expect(result.message).toMatch(/mean ‖∂output\/∂input‖₁ 0 per output unit, 1 distinct predicted class/)
    expect(result.message).toMatch(/1\. C8 the input does not reach the output: one class predicted for all 30 samples/)
  })

  test('passes when mnist dense (flatten 28×28×1 → Dense(42, relu) → Dense(10, softmax)) reads its input; fails when its input is ×0, with C8', async () => {
    const data = digits(1)
    await expect(mnistDense).toDependOnInput(data)
    const healthy = await checks.dependOnInput(mnistDense, data)
    expect(gradient(healthy.message)).toBeGreaterThan(1e-3)
    const broken = await checks.dependOnInput(mnistDenseTimesZero, data)
    expect(broken.pass).toBe(false)
    expect(broken.findings[0]?.id).toBe('C8')
    expect(broken.message).toMatch(/mean ‖∂output\/∂input‖₁ 0 per output unit, 1 distinct predicted class/)
    await expect(mnistDenseTimesZero).not.toDependOnInput(data)
  })

  test('passes when sentiment (Embedding → flatten → Dense(1, sigmoid)) reads its tokens, measured at the embedding; fails with a zero embedding, with C8', async () => {
    const data = reviews()
    const healthy = await checks.dependOnInput(sentimentFlatten, data)
    expect(healthy.pass).toBe(true)
    expect(gradient(healthy.message)).toBeGreaterThan(1e-3)
    expect(healthy.message).toMatch(/mean ‖∂output\/∂embedding‖₁ \S+ per output unit, 2 distinct predicted classes/)
    const broken = await checks.dependOnInput(sentimentZeroEmbedding, data)
    expect(broken.pass).toBe(false)
    expect(broken.findings[0]?.id).toBe('C8')
    expect(broken.message).toMatch(/1\. C8 predicts the same class for every input: one class predicted for all 16 samples \(output spread 0\)/)
  })
})

/** A layers model as the probes see it: inference-mode forward pass and the model to look inside. */
const traineeOf = (model: tf.LayersModel): Trainee => ({ model, predict: (x: tf.Tensor) => model.apply(x, { training: false }) as tf.Tensor }) as unknown as Trainee

describe('the sensitivity probes on any output rank and input dtype', () => {
  test('addition-rnn (outputs [samples, 2, 12], softmax per position): dependence measured, no leak; a batch mean leaks', () => {
    const { x } = additions()
    const healthy = additionRnn()
    const mixed = tf.sequential({ layers: [...healthy.layers.slice(0, 2), new BatchCenter({}), ...healthy.layers.slice(2)] })
    const xs = tf.tensor3d(x)
    const before = tf.memory().numTensors
    const s = sensitivity(traineeOf(healthy), xs, 0.5)
    const c = crossSampleDependence(traineeOf(healthy), xs)
    const m = crossSampleDependence(traineeOf(mixed), xs)
    expect(tf.memory().numTensors).toBe(before)
    expect(s.gradientOf).toBe('input')
    expect(s.inputGradient).toBeGreaterThan(1e-3)
    expect(c.leak).toBe(0)
    expect(c.own).toBeGreaterThan(1e-3)
    expect(m.leak).toBeGreaterThan(1e-6 * m.own)
    xs.dispose()
    healthy.dispose()
  })

  test('integer token ids: the gradient is taken at the embedding output, without crashing', () => {
    const model = sentimentFlatten()
    const ids = tf.tensor2d(reviews(4).x, undefined, 'int32')
    const s = sensitivity(traineeOf(model), ids, 0.5)
    expect(s.gradientOf).toBe('embedding')
    expect(s.inputGradient).toBeGreaterThan(0)
    expect(crossSampleDependence(traineeOf(model), ids).leak).toBe(0)
    ids.dispose()
    model.dispose()
  })

  test('integer inputs to a model without an Embedding: no gradient taken (NaN, not a false 0)', () => {
    const table = tf.variable(tf.randomNormal([20, 1]))
    const trainee = { predict: (x: tf.Tensor) => tf.sum(tf.gather(table, x as tf.Tensor2D), 1) } as unknown as Trainee
    const ids = tf.tensor2d(reviews(4).x, undefined, 'int32')
    const s = sensitivity(trainee, ids, 0)
    expect(s.gradientOf).toBe('none')
    expect(s.inputGradient).toBeNaN()
    expect(s.spread).toBeGreaterThan(0)
    expect(crossSampleDependence(trainee, ids)).toEqual({ leak: 0, own: 0 })
    tf.dispose([ids, table])
  })
})

describe('.not.toDependOnInput', () => {
  corpusNotCase(corpus)
})
