// Boston housing regression, a faithful copy of tensorflow/tfjs-examples at commit 05217256:
//   boston-housing/index.js  linearRegressionModel(): Dense(1, inputShape [12]);
//                            multiLayerPerceptronRegressionModel1Hidden(): Dense(50, sigmoid, leCunNormal) → Dense(1);
//                            multiLayerPerceptronRegressionModel2Hidden(): Dense(50, sigmoid, leCunNormal) ×2 → Dense(1);
//                            run(): compile({optimizer: tf.train.sgd(LEARNING_RATE = 0.01), loss: 'meanSquaredError'}),
//                            BATCH_SIZE 40; arraysToTensors(): features normalized with the TRAIN mean/std
//   boston-housing/normalization.js  determineMeanAndStddev (population std), normalizeTensor (x - mean) / std
//   boston-housing/data.js   12 features: the 13 Boston columns without B (featureDescriptions), target MEDV.
// Data: ../data/boston_house_prices.csv (real, from the scikit-learn 1.1.3 wheel; see ../data/README.md).
import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs'
import { rng, shuffled, type BugCase } from './common.js'

export type BostonKind = 'linear' | 'mlp1' | 'mlp2'
export type BostonBug = 'raw-features' | 'lr-too-high' | 'lr-too-low' | 'deep-sigmoid'

export const BOSTON_BUGS: Record<BostonBug, BugCase<BostonBug>> = {
  'raw-features': {
    name: 'raw-features',
    expected: 'C1',
    line: 'tensors.trainFeatures = tensors.rawTrainFeatures  // normalizeTensor(...) skipped',
    why: 'TAX is in the hundreds, NOX below 1: with raw features the MSE gradient of the TAX weight is ~10^4× that of ' +
      'NOX and SGD 0.01 overshoots along it. The rate is the example’s and works on standardized features; the ' +
      'features are what changed: unscaled features (C1).',
  },
  'lr-too-high': {
    name: 'lr-too-high',
    expected: 'C5',
    line: 'const LEARNING_RATE = 1  // instead of 0.01',
    why: 'on standardized features the MSE Hessian of the linear model is 2·cov(x) whose largest eigenvalue is well ' +
      'above 2 (correlated features), so SGD with lr 1 multiplies the error along it by |1 − lr·λ| > 1 each step: ' +
      'divergence, learning rate too high (C5).',
  },
  'lr-too-low': {
    name: 'lr-too-low',
    expected: 'C6',
    line: 'const LEARNING_RATE = 1e-6  // instead of 0.01',
    why: 'MEDV has mean ~22: the output bias alone needs ~22 units of travel; SGD at 1e-6 moves it by ~4e-5 per ' +
      'step, so the loss plateaus while the gradient is large: learning rate too low (C6).',
  },
  'deep-sigmoid': {
    name: 'deep-sigmoid',
    expected: 'C10',
    line: 'for (let i = 0; i < 12; i++) model.add(tf.layers.dense({units: 50, activation: "sigmoid", kernelInitializer: "leCunNormal"}))  // 2 → 12 hidden',
    why: 'each sigmoid layer scales the backward signal by at most σ′ = 1/4 times a LeCun-normal kernel of gain ~1, ' +
      'so 12 layers shrink the first layer’s gradient by ~4^-11 relative to the last: vanishing gradients (C10).',
  },
}

const FEATURES = 12

/** The example's models, compiled as run() compiles them. */
export function bostonModel(kind: BostonKind, bug?: BostonBug): tf.LayersModel {
  const model = tf.sequential()
  if (kind === 'linear') {
    model.add(tf.layers.dense({ inputShape: [FEATURES], units: 1 }))
  } else {
    model.add(tf.layers.dense({ inputShape: [FEATURES], units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal' }))
    const more = kind === 'mlp1' ? 0 : bug === 'deep-sigmoid' ? 11 : 1
    for (let i = 0; i < more; i++) model.add(tf.layers.dense({ units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal' }))
    model.add(tf.layers.dense({ units: 1 }))
  }
  const learningRate = bug === 'lr-too-high' ? 1 : bug === 'lr-too-low' ? 1e-6 : 0.01
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'meanSquaredError' })
  return model
}

/** All 506 rows of the CSV: 12 features (B dropped, as the example's data has it) and MEDV. */
export function bostonRows(): { x: number[][]; y: number[] } {
  const text = readFileSync(new URL('../data/boston_house_prices.csv', import.meta.url), 'utf8')
  const lines = text.trim().split(/\r?\n/).slice(2)
  const x: number[][] = []
  const y: number[] = []
  for (const line of lines) {
    const v = line.split(',').map(Number)
    x.push([...v.slice(0, 11), v[12]!])
    y.push(v[13]!)
  }
  return { x, y }
}

export interface BostonSet {
  x: number[][]
  y: number[][]
}

/**
 * A seeded subset split into train and validation, normalized as arraysToTensors() does: mean and
 * population std of the TRAIN features applied to both. The 'raw-features' bug skips normalization.
 */
export function bostonData(options: { train: number; validation: number; seed?: number; bug?: BostonBug }): { train: BostonSet; validation: BostonSet } {
  const all = bostonRows()
  const order = shuffled(all.x.map((_, i) => i), rng(options.seed ?? 3))
  const pick = (idx: number[]): BostonSet => ({ x: idx.map((i) => all.x[i]!.slice()), y: idx.map((i) => [all.y[i]!]) })
  const train = pick(order.slice(0, options.train))
  const validation = pick(order.slice(options.train, options.train + options.validation))
  if (options.bug !== 'raw-features') {
    const n = train.x.length
    const mean = Array.from({ length: FEATURES }, (_, j) => train.x.reduce((s, r) => s + r[j]!, 0) / n)
    const std = mean.map((m, j) => Math.sqrt(train.x.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / n))
    for (const set of [train, validation]) set.x = set.x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!))
  }
  return { train, validation }
}
