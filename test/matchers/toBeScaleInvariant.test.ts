import * as tf from '@tensorflow/tfjs'
import { checks, scalers } from 'trainability'
import { describe, expect, test } from 'vitest'
import { iris, irisModel } from '../fixtures/iris.js'
import { num } from '../fixtures/derive.js'
import { mseUnit, unscaledPair } from '../fixtures/models.js'

// one-neuron-classifier-not-training.md, example 3: features ×100, MSE, one linear unit.
const data = unscaledPair()

describe('.toBeScaleInvariant', () => {
  test('fails when the raw model trains on unscaled features, with C1 as the top cause', async () => {
    const result = await checks.scaleInvariance(mseUnit(), data)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C1', title: 'unscaled features', severity: 'error' })
    expect(result.message).toMatch(/^expected model to train, and train the same with its features rescaled \(×0\.001, ×1000, mixed, \+100\), within 5% of the unscaled run$/m)
    expect(result.message).toMatch(/^ {2}✗ ×1000 +final loss /m)
    expect(result.message).toMatch(/1\. C1 unscaled features: with features \S+ the final loss changed by [\d.]+%/)
    expect(result.message).toMatch(/feature \d std 2\d\.\d+/) // the data's own numbers: std ≈ 29 for uniform ×100
    expect(result.message).toMatch(/scalers\.standard\(\)/)
    // The report also flags MSE on 0/1 labels (C3), as the document does.
    expect(result.findings.map((f) => f.id)).toContain('C3')
  })

  test('passes when the same model standardizes with scalers.standard()', async () => {
    await expect({ model: mseUnit(), preprocess: scalers.standard() }).toBeScaleInvariant(data)
  })

  test('passes when the scaler is fitted on each training set, so shifted and rescaled data train alike', async () => {
    const result = await checks.scaleInvariance({ model: mseUnit(), preprocess: scalers.standard() }, data, { tolerance: 0.001 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/ {3}×1000 +final loss/)
  })

  test('passes when factors, mixing and shift are set by options', async () => {
    const result = await checks.scaleInvariance({ model: mseUnit(), preprocess: scalers.minMax() }, data, { factors: [10], mixed: false, shift: 0, maxEpochs: 60 })
    expect(result.message).toMatch(/features rescaled \(×10\)/)
    expect(result.pass).toBe(true)
  })

  test('trains x given as a tensor the same as nested arrays', async () => {
    const x = tf.tensor2d(data.x)
    const y = tf.tensor1d(data.y)
    const fromTensors = await checks.scaleInvariance(mseUnit(), { x, y }, { maxEpochs: 10 })
    const fromArrays = await checks.scaleInvariance(mseUnit(), data, { maxEpochs: 10 })
    expect(fromTensors.record.losses).toEqual(fromArrays.record.losses)
    expect(x.isDisposed || y.isDisposed).toBe(false) // the caller's tensors stay theirs
    tf.dispose([x, y])
  })

  // iris/index.js's model on every fifth row of iris, standardized in the pipeline.
  const flowers = iris(5)
  test('passes when iris with scalers.standard() trains at every scale', async () => {
    await expect({ model: irisModel, preprocess: scalers.standard() }).toBeScaleInvariant(flowers)
  })

  test('fails when iris trains at no scale (lr 1e-5): it agrees with itself everywhere, but does not train', async () => {
    const result = await checks.scaleInvariance({ model: irisModel, preprocess: scalers.standard() }, flowers, { learningRate: 1e-5 })
    expect(result.pass).toBe(false)
    // Every rescaled run ends where the unscaled one does: the old rule alone would have passed it.
    expect(result.message).not.toMatch(/^ {2}✗ (×|mixed|\+)/m)
    // Three balanced classes: the chance loss is ln 3, and a run that trains ends at most 95% of it.
    const chance = Math.log(3)
    expect(result.message).toMatch(
      new RegExp(`^ {2}✗ the unscaled run does not train: final loss 1\\.\\d+, above ${num(0.95 * chance)} \\(95% of the chance loss ${num(chance)}\\); runs that learn nothing agree at any scale`, 'm'),
    )
    expect(result.findings[0]?.id).toBe('C6')
    await expect({ model: irisModel, preprocess: scalers.standard() }).not.toBeScaleInvariant(flowers, { learningRate: 1e-5 })
  })
})

describe('.not.toBeScaleInvariant', () => {
  test('passes when the raw model fails on unscaled features; fails when the scaled pipeline passes, saying it did', async () => {
    await expect(mseUnit()).not.toBeScaleInvariant(data)
    await expect(expect({ model: mseUnit(), preprocess: scalers.standard() }).not.toBeScaleInvariant(data)).rejects.toThrow(
      /expected model not to train, and train the same with its features rescaled .*, but it did/,
    )
  })
})
