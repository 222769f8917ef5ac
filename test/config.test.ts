// The compatibility table of output activation, units, loss and label encoding (C3/C4), and a model with nothing to
// train (C15): each is a failing model, with its id first and its fix, never an exception. Model: tfjs-examples
// iris/index.js (commit 05217256): Dense(10, sigmoid) on 4 features → Dense(3, softmax), adam, categoricalCrossentropy;
// data: 15 rows of iris/data.js, five per class.
import * as tf from '@tensorflow/tfjs'
import { checks, diagnose } from 'trainability'
import { describe, expect, test } from 'vitest'
import { num } from './fixtures/derive.js'

const rows = [
  [5.1, 3.5, 1.4, 0.2, 0], [4.9, 3.0, 1.4, 0.2, 0], [4.7, 3.2, 1.3, 0.2, 0], [4.6, 3.1, 1.5, 0.2, 0], [5.0, 3.6, 1.4, 0.2, 0],
  [7.0, 3.2, 4.7, 1.4, 1], [6.4, 3.2, 4.5, 1.5, 1], [6.9, 3.1, 4.9, 1.5, 1], [5.5, 2.3, 4.0, 1.3, 1], [6.5, 2.8, 4.6, 1.5, 1],
  [6.3, 3.3, 6.0, 2.5, 2], [5.8, 2.7, 5.1, 1.9, 2], [7.1, 3.0, 5.9, 2.1, 2], [6.3, 2.9, 5.6, 1.8, 2], [6.5, 3.0, 5.8, 2.2, 2],
]
const x = rows.map((r) => r.slice(0, 4))
const ids = rows.map((r) => r[4]!)
const oneHot = ids.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)))
const iris = { x, y: oneHot }

function irisModel(output: { units?: number; activation?: string } = {}, loss = 'categoricalCrossentropy', frozen = false) {
  return (): tf.LayersModel => {
    const model = tf.sequential()
    model.add(tf.layers.dense({ units: 10, activation: 'sigmoid', inputShape: [4], trainable: !frozen }))
    model.add(tf.layers.dense({ units: output.units ?? 3, activation: (output.activation ?? 'softmax') as never, trainable: !frozen }))
    model.compile({ optimizer: tf.train.adam(0.01), loss, metrics: ['accuracy'] })
    return model
  }
}

describe('healthy iris', () => {
  test('starts near chance ln 3 and diagnose raises nothing above info', async () => {
    await expect(irisModel()).toStartNearChanceLoss(iris)
    const { findings } = await diagnose(irisModel(), iris)
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([])
  })
})

