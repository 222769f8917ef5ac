// Iris classifier, a faithful copy of tensorflow/tfjs-examples at commit 05217256:
//   iris/index.js  trainModel(): Dense(10, sigmoid, inputShape [4]) → Dense(3, softmax),
//                  tf.train.adam(params.learningRate) with the UI default 0.01 (iris/index.html #learning-rate),
//                  loss 'categoricalCrossentropy', metrics ['accuracy']
//   iris/data.js   IRIS_DATA (copied verbatim into ../data/iris.ts), getIrisData(testSplit): per class, shuffle,
//                  split off the test rows, labels tf.oneHot(class, 3). Features stay raw, as in the example.
import * as tf from '@tensorflow/tfjs'
import { IRIS_DATA } from '../data/iris.js'
import { oneHot, rng, shuffled, type BugCase } from './common.js'

export type IrisBug = 'no-softmax' | 'integer-labels' | 'lr-too-high' | 'all-frozen'

export const IRIS_BUGS: Record<IrisBug, BugCase<IrisBug>> = {
  'no-softmax': {
    name: 'no-softmax',
    expected: 'C3',
    line: "model.add(tf.layers.dense({units: 3}))  // activation: 'softmax' forgotten",
    why: 'categoricalCrossentropy expects a probability row; a linear output gives logits, some negative, that tfjs ' +
      'divides by their sum and clips: the loss and output activation do not match (C3), the labels are right.',
  },
  'integer-labels': {
    name: 'integer-labels',
    expected: 'C4',
    line: 'const ys = tf.tensor2d(targets, [n, 1])  // instead of tf.oneHot(tf.tensor1d(targets).toInt(), 3)',
    why: 'the model and loss are the example’s; only the labels are class ids 0..2 where categoricalCrossentropy ' +
      'needs one-hot rows: labels in the wrong format for the loss (C4).',
  },
  'lr-too-high': {
    name: 'lr-too-high',
    expected: 'C5',
    line: 'const optimizer = tf.train.adam(10)  // the UI field typed as 10 instead of 0.01',
    why: 'every step of adam moves each weight by about lr = 10, so the sigmoid layer jumps into saturation and the ' +
      'loss jumps around instead of falling: learning rate too high (C5).',
  },
  'all-frozen': {
    name: 'all-frozen',
    expected: 'C15',
    line: 'model.trainable = false  // meant for a pretrained base, set on the whole model',
    why: 'no weight is trainable, so nothing can learn whatever the data or rate: trainable weights that never ' +
      'change (C15).',
  },
}

/** The example's model, compiled as trainModel() compiles it; `bug` injects one of IRIS_BUGS. */
export function irisModel(bug?: IrisBug): tf.LayersModel {
  const model = tf.sequential()
  model.add(tf.layers.dense({ units: 10, activation: 'sigmoid', inputShape: [4] }))
  model.add(tf.layers.dense(bug === 'no-softmax' ? { units: 3 } : { units: 3, activation: 'softmax' }))
  if (bug === 'all-frozen') model.trainable = false
  const optimizer = tf.train.adam(bug === 'lr-too-high' ? 10 : 0.01)
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return model
}

export interface IrisSet {
  x: number[][]
  y: number[][]
}

/**
 * getIrisData's split, seeded: per class shuffle, the first `train` rows of each class train, the next
 * `validation` rows validate. Labels one-hot, or class ids [n, 1] for the 'integer-labels' bug.
 */
export function irisData(options: { train: number; validation: number; seed?: number; bug?: IrisBug }): { train: IrisSet; validation: IrisSet } {
  const random = rng(options.seed ?? 7)
  const train: IrisSet = { x: [], y: [] }
  const validation: IrisSet = { x: [], y: [] }
  for (let c = 0; c < 3; c++) {
    const rows = shuffled(IRIS_DATA.filter((r) => r[4] === c), random)
    rows.slice(0, options.train + options.validation).forEach((r, i) => {
      const into = i < options.train ? train : validation
      into.x.push(r.slice(0, 4))
      into.y.push(options.bug === 'integer-labels' ? [c] : oneHot(c, 3))
    })
  }
  return { train, validation }
}
