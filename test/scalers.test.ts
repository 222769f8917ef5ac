import * as tf from '@tensorflow/tfjs'
import { scalers } from 'trainability'
import { describe, expect, test } from 'vitest'

const train = [[1, 100], [2, 200], [3, 300], [4, 10_000]]
const rows = (t: tf.Tensor): number[][] => (t.arraySync() as number[][]).map((r) => r.map((v) => Math.round(v * 1e4) / 1e4))

describe('scalers', () => {
  test('standard: zero mean and unit variance on the training set', () => {
    const fitted = scalers.standard().fit(tf.tensor2d(train))
    const out = fitted.transform(tf.tensor2d(train))
    const { mean, variance } = tf.moments(out, 0)
    expect(Array.from(mean.dataSync()).map((v) => Math.abs(v) < 1e-5)).toEqual([true, true])
    expect(Array.from(variance.dataSync()).map((v) => Math.abs(v - 1) < 1e-4)).toEqual([true, true])
    fitted.dispose()
    tf.dispose([out, mean, variance])
  })

  test('fit on train, transform test with the training statistics (C14)', () => {
    const fitted = scalers.minMax().fit(tf.tensor2d(train))
    expect(rows(fitted.transform(tf.tensor2d([[1, 100], [4, 10_000], [5.5, 100]])))).toEqual([[0, 0], [1, 1], [1.5, 0]])
    fitted.dispose()
  })

  test('robust: median and IQR, so one outlier does not set the scale', () => {
    const fitted = scalers.robust().fit(tf.tensor2d(train))
    // column 0: median 2.5, IQR 3.25 - 1.75 = 1.5; column 1: median 250, IQR 2725 - 175 = 2550
    expect(rows(fitted.transform(tf.tensor2d([[2.5, 250], [4, 2800]])))).toEqual([[0, 0], [1, 1]])
    fitted.dispose()
  })

  test('a constant feature is centred, not divided by zero', () => {
    for (const scaler of [scalers.standard(), scalers.robust(), scalers.minMax()]) {
      const fitted = scaler.fit(tf.tensor2d([[5, 1], [5, 2], [5, 3]]))
      const out = fitted.transform(tf.tensor2d([[5, 2]]))
      expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true)
      expect(out.dataSync()[0]).toBe(0)
      fitted.dispose()
    }
  })

  test('fit and transform leak nothing', () => {
    const x = tf.tensor2d(train)
    const before = tf.memory().numTensors
    for (const scaler of [scalers.standard(), scalers.robust(), scalers.minMax()]) {
      const fitted = scaler.fit(x)
      fitted.transform(x).dispose()
      fitted.dispose()
    }
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
  })
})
