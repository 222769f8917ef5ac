// Any output rank a model has, integer token inputs, and a custom trainable's tensors in the shapes its author gave.
import * as tf from '@tensorflow/tfjs'
import { checks, diagnose, type CustomTrainable } from 'trainability'
import { describe, expect, test } from 'vitest'

const dense = tf.layers.dense

describe('sequence and image-shaped outputs', () => {
  // tfjs-examples addition-rnn/index.js (commit 05217256), scaled down: an LSTM encoder, repeatVector, an LSTM decoder
  // with returnSequences and a timeDistributed softmax: outputs [n, 3, 12], targets one-hot [n, 3, 12]. Adam at 0.03
  // instead of the example's 0.001, so that a few sums are memorized in a few hundred steps.
  const additionRnn = (loss = 'categoricalCrossentropy') => (): tf.LayersModel => {
    const model = tf.sequential()
    model.add(tf.layers.lstm({ units: 16, inputShape: [5, 12] }))
    model.add(tf.layers.repeatVector({ n: 3 }))
    model.add(tf.layers.lstm({ units: 16, returnSequences: true }))
    model.add(tf.layers.timeDistributed({ layer: dense({ units: 12 }) }))
    model.add(tf.layers.activation({ activation: 'softmax' }))
    model.compile({ loss, optimizer: tf.train.adam(0.03) })
    return model
  }
  const digits = (n: number) => Array.from({ length: n }, (_, i) => [(i * 7) % 12, (i * 5 + 3) % 12, (i * 3 + 1) % 12])
  const encode = (seq: number[], length: number) => Array.from({ length }, (_, t) => Array.from({ length: 12 }, (_, k) => (k === seq[t % seq.length] ? 1 : 0)))
  const targets = digits(4)
  const data = { x: targets.map((s) => encode(s, 5)), y: targets.map((s) => encode(s, 3)) }

  test('addition-rnn: one-hot sequence targets [n, 3, 12] train, accuracy is per position', async () => {
    const result = await checks.overfit(additionRnn(), data, { lossBelow: 0.05 })
    expect(result.pass).toBe(true)
    expect(result.record.task).toBe('multiclass')
    expect(result.record.accuracy).toBe(1)
  })

  test('addition-rnn with a sparse loss takes one class id per position, [n, 3] or [n, 3, 1]', async () => {
    const sparse = await checks.overfit(additionRnn('sparseCategoricalCrossentropy'), { x: data.x, y: targets }, { lossBelow: 0.05 })
    expect(sparse.pass).toBe(true)
    expect(sparse.record.accuracy).toBe(1)
  })

  test('addition-rnn with no dataset: the default is one sample per class with the class at every position', async () => {
    const result = await checks.overfit(additionRnn(), { lossBelow: 0.05 })
    expect(result.message).toMatch(/overfit 12 samples/)
    expect(result.pass).toBe(true)
  })

  test('class ids per position where the loss wants one-hot rows is C4', async () => {
    const result = await checks.overfit(additionRnn(), { x: data.x, y: targets })
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels are class indices, the loss wants one-hot rows' })
    expect(result.message).toMatch(/categoricalCrossentropy scores 12 outputs per position against one-hot rows/)
  })

  test('a Dense layer on inputShape [5, 1] with y of shape [n, 5, 1]; y of shape [n, 5] gets the unit axis model.fit adds', async () => {
    const perStep = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [dense({ units: 8, inputShape: [5, 1], activation: 'tanh' }), dense({ units: 1 })] })
      model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.05) })
      return model
    }
    const x = [[[0.1], [0.5], [-0.3], [0.9], [-0.7]], [[-0.4], [0.2], [0.8], [-0.6], [0.3]]]
    const y = x.map((row) => row.map(([v]) => [2 * v! - 0.5]))
    await expect(perStep).toOverfitTinyDataset({ x, y })
    await expect(perStep).toOverfitTinyDataset({ x, y: y.map((row) => row.map(([v]) => v!)) })
    await expect(checks.overfit(perStep, { x, y: [[1, 2], [3, 4]] })).rejects.toThrow(
      new RangeError('dataset.y has targets of shape [2] but the model outputs [5, 1] per sample; give y the shape [samples, 5, 1]'),
    )
  })

  test('an image-shaped output [n, 4, 4, 1] (a per-pixel sigmoid mask) takes y of the same shape', async () => {
    const mask = (): tf.LayersModel => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [4, 4, 1] }),
          tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }),
        ],
      })
      model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
      return model
    }
    const images = [0, 1, 2].map((k) => Array.from({ length: 4 }, (_, r) => Array.from({ length: 4 }, (_, c) => [(r + c + k) % 3 === 0 ? 1 : 0])))
    const result = await checks.overfit(mask, { x: images, y: images })
    expect(result.record.task).toBe('binary')
    expect(result.pass, result.message).toBe(true)
  })

  test('multi-label sigmoid outputs with 0/1 rows are classification, judged per label', async () => {
    const multiLabel = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [dense({ units: 8, inputShape: [2], activation: 'relu' }), dense({ units: 3, activation: 'sigmoid' })] })
      model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
      return model
    }
    const data = { x: [[1, 0], [0, 1], [1, 1], [-1, 0.5]], y: [[1, 1, 0], [0, 1, 1], [1, 0, 1], [0, 0, 0]] }
    const result = await checks.overfit(multiLabel, data)
    expect(result.record.task).toBe('binary')
    expect(result.pass).toBe(true)
    expect(result.message).toMatch(/and 100% accuracy/)
  })
})