describe('C3: the output does not fit the loss', () => {
  test('sigmoid outputs with categoricalCrossentropy fail toStartNearChanceLoss, though the loss looks like chance', async () => {
    const result = await checks.startNearChance(irisModel({ activation: 'sigmoid' }), iris)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'loss/activation mismatch' })
    // Chance for 3 classes is ln 3, whatever the activation: the message compares the initial loss with it.
    expect(result.message).toMatch(
      new RegExp(`1\\. C3 loss\\/activation mismatch: sigmoid outputs fed to categoricalCrossentropy, which expects 3 probabilities summing to 1: sigmoid units are independent; initial loss [\\d.]+ vs chance ${num(Math.log(3))} \\(use activation 'softmax' on the output layer\\)`),
    )
    const { findings } = await diagnose(irisModel({ activation: 'sigmoid' }), iris, { maxEpochs: 20 })
    expect(findings[0]?.id).toBe('C3')
  })

  test('softmax outputs with binaryCrossentropy fail it too', async () => {
    const result = await checks.startNearChance(irisModel({}, 'binaryCrossentropy'), iris)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/1\. C3 loss\/activation mismatch: softmax couples the 3 outputs so they sum to 1, but binaryCrossentropy scores each one as an independent probability/)
  })

  test('a relu output with binaryCrossentropy is an error that ranks first', async () => {
    const { findings } = await diagnose(irisModel({ units: 1, activation: 'relu' }, 'binaryCrossentropy'), { x, y: ids.map((c) => (c === 0 ? 1 : 0)) }, { maxEpochs: 20 })
    expect(findings[0]).toMatchObject({ id: 'C3', severity: 'error' })
    expect(findings[0]?.evidence).toMatch(/^relu output fed to binaryCrossentropy, which expects probabilities in \(0, 1\): relu outputs 0 or values above 1/)
  })

  test('one sigmoid unit with categoricalCrossentropy (loss identically 0) fails every check without training', async () => {
    const oneUnit = irisModel({ units: 1, activation: 'sigmoid' })
    const binary = { x, y: ids.map((c) => [c === 0 ? 1 : 0]) }
    // Plain tfjs agrees it cannot train: model.fit refuses a target of width 1 for categoricalCrossentropy.
    const model = oneUnit()
    await expect(model.fit(tf.tensor2d(binary.x), tf.tensor2d(binary.y), { epochs: 1, verbose: 0 })).rejects.toThrow(/categorical_crossentropy/)
    model.dispose()
    for (const check of [checks.overfit, checks.startNearChance, checks.dependOnInput, checks.healthyGradients]) {
      const result = await check(oneUnit, binary)
      expect(result.pass).toBe(false)
      expect(result.record).toMatchObject({ epochs: 0, stoppedBy: 'untrainable' })
      expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'categoricalCrossentropy on one output unit' })
    }
    await expect(oneUnit).not.toOverfitTinyDataset(binary)
    const error = String(await expect(oneUnit).toOverfitTinyDataset(binary).catch((e: Error) => e))
    expect(error).toMatch(/expected model to overfit its training samples\n {2}did not train: categoricalCrossentropy on one output unit/)
    expect(error).toMatch(/over one unit the prediction is always 1 and the loss is identically 0 \(for two classes use one sigmoid unit with 'binaryCrossentropy'; for C classes use C softmax units\)/)
  })

  test('softmax over one unit: the fix depends on the task', async () => {
    const regression = await checks.overfit(irisModel({ units: 1 }, 'meanSquaredError'), { x, y: x.map((r) => [r[2]!]) })
    expect(regression.findings[0]).toMatchObject({ id: 'C3', title: 'softmax over one unit', fix: "use activation 'linear' (the default) for a regression output" })
    const binary = await checks.overfit(irisModel({ units: 1 }, 'binaryCrossentropy'), { x, y: ids.map((c) => (c === 0 ? 1 : 0)) })
    expect(binary.findings[0]).toMatchObject({ id: 'C3', title: 'softmax over one unit', fix: "use activation 'sigmoid' for one output unit" })
  })
})

