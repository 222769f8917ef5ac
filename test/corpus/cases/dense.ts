// Fully connected models: the bugs people post with a tf.sequential of dense layers.
import * as tf from '@tensorflow/tfjs'
import { broken, healthy, type Case } from '../case.js'
import {
  binarySet,
  binaryTruth,
  blobs,
  column,
  gaussian,
  linearBinary,
  linearTargets,
  multiclassTruth,
  oneHot,
  regressionSet,
  regressionTruth,
  rescale,
  rng,
  standardize,
  statsOf,
  xor,
} from '../data.js'
import { dense, sequential } from '../models.js'
import { normal } from '../data.js'

const N = 32

/** XOR of two signs, two points a quadrant: the tiny dataset of an overfit test. */
const TINY_XOR = (() => {
  const x = [[1, 1], [-1, -1], [1, -1], [-1, 1], [0.8, 1.2], [-1.2, -0.8], [1.1, -0.9], [-0.9, 1.1]]
  return { x, labels: x.map(([a, b]) => (a! * b! > 0 ? 1 : 0)) }
})()

export const denseCases: Case[] = [
  // ---------------------------------------------------------------- C1 features on different scales
  broken(
    {
      name: 'dense/linear-fit-on-1..24',
      family: 'dense',
      source: 'https://github.com/tensorflow/tensorflow/issues/18493',
      expected: 'C1',
      bug: 'x runs from 1 to 24 unscaled; plain SGD at its default rate',
      fix: 'x: column(fixed ? standardize(raw).map(([v]) => v!) : xs)',
    },
    (fixed) => {
      const xs = Array.from({ length: 24 }, (_, i) => i + 1)
      const raw = column(xs)
      const ys = column(xs.map((v) => v + 2))
      return {
        build: () => sequential([dense(1, 'linear', { inputShape: [1] })], 'meanSquaredError', tf.train.sgd(0.01)),
        train: regressionSet(column(fixed ? standardize(raw).map(([v]) => v!) : xs), ys),
        maxEpochs: 100,
      }
    },
  ),
  broken(
    {
      name: 'dense/one-neuron-two-scales',
      family: 'dense',
      source: 'docs/seeds/one-neuron-classifier-not-training.md',
      expected: 'C1',
      bug: 'one feature in the hundreds, one in units, fed raw to a sigmoid unit',
      fix: 'x: fixed ? standardize(raw) : raw',
    },
    (fixed) => {
      const z = gaussian(N, 2, 11)
      const labels = z.map(([a, b]) => (a! + b! > 0 ? 1 : 0))
      const raw = rescale(z, [50, 2], [200, 5])
      return {
        build: () => sequential([dense(1, 'sigmoid', { inputShape: [2] })], 'binaryCrossentropy', tf.train.adam(0.05)),
        train: binarySet(fixed ? standardize(raw) : raw, labels),
        maxEpochs: 50,
      }
    },
  ),

  // ---------------------------------------------------------------- C2 outliers
  broken(
    {
      name: 'dense/missing-value-sentinel',
      family: 'dense',
      expected: 'C2',
      bug: 'a missing reading stored as 9999 and standardized with the rest: the other 31 values collapse to one point',
      fix: 'raw[5]![0] = fixed ? median : 9999',
    },
    (fixed) => {
      const { x: raw, labels } = linearBinary(N, 3, 13, [1])
      const median = [...raw.map((r) => r[0]!)].sort((a, b) => a - b)[N / 2]!
      raw[5]![0] = fixed ? median : 9999
      labels[5] = median > 0 ? 1 : 0
      return {
        build: () => sequential([dense(1, 'sigmoid', { inputShape: [3] })], 'binaryCrossentropy', tf.train.adam(0.05)),
        train: binarySet(standardize(raw), labels),
        maxEpochs: 50,
      }
    },
  ),
  broken(
    {
      name: 'dense/targets-typed-in-cents',
      family: 'dense',
      expected: 'C2',
      bug: 'two of 40 targets were entered ×100 (cents for dollars); mean squared error chases them',
      fix: "loss: fixed ? tf.losses.huberLoss : 'meanSquaredError'",
    },
    (fixed) => {
      const x = gaussian(40, 2, 14)
      const clean = linearTargets(x, [1.5, -1], 0.5, 0.1, 15)
      const y = clean.map(([v], i) => [i === 3 || i === 17 ? v! * 100 : v!])
      return {
        build: () => sequential([dense(1, 'linear', { inputShape: [2] })], fixed ? tf.losses.huberLoss : 'meanSquaredError', tf.train.adam(0.1)),
        train: { x, y, truth: regressionTruth(clean) },
        maxEpochs: 60,
      }
    },
  ),

  // ---------------------------------------------------------------- C3 loss / output activation mismatch
  broken(
    {
      name: 'dense/sigmoid-output-with-hinge',
      family: 'dense',
      expected: 'C3',
      bug: "a sigmoid output (0 to 1) trained with 'hinge', which wants a signed margin: no output can reach -1",
      fix: "dense(1, fixed ? 'linear' : 'sigmoid')",
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 3, 24)
      return {
        build: () => sequential([dense(8, 'tanh', { inputShape: [3] }), dense(1, fixed ? 'linear' : 'sigmoid')], 'hinge', tf.train.adam(0.02)),
        train: { x, y: column(labels.map((l) => 2 * l - 1)), truth: binaryTruth(labels, 0) },
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/categorical-crossentropy-one-unit',
      family: 'dense',
      source: 'https://stats.stackexchange.com/questions/565956/confused-with-binary-cross-entropy-vs-categorical-cross-entropy',
      expected: 'C3',
      bug: 'one sigmoid output unit trained with categoricalCrossentropy',
      fix: "loss: fixed ? 'binaryCrossentropy' : 'categoricalCrossentropy'",
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 3, 18)
      return {
        build: () =>
          sequential(
            [dense(8, 'relu', { inputShape: [3] }), dense(1, 'sigmoid')],
            fixed ? 'binaryCrossentropy' : 'categoricalCrossentropy',
            tf.train.adam(0.02),
          ),
        train: binarySet(x, labels),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/softmax-on-one-unit',
      family: 'dense',
      source: 'https://python.19633.com/cs/python-tag-9/Keras-9/1009048621.html',
      expected: 'C3',
      bug: "a binary classifier's single output unit uses softmax",
      fix: "dense(1, fixed ? 'sigmoid' : 'softmax')",
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 2, 19)
      return {
        build: () =>
          sequential([dense(6, 'relu', { inputShape: [2] }), dense(1, fixed ? 'sigmoid' : 'softmax')], 'binaryCrossentropy', tf.train.rmsprop(0.01)),
        train: binarySet(x, labels),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/sigmoid-regression-head',
      family: 'dense',
      expected: 'C3',
      bug: 'a price regressor (targets around 3, in $100k) ends in a sigmoid, which cannot exceed 1',
      fix: "dense(1, fixed ? 'linear' : 'sigmoid')",
    },
    (fixed) => {
      const x = gaussian(N, 3, 20)
      const y = linearTargets(x, [1, 0.5, -0.5], 3, 0.1, 21)
      return {
        build: () =>
          sequential([dense(8, 'relu', { inputShape: [3] }), dense(1, fixed ? 'linear' : 'sigmoid')], 'meanSquaredError', tf.train.adam(0.05)),
        train: regressionSet(x, y),
        maxEpochs: 60,
      }
    },
  ),

  // ---------------------------------------------------------------- C4 labels in the wrong format
  broken(
    {
      name: 'dense/labels-1-and-2',
      family: 'dense',
      expected: 'C4',
      bug: 'the CSV codes the classes 1 and 2; binary cross-entropy gets them as they are',
      fix: 'y: column(fixed ? coded.map((c) => c - 1) : coded)',
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 3, 23)
      const coded = labels.map((l) => l + 1)
      return {
        build: () => sequential([dense(8, 'relu', { inputShape: [3] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.02)),
        train: { x, y: column(fixed ? coded.map((c) => c - 1) : coded), truth: binaryTruth(labels) },
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/hinge-with-0-1-labels',
      family: 'dense',
      expected: 'C4',
      bug: "loss 'hinge' with labels 0/1 (it wants -1/1): every 0 contributes a constant",
      fix: 'y: column(fixed ? labels.map((l) => 2 * l - 1) : labels)',
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 2, 24)
      return {
        build: () => sequential([dense(8, 'tanh', { inputShape: [2] }), dense(1, 'linear')], 'hinge', tf.train.sgd(0.1)),
        train: { x, y: column(fixed ? labels.map((l) => 2 * l - 1) : labels), truth: binaryTruth(labels, 0) },
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/sparse-ids-from-1',
      family: 'dense',
      expected: 'C4',
      bug: 'class ids 1..3 with sparseCategoricalCrossentropy over 3 units (ids must be 0..2)',
      fix: 'y: column(fixed ? ids.map((c) => c - 1) : ids)',
    },
    (fixed) => {
      const { x, labels } = blobs(36, 2, 3, 25)
      const ids = labels.map((l) => l + 1)
      return {
        build: () =>
          sequential([dense(8, 'relu', { inputShape: [2] }), dense(3, 'softmax')], 'sparseCategoricalCrossentropy', tf.train.adam(0.03)),
        train: { x, y: column(fixed ? ids.map((c) => c - 1) : ids), truth: multiclassTruth(labels) },
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/categorical-with-class-ids',
      family: 'dense',
      expected: 'C4',
      bug: 'categoricalCrossentropy gets class ids [n, 1] instead of one-hot rows',
      fix: 'y: fixed ? oneHot(labels, 3) : column(labels)',
    },
    (fixed) => {
      const { x, labels } = blobs(36, 4, 3, 26)
      return {
        build: () =>
          sequential([dense(8, 'relu', { inputShape: [4] }), dense(3, 'softmax')], 'categoricalCrossentropy', tf.train.adam(0.03)),
        train: { x, y: fixed ? oneHot(labels, 3) : column(labels), truth: multiclassTruth(labels) },
        maxEpochs: 40,
      }
    },
  ),

  // ---------------------------------------------------------------- C5 learning rate too high
  broken(
    {
      name: 'dense/adam-rate-1-regression',
      family: 'dense',
      expected: 'C5',
      bug: 'Adam at learning rate 1 (a thousand times its default) on a nonlinear regression',
      fix: 'tf.train.adam(fixed ? 0.03 : 1)',
    },
    (fixed) => {
      const x = gaussian(N, 2, 30)
      const y = x.map(([a, b]) => [Math.sin(2 * a!) + b! * b!])
      return {
        build: () => sequential([dense(16, 'relu', { inputShape: [2] }), dense(1, 'linear')], 'meanSquaredError', tf.train.adam(fixed ? 0.03 : 1)),
        train: regressionSet(x, y),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/momentum-too-fast',
      family: 'dense',
      expected: 'C5',
      bug: 'momentum 0.9 with learning rate 1 on a regressor',
      fix: 'tf.train.momentum(fixed ? 0.1 : 1, 0.9)',
    },
    (fixed) => {
      const x = gaussian(N, 3, 30)
      const y = linearTargets(x, [2, -1, 1], 1, 0.1, 31)
      return {
        build: () => sequential([dense(8, 'tanh', { inputShape: [3] }), dense(1, 'linear')], 'meanSquaredError', tf.train.momentum(fixed ? 0.1 : 1, 0.9)),
        train: regressionSet(x, y),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/always-predicts-one-class',
      family: 'dense',
      source: 'docs/seeds/always-predicts-same-class.md',
      expected: 'C5',
      bug: 'SGD at learning rate 20 on a ReLU classifier: after a few steps it answers one class for everything',
      fix: 'tf.train.sgd(fixed ? 2 : 20)',
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 4, 32, [1, 1, 1, -1])
      return {
        build: () =>
          sequential([dense(16, 'relu', { inputShape: [4] }), dense(16, 'relu'), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.sgd(fixed ? 2 : 20)),
        train: binarySet(x, labels),
        maxEpochs: 40,
      }
    },
  ),

  // ---------------------------------------------------------------- C6 learning rate too low / too few epochs
  broken(
    {
      name: 'dense/one-neuron-rate-1e-4',
      family: 'dense',
      source: 'docs/seeds/one-neuron-classifier-not-training.md',
      expected: 'C6',
      bug: 'a logistic unit trained by SGD at learning rate 1e-4',
      fix: 'tf.train.sgd(fixed ? 1 : 1e-4)',
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 2, 34, [-1, 1])
      return {
        build: () => sequential([dense(1, 'sigmoid', { inputShape: [2] })], 'binaryCrossentropy', tf.train.sgd(fixed ? 1 : 1e-4)),
        train: binarySet(x, labels),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/adagrad-crawl',
      family: 'dense',
      expected: 'C6',
      bug: 'Adagrad at learning rate 1e-3: its steps only shrink from there',
      fix: 'tf.train.adagrad(fixed ? 0.3 : 1e-3)',
    },
    (fixed) => {
      const x = gaussian(N, 2, 36)
      const y = linearTargets(x, [1.5, -1], 0.5, 0.1, 37)
      return {
        build: () => sequential([dense(8, 'tanh', { inputShape: [2] }), dense(1, 'linear')], 'meanSquaredError', tf.train.adagrad(fixed ? 0.3 : 1e-3)),
        train: regressionSet(x, y),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/five-epochs',
      family: 'dense',
      expected: 'C6',
      bug: 'model.fit(x, y, { epochs: 5 }) on a full-batch problem at a modest rate: it stops while still descending',
      fix: 'maxEpochs: fixed ? 40 : 5',
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 3, 38, [1, -1, 1])
      return {
        build: () => sequential([dense(8, 'relu', { inputShape: [3] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.01)),
        train: binarySet(x, labels),
        maxEpochs: fixed ? 40 : 5,
      }
    },
  ),

  // ---------------------------------------------------------------- C7 cannot fit: too little capacity
  broken(
    {
      name: 'dense/logistic-on-xor',
      family: 'dense',
      expected: 'C7',
      bug: 'a single sigmoid unit (no hidden layer) asked to fit XOR: at best 3 of 4 quadrants',
      fix: "fixed ? dense(8, 'tanh', { inputShape: [2] }) : null,",
    },
    (fixed) => ({
      build: () =>
        sequential(
          [fixed ? dense(8, 'tanh', { inputShape: [2] }) : null, dense(1, 'sigmoid', fixed ? {} : { inputShape: [2] })].filter((l) => l !== null),
          'binaryCrossentropy',
          tf.train.adam(0.05),
        ),
      train: binarySet(TINY_XOR.x, TINY_XOR.labels),
      maxEpochs: 40,
      criterion: 'fits',
    }),
  ),
  broken(
    {
      name: 'dense/one-unit-hidden-layer',
      family: 'dense',
      expected: 'C7',
      bug: 'the hidden layer has 1 unit (meant 8): XOR cannot pass through one number',
      fix: "dense(fixed ? 8 : 1, 'tanh', { inputShape: [2] })",
    },
    (fixed) => ({
      build: () => sequential([dense(fixed ? 8 : 1, 'tanh', { inputShape: [2] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.05)),
      train: binarySet(TINY_XOR.x, TINY_XOR.labels),
      maxEpochs: 40,
      criterion: 'fits',
    }),
  ),

  // ---------------------------------------------------------------- C8 same output for every input
  broken(
    {
      name: 'dense/one-row-object-reused',
      family: 'dense',
      expected: 'C8',
      bug: 'the loop that builds x fills and pushes the same array object every time, so every row is the last one',
      fix: 'if (fixed) row = []',
    },
    (fixed) => {
      const { x: source, labels } = linearBinary(N, 3, 41)
      const rows: number[][] = []
      let row: number[] = []
      for (const values of source) {
        if (fixed) row = []
        values.forEach((v, j) => (row[j] = v))
        rows.push(row)
      }
      return {
        build: () => sequential([dense(8, 'relu', { inputShape: [3] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.02)),
        train: binarySet(rows.map((r) => [...r]), labels),
        maxEpochs: 40,
      }
    },
  ),

  // ---------------------------------------------------------------- C9 dead / saturated units
  broken(
    {
      name: 'dense/relu-biases-start-at-minus-3',
      family: 'dense',
      expected: 'C9',
      bug: 'hidden ReLU biases initialized to -3 (a "sparse activations" trick): on unit-scale inputs no unit ever fires',
      fix: "biasInitializer: fixed ? 'zeros' : tf.initializers.constant({ value: -3 })",
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 3, 42, [1, 1, 0])
      return {
        build: () =>
          sequential(
            [dense(16, 'relu', { inputShape: [3], biasInitializer: fixed ? 'zeros' : tf.initializers.constant({ value: -3 }) }), dense(1, 'sigmoid')],
            'binaryCrossentropy',
            tf.train.adam(0.02),
          ),
        train: binarySet(x, labels),
        maxEpochs: 40,
      }
    },
  ),

  // ---------------------------------------------------------------- C10 vanishing / exploding gradients
  broken(
    {
      name: 'dense/eight-sigmoid-layers',
      family: 'dense',
      expected: 'C10',
      bug: 'eight stacked sigmoid layers: the gradient reaching the first ones is a tiny fraction of the last',
      fix: "const activation = fixed ? 'relu' : 'sigmoid'",
    },
    (fixed) => {
      const { x, labels } = xor(40, 2, 43)
      const activation = fixed ? 'relu' : 'sigmoid'
      return {
        build: () =>
          sequential(
            [dense(8, activation, { inputShape: [2] }), ...Array.from({ length: 7 }, () => dense(8, activation)), dense(1, 'sigmoid')],
            'binaryCrossentropy',
            tf.train.adam(0.01),
          ),
        train: binarySet(x, labels),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/eight-layers-unit-normal-init',
      family: 'dense',
      expected: 'C10',
      bug: 'eight ReLU layers initialized N(0, 1): activations and gradients grow ~2.8× per layer',
      fix: "kernelInitializer: fixed ? 'heNormal' : tf.initializers.randomNormal({ stddev: 1 })",
    },
    (fixed) => {
      const x = gaussian(N, 4, 44)
      const y = linearTargets(x, [1, -1, 0.5, 0.5], 0, 0.1, 45)
      const layer = (extra: Record<string, unknown> = {}) =>
        dense(16, 'relu', { kernelInitializer: fixed ? 'heNormal' : tf.initializers.randomNormal({ stddev: 1 }), ...extra })
      return {
        build: () =>
          sequential([layer({ inputShape: [4] }), ...Array.from({ length: 7 }, () => layer()), dense(1, 'linear')], 'meanSquaredError', tf.train.adam(0.005)),
        train: regressionSet(x, y),
        maxEpochs: 40,
      }
    },
  ),

  // ---------------------------------------------------------------- C11 symmetric / poor initialization
  broken(
    {
      name: 'dense/zeros-initialized',
      family: 'dense',
      source: 'https://taourl.com/read-2675780.html',
      expected: 'C11',
      bug: "every kernel initialized to 'zeros': hidden units are identical and get no gradient",
      fix: "const init = fixed ? 'glorotUniform' : 'zeros'",
    },
    (fixed) => {
      const x = gaussian(N, 3, 46)
      const y = linearTargets(x, [1, 1, -1], 0, 0.1, 47)
      const init = fixed ? 'glorotUniform' : 'zeros'
      return {
        build: () =>
          sequential(
            [dense(16, 'tanh', { inputShape: [3], kernelInitializer: init }), dense(1, 'linear', { kernelInitializer: init })],
            'meanSquaredError',
            tf.train.adam(0.02),
          ),
        train: regressionSet(x, y),
        maxEpochs: 40,
      }
    },
  ),
  broken(
    {
      name: 'dense/ones-initialized-xor',
      family: 'dense',
      expected: 'C11',
      bug: "kernels initialized to 'ones': all eight hidden units stay copies of one unit, too few for XOR",
      fix: "const init = fixed ? 'glorotUniform' : 'ones'",
    },
    (fixed) => {
      const init = fixed ? 'glorotUniform' : 'ones'
      return {
        build: () =>
          sequential(
            [dense(8, 'tanh', { inputShape: [2], kernelInitializer: init }), dense(1, 'sigmoid', { kernelInitializer: init })],
            'binaryCrossentropy',
            tf.train.adam(0.05),
          ),
        train: binarySet(TINY_XOR.x, TINY_XOR.labels),
        maxEpochs: 40,
        criterion: 'fits',
      }
    },
  ),

  // ---------------------------------------------------------------- C13 overfitting
  broken(
    {
      name: 'dense/wide-net-sixteen-samples',
      family: 'dense',
      source: 'https://thepinehillsnews.com/post/my-test-loss-is-increasing-but-train-loss-is-decreasing-for',
      expected: 'C13',
      bug: 'two 32-unit layers fit 16 noisy samples of 10 features (one informative) and memorize the noise',
      fix: 'const reg = fixed ? tf.regularizers.l2({ l2: 0.3 }) : undefined',
    },
    (fixed) => {
      const all = gaussian(16 + 48, 10, 49)
      const y = all.map(([a]) => [a!])
      const r = rng(50)
      const noisy = y.map(([v]) => [v! + 0.7 * (2 * r() - 1)])
      const reg = fixed ? tf.regularizers.l2({ l2: 0.3 }) : undefined
      return {
        build: () =>
          sequential(
            [dense(32, 'relu', { inputShape: [10], kernelRegularizer: reg }), dense(32, 'relu', { kernelRegularizer: reg }), dense(1, 'linear')],
            'meanSquaredError',
            tf.train.adam(0.02),
          ),
        train: regressionSet(all.slice(0, 16), noisy.slice(0, 16)),
        validation: regressionSet(all.slice(16), noisy.slice(16)),
        maxEpochs: 80,
      }
    },
  ),

  // ---------------------------------------------------------------- C14 train/test preprocessing differs
  broken(
    {
      name: 'dense/validation-left-in-raw-units',
      family: 'dense',
      expected: 'C14',
      bug: 'the training features are standardized; the validation features are passed raw',
      fix: 'x: fixed ? standardize(valRaw, statsOf(trainRaw)) : valRaw',
    },
    (fixed) => {
      const z = gaussian(N + 16, 2, 51)
      const y = linearTargets(z, [1, -0.8], 0, 0.1, 52)
      const raw = rescale(z, [12, 25000], [45, 60000])
      const trainRaw = raw.slice(0, N)
      const valRaw = raw.slice(N)
      return {
        build: () => sequential([dense(8, 'relu', { inputShape: [2] }), dense(1, 'linear')], 'meanSquaredError', tf.train.adam(0.03)),
        train: regressionSet(standardize(trainRaw), y.slice(0, N)),
        validation: regressionSet(fixed ? standardize(valRaw, statsOf(trainRaw)) : valRaw, y.slice(N)),
        maxEpochs: 50,
      }
    },
  ),
  broken(
    {
      name: 'dense/validation-scaled-with-its-own-stats',
      family: 'dense',
      source: 'https://lschmiddey.github.io/fastpages_/2021/10/25/How-to-correctly-standardize-your-data.html',
      expected: 'C14',
      bug: "the validation set (a month with mostly positives) is standardized with its own mean and std: scaler.fit_transform on test data",
      fix: 'x: standardize(valRaw, fixed ? statsOf(trainRaw) : statsOf(valRaw))',
    },
    (fixed) => {
      const train = linearBinary(N, 2, 53, [1, 1])
      const pool = linearBinary(120, 2, 54, [1, 1])
      const positives = pool.x.filter((_, i) => pool.labels[i] === 1).slice(0, 18)
      const negatives = pool.x.filter((_, i) => pool.labels[i] === 0).slice(0, 6)
      const scale = [30, 4]
      const shift = [100, 10]
      const trainRaw = rescale(train.x, scale, shift)
      const valRaw = rescale([...positives, ...negatives], scale, shift)
      const valLabels = [...positives.map(() => 1), ...negatives.map(() => 0)]
      return {
        build: () => sequential([dense(8, 'relu', { inputShape: [2] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.03)),
        train: binarySet(standardize(trainRaw), train.labels),
        validation: binarySet(standardize(valRaw, fixed ? statsOf(trainRaw) : statsOf(valRaw)), valLabels),
        maxEpochs: 50,
      }
    },
  ),

  // ---------------------------------------------------------------- C15 weights that never change
  broken(
    {
      name: 'dense/froze-every-layer',
      family: 'dense',
      expected: 'C15',
      bug: 'meant to freeze the feature layer, the loop sets trainable = false on every layer, the output included',
      fix: 'for (const layer of fixed ? model.layers.slice(0, 1) : model.layers) layer.trainable = false',
    },
    (fixed) => {
      const { x, labels } = linearBinary(N, 3, 55)
      return {
        build: () => {
          const model = tf.sequential({ layers: [dense(16, 'relu', { inputShape: [3] }), dense(1, 'sigmoid')] })
          for (const layer of fixed ? model.layers.slice(0, 1) : model.layers) layer.trainable = false
          model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
          return model
        },
        train: binarySet(x, labels),
        maxEpochs: 40,
      }
    },
  ),

  // ---------------------------------------------------------------- healthy
  healthy({ name: 'dense/minmax-features-adam', family: 'dense' }, () => {
    // Features already in [0, 1] (min-max scaled), not standardized: fine as they are.
    const r = rng(60)
    const x = Array.from({ length: N }, () => [r(), r(), r()])
    const labels = x.map(([a, b]) => (a! > b! ? 1 : 0))
    return {
      build: () => sequential([dense(8, 'relu', { inputShape: [3] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.03)),
      train: binarySet(x, labels),
      maxEpochs: 50,
    }
  }),
  healthy({ name: 'dense/linear-regression-mse', family: 'dense' }, () => {
    const x = gaussian(N, 3, 61)
    const y = linearTargets(x, [0.8, -1.2, 0.4], 0.3, 0.2, 62)
    return {
      build: () => sequential([dense(1, 'linear', { inputShape: [3] })], 'meanSquaredError', tf.train.sgd(0.1)),
      train: regressionSet(x, y),
      maxEpochs: 40,
    }
  }),
  healthy({ name: 'dense/logistic-sgd-rate-5', family: 'dense' }, () => {
    // A large learning rate that is right for a one-unit model on separable data.
    const { x, labels } = linearBinary(N, 2, 63)
    return {
      build: () => sequential([dense(1, 'sigmoid', { inputShape: [2] })], 'binaryCrossentropy', tf.train.sgd(5)),
      train: binarySet(x, labels),
      maxEpochs: 40,
    }
  }),
  healthy({ name: 'dense/dropout-multiclass-rmsprop', family: 'dense' }, () => {
    const { x, labels } = blobs(36, 3, 3, 64)
    return {
      build: () =>
        sequential(
          [dense(16, 'relu', { inputShape: [3] }), tf.layers.dropout({ rate: 0.3 }), dense(3, 'softmax')],
          'categoricalCrossentropy',
          tf.train.rmsprop(0.01),
        ),
      train: { x, y: oneHot(labels, 3), truth: multiclassTruth(labels) },
      maxEpochs: 40,
    }
  }),
  healthy({ name: 'dense/batchnorm-minibatches', family: 'dense' }, () => {
    const { x, labels } = xor(48, 2, 65)
    return {
      build: () =>
        sequential(
          [dense(16, 'linear', { inputShape: [2] }), tf.layers.batchNormalization(), tf.layers.activation({ activation: 'relu' }), dense(1, 'sigmoid')],
          'binaryCrossentropy',
          tf.train.adam(0.02),
        ),
      train: binarySet(x, labels),
      maxEpochs: 25,
      batchSize: 16,
    }
  }),
  healthy({ name: 'dense/two-targets-momentum', family: 'dense' }, () => {
    const x = gaussian(N, 3, 66)
    const a = linearTargets(x, [1, 0, -1], 0, 0.1, 67)
    const b = linearTargets(x, [0, 1, 0.5], 0.5, 0.1, 68)
    const y = a.map(([v], i) => [v!, b[i]![0]!])
    return {
      build: () => sequential([dense(8, 'tanh', { inputShape: [3] }), dense(2, 'linear')], 'meanSquaredError', tf.train.momentum(0.05, 0.9)),
      train: regressionSet(x, y),
      maxEpochs: 40,
    }
  }),
  healthy({ name: 'dense/sigmoid-output-for-0-1-targets', family: 'dense' }, () => {
    // A sigmoid regression head looks wrong, but the targets are proportions in (0, 1).
    const x = gaussian(N, 2, 69)
    const y = x.map(([a, b]) => [1 / (1 + Math.exp(-(a! - 0.5 * b!)))])
    return {
      build: () => sequential([dense(8, 'tanh', { inputShape: [2] }), dense(1, 'sigmoid')], 'meanSquaredError', tf.train.adam(0.03)),
      train: regressionSet(x, y),
      maxEpochs: 50,
    }
  }),
  healthy({ name: 'dense/imbalanced-but-separable', family: 'dense' }, () => {
    const x = gaussian(40, 2, 70)
    const labels = x.map(([a]) => (a! > 0.85 ? 1 : 0)) // about one in five positive
    return {
      build: () => sequential([dense(8, 'relu', { inputShape: [2] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.05)),
      train: binarySet(x, labels),
      maxEpochs: 50,
    }
  }),
  healthy({ name: 'dense/with-validation-adagrad', family: 'dense' }, () => {
    const { x, labels } = linearBinary(N + 16, 3, 71, [1, -1, 0.5])
    return {
      build: () => sequential([dense(6, 'tanh', { inputShape: [3] }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adagrad(0.2)),
      train: binarySet(x.slice(0, N), labels.slice(0, N)),
      validation: binarySet(x.slice(N), labels.slice(N)),
      maxEpochs: 40,
    }
  }),

  // ---------------------------------------------------------------- added with the misses-model rules
  broken(
    {
      name: 'dense/linear-hidden-layers-on-xor',
      family: 'dense',
      expected: 'C7',
      bug: "the hidden layers were given activation 'linear' (meant 'tanh'): a stack of linear layers is one linear map, which cannot fit XOR",
      fix: "const hidden = fixed ? 'tanh' : 'linear'",
    },
    (fixed) => {
      const hidden = fixed ? 'tanh' : 'linear'
      return {
        build: () =>
          sequential([dense(8, hidden, { inputShape: [2] }), dense(8, hidden), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.momentum(0.1, 0.9)),
        train: binarySet(TINY_XOR.x, TINY_XOR.labels),
        maxEpochs: 40,
        criterion: 'fits',
      }
    },
  ),
  broken(
    {
      name: 'dense/straight-line-for-a-sine',
      family: 'dense',
      expected: 'C7',
      bug: 'a regression of y = sin(6x) with no hidden layer: the model is a straight line',
      fix: "fixed ? dense(16, 'tanh', { inputShape: [1] }) : null,",
    },
    (fixed) => {
      const x = Array.from({ length: 16 }, (_, i) => [-1 + (2 * i) / 15])
      return {
        build: () =>
          sequential(
            [fixed ? dense(16, 'tanh', { inputShape: [1] }) : null, dense(1, 'linear', fixed ? {} : { inputShape: [1] })].filter((l) => l !== null),
            'meanSquaredError',
            tf.train.adam(0.05),
          ),
        train: regressionSet(x, x.map(([v]) => [Math.sin(6 * v!)])),
        maxEpochs: 200,
      }
    },
  ),
  healthy({ name: 'dense/frozen-random-features-adam', family: 'dense' }, () => {
    // A frozen base on purpose (as transfer learning freezes a pretrained one) under a head that learns.
    const { x, labels } = linearBinary(N, 3, 147, [1, -1, 0.5])
    return {
      build: () => sequential([dense(32, 'tanh', { inputShape: [3], trainable: false }), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.05)),
      train: binarySet(x, labels),
      maxEpochs: 40,
    }
  }),

  // ---------------------------------------------------------------- added with the data-side misses (issue 10)
  broken(
    {
      name: 'dense/three-classes-validation-scaled-on-its-own',
      family: 'dense',
      expected: 'C14',
      bug: 'the validation rows (a later batch, mostly class 2) are standardized with their own mean and std, which moves them toward the other classes',
      fix: 'x: standardize(valRaw, fixed ? statsOf(trainRaw) : statsOf(valRaw))',
    },
    (fixed) => {
      const train = blobs(36, 2, 3, 171)
      const pool = blobs(60, 2, 3, 172)
      const picked = [...pool.labels.map((l, i) => (l === 2 ? i : -1)).filter((i) => i >= 0).slice(0, 16), 0, 1, 3, 4]
      const scale = [10, 2]
      const shift = [50, 5]
      const trainRaw = rescale(train.x, scale, shift)
      const valRaw = rescale(picked.map((i) => pool.x[i]!), scale, shift)
      const valLabels = picked.map((i) => pool.labels[i]!)
      return {
        build: () => sequential([dense(8, 'tanh', { inputShape: [2] }), dense(3, 'softmax')], 'categoricalCrossentropy', tf.train.rmsprop(0.02)),
        train: { x: standardize(trainRaw), y: oneHot(train.labels, 3), truth: multiclassTruth(train.labels) },
        validation: { x: standardize(valRaw, fixed ? statsOf(trainRaw) : statsOf(valRaw)), y: oneHot(valLabels, 3), truth: multiclassTruth(valLabels) },
        maxEpochs: 60,
      }
    },
  ),
  healthy({ name: 'dense/one-bright-pixel-sgd', family: 'dense' }, () => {
    // 6×6 dark frames with one bright pixel; the class is the half it lies in. Each pixel is lit in a sample or two: far
    // from its own median in robust z, and what the model learns from.
    const r = rng(173)
    const labels: number[] = []
    const x = Array.from({ length: 48 }, (_, k) => {
      const at = Math.floor(r() * 36)
      labels.push(at % 6 < 3 ? 0 : 1)
      return Array.from({ length: 36 }, (_, p) => (p === at ? 1 : 0.05 + 0.02 * normal(r)))
    })
    return {
      build: () => sequential([dense(1, 'sigmoid', { inputShape: [36] })], 'binaryCrossentropy', tf.train.sgd(2)),
      train: binarySet(x, labels),
      maxEpochs: 60,
    }
  }),
]