describe('integer token inputs (Embedding)', () => {
  // tfjs-examples sentiment/train.js buildModel('flatten'), scaled down: Embedding → Flatten → Dense(1, sigmoid).
  const sentiment = (): tf.LayersModel => {
    const model = tf.sequential()
    model.add(tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 6 }))
    model.add(tf.layers.flatten())
    model.add(dense({ units: 1, activation: 'sigmoid' }))
    model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
    return model
  }
  const reviews = { x: [[1, 4, 7, 2, 0, 0], [3, 9, 12, 19, 5, 0], [2, 2, 8, 11, 0, 0], [15, 16, 3, 1, 7, 9]], y: [1, 0, 1, 0] }

  test('the default tiny dataset draws token ids below inputDim', async () => {
    await expect(sentiment).toOverfitTinyDataset()
  })

  test('ids are not features: no C1/C2 on them, and the model trains on them as given', async () => {
    await expect(sentiment).toOverfitTinyDataset(reviews)
    const { findings } = await diagnose(sentiment, reviews)
    expect(findings.filter((f) => f.id === 'C1' || f.id === 'C2')).toEqual([])
  })

  test('an id at or above inputDim is bad input', async () => {
    await expect(checks.overfit(sentiment, { x: [[1, 4, 20, 2, 0, 0]], y: [1] })).rejects.toThrow(
      /dataset\.x holds 20 where the model's Embedding reads token ids 0\.\.19/,
    )
  })
})

describe('custom trainables get x and y exactly as given', () => {
  // tfjs-examples polynomial-regression-core/index.js: y = a·x³ + b·x² + c·x + d, loss prediction.sub(labels).square().mean().
  const polynomial = (seen: number[][]) => (): CustomTrainable => {
    const [a, b, c, d] = [0, 1, 2, 3].map(() => tf.variable(tf.scalar(Math.random())))
    const predict = (x: tf.Tensor): tf.Tensor => tf.tidy(() => a!.mul(x.pow(tf.scalar(3, 'int32'))).add(b!.mul(x.square())).add(c!.mul(x)).add(d!))
    return {
      variables: [a!, b!, c!, d!],
      predict,
      loss: (x, y) => {
        seen.push(y.shape)
        return predict(x).sub(y).square().mean() as tf.Scalar
      },
    }
  }
  const xs = [-1, -0.5, 0.5, 1]
  const points = { x: xs, y: xs.map((v) => -0.8 * v ** 3 - 0.2 * v ** 2 + 0.9 * v + 0.5) }

  test('polynomial-regression-core: y of shape [4] reaches the loss as [4], and four points are overfit', async () => {
    const seen: number[][] = []
    const result = await checks.overfit(polynomial(seen), points, { learningRate: 0.5, maxEpochs: 2000, lossBelow: 1e-4 })
    expect(seen[0]).toEqual([4])
    expect(result.pass).toBe(true)
  })

  test('y shaped unlike the predictions ([n] against [n, 1]) is C4: the loss silently compares every pair', async () => {
    const column = (): CustomTrainable => {
      const w = tf.variable(tf.zeros([1, 1]))
      const predict = (x: tf.Tensor): tf.Tensor => tf.matMul(x as tf.Tensor2D, w)
      return { variables: [w], predict, loss: (x, y) => tf.tidy(() => predict(x).sub(y).square().mean() as tf.Scalar) }
    }
    const result = await checks.overfit(column, { x: [[1], [2], [3]], y: [2, 4, 6] }, { learningRate: 0.05 })
    expect(result.pass).toBe(false)
    expect(result.findings[0]).toMatchObject({ id: 'C4', title: 'labels shaped unlike the predictions' })
    expect(result.message).toMatch(/y has shape \[3\] and predict\(x\) \[3, 1\]: an elementwise loss broadcasts them to \[3, 3\]/)
    await expect(column).toOverfitTinyDataset({ x: [[1], [2], [3]], y: [[2], [4], [6]] }, { learningRate: 0.05 })
  })
})