describe('C4: labels encoded for another loss fail the check, they do not throw', () => {
  test('class ids with categoricalCrossentropy', async () => {
    const result = await checks.overfit(irisModel(), { x, y: ids })
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels are class indices, the loss wants one-hot rows' })
    expect(result.message).toMatch(/categoricalCrossentropy scores 3 outputs per sample against one-hot rows, but y holds class indices 0\.\.2 \(one-hot encode the labels \(tf\.oneHot\(labels, 3\)\) or use loss 'sparseCategoricalCrossentropy'\)/)
    await expect(irisModel()).not.toStartNearChanceLoss({ x, y: ids })
  })

  test('class ids from 1 with a sparse loss', async () => {
    const result = await checks.overfit(irisModel({}, 'sparseCategoricalCrossentropy'), { x, y: ids.map((c) => c + 1) })
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'class ids outside 0..2', fix: 'subtract 1 from the labels so that they start at 0' })
    expect(result.message).toMatch(/sparseCategoricalCrossentropy over 3 classes needs ids 0\.\.2, got 1\.\.3: they start at 1/)
    // The same ids from 0 train.
    await expect(irisModel({}, 'sparseCategoricalCrossentropy')).toOverfitTinyDataset({ x, y: ids })
  })

  test('one-hot rows with a sparse loss (tfjs would fail with a reshape error)', async () => {
    const oneHot = ids.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)))
    const result = await checks.overfit(irisModel({}, 'sparseCategoricalCrossentropy'), { x, y: oneHot })
    expect(result.pass).toBe(false)
    expect(result.record.stoppedBy).toBe('untrainable')
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels are one-hot rows, the loss wants class ids' })
    expect(result.message).toContain("use loss 'categoricalCrossentropy' with these rows, or pass class ids (y.argMax(-1))")
    // The same rows train with the one-hot loss.
    await expect(irisModel()).toOverfitTinyDataset({ x, y: oneHot })
  })

  test('labels -1/1 with binaryCrossentropy, which would let the loss fall below 0', async () => {
    const signs = { x, y: ids.map((c) => (c === 0 ? 1 : -1)) }
    const result = await checks.overfit(irisModel({ units: 1, activation: 'sigmoid' }, 'binaryCrossentropy'), signs)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels are -1/1, the loss wants 0/1', fix: 'map them to 0/1: y.add(1).div(2)' })
  })

  test('one-hot rows summing to 2', async () => {
    const twoLabels = oneHot.map((r, i) => (i === 3 ? [1, 1, 0] : r))
    const result = await checks.startNearChance(irisModel(), { x, y: twoLabels })
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels are not one-hot rows' })
    expect(result.message).toMatch(/categoricalCrossentropy needs each row to sum to 1, row 3 sums to 2/)
  })

  test('a fractional class id is bad input: a RangeError naming the values', async () => {
    await expect(checks.overfit(irisModel({}, 'sparseCategoricalCrossentropy'), { x, y: ids.map((c) => c + 0.5) })).rejects.toThrow(
      new RangeError('dataset.y holds 0.5..2.5 with fractions, which are not class ids for 3 classes; pass whole numbers 0..2'),
    )
  })
})

describe('C15: nothing to train', () => {
  test('a fully frozen model fails with C15 and the fix', async () => {
    const frozen = irisModel({}, 'categoricalCrossentropy', true)
    const result = await checks.updateAllTrainableWeights(frozen, iris)
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C15', title: 'nothing to train', fix: 'set layer.trainable = true on the layers to train (freeze only the pretrained ones)' })
    expect(result.message).toMatch(/every layer is frozen: 4 weights, none trainable/)
    await expect(frozen).not.toOverfitTinyDataset(iris)
    const { findings, record } = await diagnose(frozen, iris)
    expect(findings[0]?.id).toBe('C15')
    expect(record.stoppedBy).toBe('untrainable')
  })
})

describe('every built-in loss of tfjs-layers has a chance value', () => {
  // The names model.compile accepts (tfjs-layers lossesMap); each gets the output and labels it is meant for.
  const cases: { loss: string; units: number; activation: string; y: number[][] }[] = [
    ...['meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError', 'logcosh', 'poisson', 'cosineProximity'].map((loss) => ({
      loss, units: 1, activation: loss === 'poisson' ? 'softplus' : 'linear', y: x.map((r) => [r[2]!]),
    })),
    { loss: 'squaredHinge', units: 1, activation: 'linear', y: ids.map((c) => [c === 0 ? 1 : -1]) },
    { loss: 'hinge', units: 1, activation: 'linear', y: ids.map((c) => [c === 0 ? 1 : -1]) },
    { loss: 'categoricalHinge', units: 3, activation: 'linear', y: oneHot },
    { loss: 'binaryCrossentropy', units: 1, activation: 'sigmoid', y: ids.map((c) => [c === 0 ? 1 : 0]) },
    { loss: 'categoricalCrossentropy', units: 3, activation: 'softmax', y: oneHot },
    { loss: 'sparseCategoricalCrossentropy', units: 3, activation: 'softmax', y: ids.map((c) => [c]) },
    { loss: 'kullbackLeiblerDivergence', units: 3, activation: 'softmax', y: oneHot },
  ]
  test.each(cases)('$loss', async ({ loss, units, activation, y }) => {
    const result = await checks.startNearChance(irisModel({ units, activation }, loss), { x, y })
    expect(result.message).toMatch(new RegExp(`start near its chance loss [\\d.e-]+ \\(within 50%\\) with an output that fits ${loss}`))
  })
})
