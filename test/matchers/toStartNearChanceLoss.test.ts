import * as tf from '@tensorflow/tfjs'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { corpusCase, corpusNotCase, type CorpusCase } from '../fixtures/corpus-cases.js'
import { brokenFor, healthy, healthyMlp, type Specimen } from '../fixtures/corpus.js'
import { moments, num, sig4 } from '../fixtures/derive.js'

const data = (s: Specimen) => s.data as { x: number[][]; y: number[] }
const custom = healthy.find((s) => s.name.startsWith('custom'))!

// Balanced binary labels: the chance loss is ln 2.
const corpus: CorpusCase = {
  matcher: 'toStartNearChanceLoss', check: checks.startNearChance as CorpusCase['check'], id: 'C3',
  rule: new RegExp(`^expected model to start near its chance loss ${num(Math.LN2)} \\(within 50%\\) with an output that fits sigmoidCrossEntropy$`, 'm'),
  numbers: /initial loss \d\.\d+ \([\d.]+% from chance\)/,
  cause: /1\. C3 loss\/activation mismatch: sigmoid output fed to sigmoidCrossEntropy, which expects logits/,
}

describe('.toStartNearChanceLoss', () => {
  corpusCase(corpus)

  test('fails when labels are encoded for another loss, with C4 first and no training', async () => {
    const c4 = brokenFor('C4')
    const result = await checks.startNearChance(c4.subject, data(c4))
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C4')
    expect(result.record.stoppedBy).toBe('untrainable')
    expect(result.message).toMatch(/^ {2}did not train: labels are class ids, the loss wants 0\/1 {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/1\. C4 labels are class ids, the loss wants 0\/1: binaryCrossentropy needs labels in \[0, 1\], got class ids 0\.\.2 \(for 3 classes use 3 softmax output units with loss 'sparseCategoricalCrossentropy'\)/)
  })

  test('passes when every built-in loss starts at its chance value: hinge scores 1 at an output of 0, MAE the median’s error', async () => {
    // hinge on ±1 labels: an output of 0, favouring no class, scores max(0, 1 − y·0) = 1.
    const hinge = () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
      m.compile({ loss: 'hinge', optimizer: 'sgd' })
      return m
    }
    const signs = { x: data(healthyMlp).x, y: data(healthyMlp).y.map((v) => (v === 1 ? 1 : -1)) }
    const result = await checks.startNearChance(hinge, signs, { tolerance: 1 })
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/start near its chance loss 1 \(within 100%\)/)
    // MAE: the best constant is the median; its error is the mean absolute deviation from the median.
    const mae = () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] })
      m.compile({ loss: 'meanAbsoluteError', optimizer: 'sgd' })
      return m
    }
    const y = [1, 2, 3, 4, 5]
    const targets = { x: y.map((v) => [v]), y }
    const median = 3
    const madFromMedian = y.reduce((s, v) => s + Math.abs(v - median), 0) / y.length
    const centered = await checks.startNearChance(mae, { x: targets.x, y: targets.y.map((v) => v - median) })
    expect(centered.message).toMatch(new RegExp(`start near its chance loss ${num(madFromMedian)} \\(within 50%\\)`))
    expect(centered.pass).toBe(true) // zero kernel: output 0 = the median of the centered targets
    // Uncentered: the untrained output (0) is mean(y) away from targets of std(y): C1 says to move the bias or scale y.
    const offset = await checks.startNearChance(mae, targets)
    expect(offset.pass).toBe(false)
    expect(offset.findings[0]).toMatchObject({ id: 'C1', title: 'targets far from the untrained output' })
    const { mean, std } = moments(y)
    expect(mean - 0).toBeGreaterThan(std) // more than one std away: the rule's threshold
    expect(offset.message).toContain(
      `targets average ${sig4(mean)} (std ${sig4(std)}) while the untrained output averages 0 (start the output bias at mean(y) (biasInitializer: tf.initializers.constant({ value: ${mean} })), or standardize the targets)`,
    )
  })

  test('throws when a custom trainable whose loss has no known chance value gets no { chance }', async () => {
    await expect(checks.startNearChance(custom.subject, data(custom), custom.options)).rejects.toThrow(/pass \{ chance: <expected initial loss> \}/)
  })
  test('labels that do not fit the loss fail with C4 (sparse id 5 of 3 classes, one-hot rows summing to 2); impossible ids are a RangeError', async () => {
    const softmax = (loss: string) => (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [1], activation: 'softmax' })] })
      model.compile({ loss, optimizer: 'adam' })
      return model
    }
    const x = [[0], [1], [2]]
    const sparse = await checks.startNearChance(softmax('sparseCategoricalCrossentropy'), { x, y: [0, 5, 1] })
    expect(sparse.pass).toBe(false)
    expect(sparse.findings[0]).toMatchObject({ id: 'C4', title: 'class ids outside 0..2' })
    const oneHot = await checks.startNearChance(softmax('categoricalCrossentropy'), { x, y: [[1, 1, 0], [0, 1, 0], [0, 0, 1]] })
    expect(oneHot.pass).toBe(false)
    expect(oneHot.findings[0]).toMatchObject({ id: 'C4', title: 'labels are not one-hot rows' })
    await expect(checks.startNearChance(softmax('sparseCategoricalCrossentropy'), { x, y: [0, -1, 1] })).rejects.toThrow(
      new RangeError('dataset.y holds -1..1, which are not class ids for 3 classes; pass whole numbers 0..2'),
    )
    await expect(checks.startNearChance(softmax('sparseCategoricalCrossentropy'), { x, y: [0, 1.5, 1] })).rejects.toThrow(/^dataset\.y holds 0\.\.1\.5 with fractions, which are not class ids for 3 classes/)
  })
})

describe('.not.toStartNearChanceLoss', () => {
  corpusNotCase(corpus)
})
