// Polynomial regression with the core API, a faithful copy of tensorflow/tfjs-examples at commit 05217256:
//   polynomial-regression-core/index.js  a, b, c, d = tf.variable(tf.scalar(Math.random()));
//       predict(x) = a·x³ + b·x² + c·x + d; loss(prediction, labels) = prediction.sub(labels).square().mean();
//       optimizer tf.train.sgd(learningRate = 0.5), numIterations 75, optimizer.minimize over the full batch.
//   polynomial-regression-core/data.js  generateData(numPoints, {a: -.8, b: -.2, c: .9, d: .5}, sigma = 0.04):
//       xs ~ U(-1, 1) of shape [numPoints], ys = the cubic + N(0, sigma), then min-max normalized to [0, 1].
// As a trainability custom trainable: variables [a, b, c, d], predict, loss(x, y); x and y have shape [n]
// as in the example, and the learning rate travels in the matcher options: { learningRate: 0.5 }.
import * as tf from '@tensorflow/tfjs'
import type { CustomTrainable } from 'trainability'
import { gaussian, rng, type BugCase } from './common.js'

export type PolynomialBug = 'lr-too-high' | 'lr-too-low' | 'frozen-offset'

export const LEARNING_RATE = 0.5

export const POLYNOMIAL_BUGS: Record<PolynomialBug, BugCase<PolynomialBug> & { learningRate: number }> = {
  'lr-too-high': {
    name: 'lr-too-high',
    expected: 'C5',
    learningRate: 5,
    line: 'const learningRate = 5  // instead of 0.5',
    why: 'the loss is quadratic in (a, b, c, d) with Hessian 2·E[φφᵀ], φ = (x³, x², x, 1), x ~ U(-1, 1); its largest ' +
      'eigenvalue is 2·1.12 = 2.24 (the {x², 1} block [[1/5, 1/3], [1/3, 1]]), so plain SGD diverges for lr > 2/2.24 ≈ 0.89; ' +
      'at 5 every step multiplies the error along that direction by |1 − 5·2.24| ≈ 10: learning rate too high (C5).',
  },
  'lr-too-low': {
    name: 'lr-too-low',
    expected: 'C6',
    learningRate: 1e-5,
    line: 'const learningRate = 1e-5  // instead of 0.5',
    why: 'the Hessian eigenvalues run from 2·0.017 = 0.033 ({x³, x} block [[1/7, 1/5], [1/5, 1/3]]) to 2.24: at 1e-5 each step removes at most 0.002% of the ' +
      'error, so the loss plateaus while the gradient is far from zero: learning rate too low (C6).',
  },
  'frozen-offset': {
    name: 'frozen-offset',
    expected: 'C15',
    learningRate: LEARNING_RATE,
    line: 'const d = tf.variable(tf.scalar(Math.random()), false)  // trainable flag set to false',
    why: 'the loss depends on d, but a non-trainable variable never receives an update, so the constant term stays ' +
      'at its random start and no other coefficient can stand in for it: a weight that should learn never changes (C15).',
  },
}

/** The example's variables, predict and loss as a trainability custom trainable. `random` stands in for Math.random. */
export function polynomialTrainable(bug?: PolynomialBug, random: () => number = Math.random): CustomTrainable {
  const a = tf.variable(tf.scalar(random()))
  const b = tf.variable(tf.scalar(random()))
  const c = tf.variable(tf.scalar(random()))
  const d = tf.variable(tf.scalar(random()), bug !== 'frozen-offset')
  const predict = (x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => a.mul(x.pow(tf.scalar(3, 'int32'))).add(b.mul(x.square())).add(c.mul(x)).add(d))
  const loss = (prediction: tf.Tensor, labels: tf.Tensor): tf.Scalar => prediction.sub(labels).square().mean() as tf.Scalar
  return {
    variables: [a, b, c, d],
    predict,
    loss: (x, y) => tf.tidy(() => loss(predict(x), y)),
    inputShape: [],
    outputUnits: 1,
    task: 'regression',
  }
}

/** generateData(numPoints, coeff, sigma) as arrays of shape [n], from a seeded generator. */
export function polynomialData(numPoints: number, seed = 11, coeff = { a: -0.8, b: -0.2, c: 0.9, d: 0.5 }, sigma = 0.04): { x: number[]; y: number[] } {
  const random = rng(seed)
  const xs = Array.from({ length: numPoints }, () => random() * 2 - 1)
  const ys = xs.map((x) => coeff.a * x ** 3 + coeff.b * x ** 2 + coeff.c * x + coeff.d + sigma * gaussian(random))
  const min = Math.min(...ys)
  const max = Math.max(...ys)
  return { x: xs, y: ys.map((v) => (v - min) / (max - min)) }
}
