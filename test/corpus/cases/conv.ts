// Convolutional models: tiny images (6×6 bars) and short series (bumps), so that a run takes a fraction of a second.
import * as tf from '@tensorflow/tfjs'
import { broken, healthy, type Case } from '../case.js'
import { bars, binarySet, bumps, colourBars, column, multiclassTruth, oneHot } from '../data.js'
import { dense, sequential } from '../models.js'
import { normal, regressionSet, regressionTruth, rng, standardizeSeries } from '../data.js'

const IMAGE: [number, number, number] = [6, 6, 1]

const conv2d = (extra: Record<string, unknown> = {}): tf.layers.Layer =>
  tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: IMAGE, ...extra })

const conv1d = (T: number, extra: Record<string, unknown> = {}): tf.layers.Layer =>
  tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [T, 1], ...extra })

/** Pixels as a camera gives them: integers 0–255. */
const toBytes = (images: number[][][][]): number[][][][] => images.map((im) => im.map((row) => row.map(([p]) => [Math.round(p! * 255)])))
const scaleImages = (images: number[][][][], by: number): number[][][][] => images.map((im) => im.map((row) => row.map(([p]) => [p! / by])))

export const convCases: Case[] = [
  broken(
    {
      name: 'conv2d/pixels-0-to-255',
      family: 'conv2d',
      expected: 'C1',
      bug: 'raw 0–255 pixel values fed to a conv net trained with SGD (never divided by 255)',
      fix: 'x: fixed ? scaleImages(bytes, 255) : bytes',
    },
    (fixed) => {
      const { x, labels } = bars(24, 80)
      const bytes = toBytes(x)
      return {
        build: () => sequential([conv2d(), tf.layers.flatten(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.sgd(0.1)),
        train: binarySet(fixed ? (scaleImages(bytes, 255)) : (bytes), labels),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'conv2d/integer-division-blanks-images',
      family: 'conv2d',
      expected: 'C8',
      bug: 'the int32 pixel tensor is divided by 255 with tf.div, which floors for integers: every image becomes all zeros',
      fix: 'const divide = fixed ? (p: number) => p / 255 : (p: number) => Math.floor(p / 255)',
    },
    (fixed) => {
      const { x, labels } = bars(24, 81)
      const bytes = toBytes(x).map((im) => im.map((row) => row.map(([p]) => [Math.min(p!, 254)])))
      const divide = fixed ? (p: number) => p / 255 : (p: number) => Math.floor(p / 255)
      return {
        build: () => sequential([conv2d(), tf.layers.flatten(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.02)),
        train: binarySet(bytes.map((im) => im.map((row) => row.map(([p]) => [divide(p!)]))), labels),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'conv2d/sgd-rate-1e-4',
      family: 'conv2d',
      expected: 'C6',
      bug: 'a conv net trained by SGD at learning rate 1e-4',
      fix: 'tf.train.sgd(fixed ? 0.3 : 1e-4)',
    },
    (fixed) => {
      const { x, labels } = bars(24, 82)
      return {
        build: () => sequential([conv2d(), tf.layers.flatten(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.sgd(fixed ? 0.3 : 1e-4)),
        train: binarySet(x, labels),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'conv2d/filters-biased-dead',
      family: 'conv2d',
      expected: 'C9',
      bug: 'the ReLU filters start with bias -2: on pixels in [0, 1] none of them ever fires',
      fix: "biasInitializer: fixed ? 'zeros' : tf.initializers.constant({ value: -2 })",
    },
    (fixed) => {
      const { x, labels } = bars(24, 83)
      return {
        build: () =>
          sequential(
            [conv2d({ biasInitializer: fixed ? 'zeros' : tf.initializers.constant({ value: -2 }) }), tf.layers.flatten(), dense(1, 'sigmoid')],
            'binaryCrossentropy',
            tf.train.adam(0.02),
          ),
        train: binarySet(x, labels),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'conv2d/validation-in-rgb-training-in-bgr',
      family: 'conv2d',
      source: 'https://blackberry.8miu.com/read-16057.html',
      expected: 'C14',
      bug: 'the training images were decoded in BGR channel order, the validation images in RGB: red and blue swap places',
      fix: 'x: fixed ? toBgr(valRgb) : valRgb',
    },
    (fixed) => {
      const { x: rgb, labels } = colourBars(40, 84)
      const toBgr = (images: number[][][][]): number[][][][] => images.map((im) => im.map((row) => row.map((px) => [...px].reverse())))
      const valRgb = rgb.slice(24)
      return {
        build: () =>
          sequential([conv2d({ inputShape: [6, 6, 3] }), tf.layers.flatten(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.02)),
        train: binarySet(toBgr(rgb.slice(0, 24)), labels.slice(0, 24)),
        validation: binarySet(fixed ? toBgr(valRgb) : valRgb, labels.slice(24)),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'conv2d/one-hot-labels-sparse-loss',
      family: 'conv2d',
      expected: 'C4',
      bug: 'one-hot label rows given to sparseCategoricalCrossentropy, which wants class ids',
      fix: "loss: fixed ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy'",
    },
    (fixed) => {
      const { x, labels } = bars(24, 85, 6, 3)
      return {
        build: () =>
          sequential(
            [conv2d(), tf.layers.flatten(), dense(3, 'softmax')],
            fixed ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy',
            tf.train.adam(0.02),
          ),
        train: { x: x, y: oneHot(labels, 3), truth: multiclassTruth(labels) },
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'conv1d/sensor-glitch-spike',
      family: 'conv1d',
      expected: 'C2',
      bug: 'one series holds a glitch reading of 5000; dividing every series by the global max squashes all the others to ~0',
      fix: 'const glitch = fixed ? 0 : 5000',
    },
    (fixed) => {
      const { x, labels } = bumps(24, 12, 86)
      const glitch = fixed ? 0 : 5000
      x[7]![4]![0] = glitch || x[7]![4]![0]!
      const max = Math.max(...x.flat(2).map(Math.abs))
      return {
        build: () => sequential([conv1d(12), tf.layers.globalMaxPooling1d(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.03)),
        train: binarySet(x.map((s) => s.map(([v]) => [v! / max])), labels),
        maxEpochs: 30,
      }
    },
  ),
  broken(
    {
      name: 'conv1d/adam-rate-2',
      family: 'conv1d',
      expected: 'C5',
      bug: 'Adam at learning rate 2 on a conv1d classifier',
      fix: 'tf.train.adam(fixed ? 0.02 : 2)',
    },
    (fixed) => {
      const { x, labels } = bumps(24, 12, 87)
      return {
        build: () =>
          sequential([conv1d(12), tf.layers.globalMaxPooling1d(), dense(4, 'relu'), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(fixed ? 0.02 : 2)),
        train: binarySet(x, labels),
        maxEpochs: 30,
      }
    },
  ),

  healthy({ name: 'conv2d/bars-adam', family: 'conv2d' }, () => {
    const { x, labels } = bars(24, 88)
    return {
      build: () => sequential([conv2d(), tf.layers.flatten(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adam(0.02)),
      train: binarySet(x, labels),
      maxEpochs: 30,
    }
  }),
  healthy({ name: 'conv2d/three-bars-pooling-momentum', family: 'conv2d' }, () => {
    const { x, labels } = bars(24, 89, 6, 3)
    return {
      build: () =>
        sequential(
          [conv2d({ padding: 'same' }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), dense(3, 'softmax')],
          'sparseCategoricalCrossentropy',
          tf.train.momentum(0.05, 0.9),
        ),
      train: { x: x, y: column(labels), truth: multiclassTruth(labels) },
      maxEpochs: 30,
    }
  }),
  healthy({ name: 'conv1d/bumps-rmsprop', family: 'conv1d' }, () => {
    const { x, labels } = bumps(24, 12, 90)
    return {
      build: () => sequential([conv1d(12), tf.layers.globalMaxPooling1d(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.rmsprop(0.01)),
      train: binarySet(x, labels),
      maxEpochs: 30,
    }
  }),

  // ---------------------------------------------------------------- added with the data-side misses (issue 10)
  broken(
    {
      name: 'conv1d/temperatures-in-celsius-momentum',
      family: 'conv1d',
      expected: 'C1',
      bug: 'twelve daily temperatures (around 20 °C, std 5) fed raw to a conv net trained by SGD with momentum at a rate meant for standardized input',
      fix: 'x: fixed ? standardizeSeries(raw) : raw',
    },
    (fixed) => {
      const { raw, y } = temperatures(32, 140)
      return {
        build: () => sequential([conv1d(12, { activation: 'linear' }), tf.layers.flatten(), dense(1, 'linear')], 'meanSquaredError', tf.train.momentum(0.01, 0.9)),
        train: regressionSet(fixed ? standardizeSeries(raw) : raw, y),
        maxEpochs: 60,
      }
    },
  ),
  broken(
    {
      name: 'conv1d/missed-readings-stored-as-minus-999',
      family: 'conv1d',
      expected: 'C2',
      bug: 'three targets the sensor missed are stored as -999 and trained on with mean squared error',
      fix: "fixed ? 'meanAbsoluteError' : 'meanSquaredError'",
    },
    (fixed) => {
      const r = rng(142)
      const x = Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => [normal(r)]))
      const clean = x.map((s) => [s[5]![0]! + s[6]![0]!])
      const y = clean.map(([v], i) => [i % 13 === 4 ? -999 : v!])
      return {
        build: () => sequential([conv1d(12, { activation: 'linear' }), tf.layers.flatten(), dense(1, 'linear')], fixed ? 'meanAbsoluteError' : 'meanSquaredError', tf.train.rmsprop(0.01)),
        train: { x, y, truth: regressionTruth(clean) },
        maxEpochs: 60,
      }
    },
  ),
  broken(
    {
      name: 'conv2d/adagrad-crawl',
      family: 'conv2d',
      expected: 'C6',
      bug: 'Adagrad at learning rate 2e-3 on a conv net: its steps start small and only shrink',
      fix: 'tf.train.adagrad(fixed ? 0.2 : 2e-3)',
    },
    (fixed) => {
      const { x, labels } = bars(24, 143)
      return {
        build: () => sequential([conv2d(), tf.layers.flatten(), dense(1, 'sigmoid')], 'binaryCrossentropy', tf.train.adagrad(fixed ? 0.2 : 2e-3)),
        train: binarySet(x, labels),
        maxEpochs: 30,
      }
    },
  ),
]

/** Twelve daily temperatures around a level drawn near 20 °C (std 5) with a trend; the target is the change over the window, per 5 °C. */
function temperatures(count: number, seed: number): { raw: number[][][]; y: number[][] } {
  const r = rng(seed)
  const raw = Array.from({ length: count }, () => {
    const level = 20 + 5 * normal(r)
    const trend = normal(r)
    return Array.from({ length: 12 }, (_, t) => [level + (trend * (t - 5.5)) / 2 + normal(r)])
  })
  return { raw, y: raw.map((s) => [(s[11]![0]! - s[0]![0]!) / 5]) }
}
