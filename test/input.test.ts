import * as tf from '@tensorflow/tfjs'
import { checks } from 'trainability'
import { describe, expect, test } from 'vitest'
import { handWrittenLogistic, logisticUnit, softmaxClassifier, twoPoints } from './fixtures/models.js'

describe('bad input is a TypeError or RangeError that names the argument and the fix', () => {
  test('a subject that is not a model', async () => {
    await expect(expect(42).toOverfitTinyDataset()).rejects.toThrow(
      new TypeError(
        'expected a model to test, received number 42; pass a tf.LayersModel, a factory () => model, { model, preprocess?, compile? }, or a custom trainable factory () => ({ variables, predict, loss })',
      ),
    )
    await expect(checks.overfit({ layers: 3 } as never)).rejects.toThrow(/received an object with keys \{layers\}/)
    await expect(checks.overfit((() => 'nope') as never)).rejects.toThrow(new TypeError('the factory returned string "nope"; it must return a tf.LayersModel or { variables, predict, loss }'))
  })

  test('a custom trainable passed as an object instead of a factory', async () => {
    const made = handWrittenLogistic()
    await expect(checks.overfit(made as never, twoPoints, { learningRate: 0.1 })).rejects.toThrow(/pass a factory \(\) => \(\{ variables, predict, loss \}\)/)
    tf.dispose(made.variables)
  })

  test('a dataset whose features do not fit the model', async () => {
    await expect(checks.overfit(logisticUnit(1), { x: [[1, 2, 3], [4, 5, 6]], y: [1, 0] })).rejects.toThrow(
      new RangeError("dataset.x has samples of shape [3] but the model expects [1] (shape [2, 3] vs [samples, 1]); reshape x or fix the model's inputShape"),
    )
  })

  test('targets whose shape no encoding fits the output', async () => {
    await expect(checks.overfit(softmaxClassifier, { x: [[1, 2, 3, 4]], y: [[0, 1]] })).rejects.toThrow(
      new RangeError('dataset.y has targets of shape [2] but the model outputs [3] per sample; give y the shape [samples, 3] (or one class index per sample with a sparse loss)'),
    )
    // One number per sample that is no class index (a fraction) fits neither one-hot rows nor a sparse loss.
    await expect(checks.overfit(softmaxClassifier, { x: [[1, 2, 3, 4]], y: [0.5] })).rejects.toThrow(
      new RangeError('dataset.y holds 0.5..0.5 with fractions, which are not class ids for 3 classes; pass whole numbers 0..2 or one-hot rows of 3'),
    )
  })

  test('class indices where the loss wants one-hot rows are C4, a failing model, not bad input', async () => {
    const result = await checks.overfit(softmaxClassifier, { x: [[1, 2, 3, 4], [4, 3, 2, 1]], y: [2, 0] })
    expect(result.pass).toBe(false)
    expect(result.record).toMatchObject({ epochs: 0, stoppedBy: 'untrainable' })
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels are class indices, the loss wants one-hot rows' })
    expect(result.message).toMatch(/1\. C4 labels are class indices, the loss wants one-hot rows: categoricalCrossentropy scores 3 outputs per sample against one-hot rows, but y holds class indices 0\.\.2 \(one-hot encode the labels \(tf\.oneHot\(labels, 3\)\) or use loss 'sparseCategoricalCrossentropy'\)/)
    await expect(softmaxClassifier).not.toOverfitTinyDataset({ x: [[1, 2, 3, 4], [4, 3, 2, 1]], y: [2, 0] })
  })

  test('empty data', async () => {
    await expect(checks.overfit(logisticUnit(1), { x: [], y: [] })).rejects.toThrow(new RangeError('dataset.x is empty; pass { x, y } with x of shape [samples, ...features] and y of shape [samples, ...outputs]'))
  })

  test('NaN or Infinity in x or y', async () => {
    await expect(checks.overfit(logisticUnit(1), { x: [[-1], [Number.NaN]], y: [1, 0] })).rejects.toThrow(
      new RangeError('dataset.x contains NaN in sample 1; remove or impute non-finite values before training'),
    )
    await expect(checks.overfit(logisticUnit(1), { x: tf.tensor2d([[1], [2]]), y: tf.tensor1d([Infinity, 0]) })).rejects.toThrow(/dataset\.y contains Infinity in sample 0/)
  })

  test('y of the wrong length', async () => {
    await expect(checks.overfit(logisticUnit(1), { x: [[-1], [1]], y: [1] })).rejects.toThrow(new RangeError('dataset.y has 1 samples but dataset.x has 2; give one target per sample'))
  })

  test('ragged arrays and non-numbers', async () => {
    await expect(checks.overfit(logisticUnit(1), { x: [[1], [2, 3]], y: [1, 0] })).rejects.toThrow(/dataset\.x\[1\] has length 2 where length 1 was expected/)
    await expect(checks.overfit(logisticUnit(1), { x: [['a'], [1]], y: [1, 0] } as never)).rejects.toThrow(/dataset\.x\[0\]\[0\] is string "a"; every entry must be a number/)
    await expect(checks.overfit(logisticUnit(1), { y: [1] } as never)).rejects.toThrow(/dataset must be \{ x, y \}/)
  })

  test('an uncompiled model without a loss', async () => {
    const raw = (): tf.LayersModel => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
    await expect(checks.overfit(raw, twoPoints)).rejects.toThrow(
      new TypeError(
        "the model is not compiled and no loss was given: compile it, e.g. model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' }), or pass { loss, optimizer, learningRate } to the matcher",
      ),
    )
  })

  test('a custom trainable without an optimizer or learning rate', async () => {
    await expect(checks.overfit(handWrittenLogistic, twoPoints)).rejects.toThrow(/a custom trainable has no optimizer of its own: pass \{ learningRate \}/)
  })

  test('unknown options', async () => {
    await expect(checks.overfit(logisticUnit(1), twoPoints, { optimizer: 'adamw' })).rejects.toThrow(/options\.optimizer must be one of 'sgd', 'adam'/)
    await expect(checks.overfit(logisticUnit(1), twoPoints, { backend: 'webgl' as never })).rejects.toThrow(new RangeError("options.backend must be one of 'auto', 'tensorflow', 'cpu', received string \"webgl\"; pass e.g. { backend: 'auto' }"))
    await expect(checks.overfit(logisticUnit(1), twoPoints, { learningRate: -1 })).rejects.toThrow(new RangeError('options.learningRate must be a positive finite number, received -1; pass e.g. { learningRate: 0.01 }'))
  })

  test("the error's stack starts at the user's expect line", async () => {
    const error = await expect(logisticUnit(1)).toOverfitTinyDataset({ x: [], y: [] }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(RangeError)
    const firstFrame = (error as Error).stack!.split('\n')[1]!
    expect(firstFrame).toMatch(/input\.test\.ts/)
  })
})
