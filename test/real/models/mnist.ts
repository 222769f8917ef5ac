// MNIST classifiers, faithful copies of tensorflow/tfjs-examples at commit 05217256:
//   mnist/index.js   createDenseModel(): flatten([28, 28, 1]) → Dense(42, relu) → Dense(10, softmax);
//                    createConvModel(): conv2d(3, 16, relu) → maxPool(2, 2) → conv2d(3, 32, relu) → maxPool(2, 2)
//                    → conv2d(3, 32, relu) → flatten → Dense(64, relu) → Dense(10, softmax);
//                    train(): compile({optimizer: 'rmsprop' (lr 0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy']}).
//   mnist/data.js    pixels / 255 into [0, 1], labels one-hot of 10 classes.
//   mnist-core/model.js  the core-API conv net: conv1Weights [5, 5, 1, 8] ~ N(0, 0.1), conv2Weights [5, 5, 8, 16] ~ N(0, 0.1),
//                    fullyConnectedWeights [784, 10] ~ N(0, 1/√784), fullyConnectedBias zeros; model(x): conv 'same' → relu →
//                    maxPool(2, 2, pad 0), twice → matMul + bias (logits); loss(labels, ys) = tf.losses.softmaxCrossEntropy(labels, ys).mean();
//                    tf.train.sgd(LEARNING_RATE = 0.1).
// Data: the MNIST sprite is not reachable here, so images are SYNTHESIZED at the real scales: 28×28×1 in [0, 1],
// a seven-segment digit (strokes 2–3 px wide, value ~1 with softer edges) drawn inside the central 20×20 box, shifted
// by up to ±2 px, so that, as in MNIST, the border rows and columns are exactly 0 in every image.
import * as tf from '@tensorflow/tfjs'
import type { CustomTrainable } from 'trainability'
import { oneHot, rng, type BugCase } from './common.js'

export type MnistBug = 'pixels-255' | 'integer-labels' | 'lr-too-high' | 'zeros-init'
export type MnistCoreBug = 'softmax-before-loss' | 'lr-too-high'

export const MNIST_BUGS: Record<MnistBug, BugCase<MnistBug>> = {
  'pixels-255': {
    name: 'pixels-255',
    expected: 'C1',
    line: 'datasetBytesView[j] = imageData.data[j * 4]  // "/ 255" dropped',
    why: 'the model, loss and rate are the example’s; inputs 255× larger make the first layer’s pre-activations and ' +
      'its gradients 255× larger, so the first softmax is saturated (huge initial loss) and the rate tuned for ' +
      '[0, 1] inputs is wrong for them: unscaled features (C1).',
  },
  'integer-labels': {
    name: 'integer-labels',
    expected: 'C4',
    line: 'labels = tf.tensor2d(digits, [n, 1])  // instead of one-hot rows of 10',
    why: 'categoricalCrossentropy needs one-hot rows of 10; class ids are labels in the wrong format for the loss (C4).',
  },
  'lr-too-high': {
    name: 'lr-too-high',
    expected: 'C5',
    line: 'const optimizer = tf.train.rmsprop(1)  // instead of \'rmsprop\' (lr 0.001)',
    why: 'rmsprop normalizes each step to ~lr per weight, so lr 1 moves every weight by ~1 per step, 1000× the ' +
      'default: the loss jumps up and the ReLUs die or explode: learning rate too high (C5).',
  },
  'zeros-init': {
    name: 'zeros-init',
    expected: 'C11',
    line: "model.add(tf.layers.dense({units: 42, activation: 'relu', kernelInitializer: 'zeros'}))",
    why: 'a zero kernel makes all 42 hidden units identical (symmetric) and, with a zero bias, relu(0) = 0 with ' +
      'derivative 0, so the hidden layer never gets a gradient and the output sees only zeros: the initialization ' +
      'is the bug (C11); dead units are its symptom.',
  },
}

export const MNIST_CORE_BUGS: Record<MnistCoreBug, BugCase<MnistCoreBug> & { learningRate: number }> = {
  'softmax-before-loss': {
    name: 'softmax-before-loss',
    expected: 'C3',
    learningRate: 0.1,
    line: 'return layer2.as2D(...).matMul(fullyConnectedWeights).add(fullyConnectedBias).softmax()',
    why: 'tf.losses.softmaxCrossEntropy applies its own softmax and expects logits; feeding it probabilities squashes ' +
      'the logits into [0, 1], so the loss can never fall below ln(e + 9) − 1 ≈ 1.46 and the gradient shrinks: ' +
      'loss/activation mismatch (C3).',
  },
  'lr-too-high': {
    name: 'lr-too-high',
    expected: 'C5',
    learningRate: 50,
    line: 'const LEARNING_RATE = 50  // instead of .1',
    why: 'plain SGD at 50 multiplies the logits’ gradient steps by 500 over the example’s rate; the logits blow up and ' +
      'the loss rises or goes non-finite: learning rate too high (C5).',
  },
}

export const IMAGE_H = 28
export const IMAGE_W = 28

/** mnist/index.js createDenseModel(), compiled as train() compiles it. */
export function mnistDense(bug?: MnistBug): tf.LayersModel {
  const model = tf.sequential()
  model.add(tf.layers.flatten({ inputShape: [IMAGE_H, IMAGE_W, 1] }))
  model.add(tf.layers.dense(bug === 'zeros-init' ? { units: 42, activation: 'relu', kernelInitializer: 'zeros' } : { units: 42, activation: 'relu' }))
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }))
  return compileMnist(model, bug)
}

/** mnist/index.js createConvModel(), compiled as train() compiles it. */
export function mnistConv(bug?: MnistBug): tf.LayersModel {
  const model = tf.sequential()
  model.add(tf.layers.conv2d({ inputShape: [IMAGE_H, IMAGE_W, 1], kernelSize: 3, filters: 16, activation: 'relu' }))
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }))
  model.add(tf.layers.conv2d({ kernelSize: 3, filters: 32, activation: 'relu' }))
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }))
  model.add(tf.layers.conv2d({ kernelSize: 3, filters: 32, activation: 'relu' }))
  model.add(tf.layers.flatten({}))
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }))
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }))
  return compileMnist(model, bug)
}

function compileMnist(model: tf.Sequential, bug?: MnistBug): tf.LayersModel {
  const optimizer = bug === 'lr-too-high' ? tf.train.rmsprop(1) : 'rmsprop'
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return model
}

/** mnist-core/model.js as a trainability custom trainable (pass { learningRate: 0.1 }, the example's plain SGD). */
export function mnistCore(bug?: MnistCoreBug): CustomTrainable {
  const conv1OutputDepth = 8
  const conv1Weights = tf.variable(tf.randomNormal([5, 5, 1, conv1OutputDepth], 0, 0.1))
  const conv2InputDepth = conv1OutputDepth
  const conv2OutputDepth = 16
  const conv2Weights = tf.variable(tf.randomNormal([5, 5, conv2InputDepth, conv2OutputDepth], 0, 0.1))
  const fullyConnectedWeights = tf.variable(tf.randomNormal([7 * 7 * conv2OutputDepth, 10], 0, 1 / Math.sqrt(7 * 7 * conv2OutputDepth)))
  const fullyConnectedBias = tf.variable(tf.zeros([10]))
  const model = (inputXs: tf.Tensor): tf.Tensor => tf.tidy(() => {
    const xs = inputXs.as4D(-1, IMAGE_H, IMAGE_W, 1)
    const layer1 = xs.conv2d(conv1Weights as tf.Tensor4D, 1, 'same').relu().maxPool([2, 2], 2, 0)
    const layer2 = layer1.conv2d(conv2Weights as tf.Tensor4D, 1, 'same').relu().maxPool([2, 2], 2, 0)
    const logits = layer2.as2D(-1, fullyConnectedWeights.shape[0]).matMul(fullyConnectedWeights).add(fullyConnectedBias)
    return bug === 'softmax-before-loss' ? logits.softmax() : logits
  })
  const loss = (labels: tf.Tensor, ys: tf.Tensor): tf.Scalar => tf.losses.softmaxCrossEntropy(labels, ys).mean()
  return {
    variables: [conv1Weights, conv2Weights, fullyConnectedWeights, fullyConnectedBias],
    predict: model,
    loss: (x, y) => tf.tidy(() => loss(y, model(x))),
    inputShape: [IMAGE_H, IMAGE_W, 1],
    outputUnits: 10,
    task: 'multiclass',
  }
}

// Seven segments: a top, b upper right, c lower right, d bottom, e lower left, f upper left, g middle.
const SEGMENTS: Record<number, string> = { 0: 'abcdef', 1: 'bc', 2: 'abged', 3: 'abgcd', 4: 'fgbc', 5: 'afgcd', 6: 'afgedc', 7: 'abc', 8: 'abcdefg', 9: 'abcdfg' }

/** One synthesized 28×28 digit in [0, 1] with zero borders (see the header). */
export function drawDigit(digit: number, random: () => number): number[][] {
  const img = Array.from({ length: IMAGE_H }, () => new Array<number>(IMAGE_W).fill(0))
  const dx = Math.round(random() * 4 - 2)
  const dy = Math.round(random() * 4 - 2)
  const w = 2 + Math.round(random()) // stroke width 2 or 3
  const left = 9 + dx
  const right = 17 + dx
  const top = 6 + dy
  const mid = 13 + dy
  const bottom = 20 + dy
  const stroke = (r0: number, r1: number, c0: number, c1: number): void => {
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) {
      const edge = r === r0 || r === r1 || c === c0 || c === c1
      img[r]![c] = Math.max(img[r]![c]!, edge ? 0.5 + 0.3 * random() : 0.9 + 0.1 * random())
    }
  }
  for (const s of SEGMENTS[digit]!) {
    if (s === 'a') stroke(top, top + w - 1, left, right)
    if (s === 'g') stroke(mid, mid + w - 1, left, right)
    if (s === 'd') stroke(bottom, bottom + w - 1, left, right)
    if (s === 'f') stroke(top, mid + w - 1, left, left + w - 1)
    if (s === 'e') stroke(mid, bottom + w - 1, left, left + w - 1)
    if (s === 'b') stroke(top, mid + w - 1, right - w + 1, right)
    if (s === 'c') stroke(mid, bottom + w - 1, right - w + 1, right)
  }
  return img
}

export interface MnistSet {
  x: number[][][][]
  y: number[][]
}

/**
 * `perClass` synthesized images of each of the given digits, [n, 28, 28, 1] in [0, 1], one-hot labels of 10.
 * The 'pixels-255' bug leaves them in 0..255; the 'integer-labels' bug gives class ids [n, 1].
 */
export function mnistData(options: { perClass: number; classes?: number[]; seed?: number; bug?: MnistBug }): MnistSet {
  const random = rng(options.seed ?? 19)
  const classes = options.classes ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
  const x: number[][][][] = []
  const y: number[][] = []
  for (let i = 0; i < options.perClass; i++) {
    for (const digit of classes) {
      const scale = options.bug === 'pixels-255' ? 255 : 1
      x.push(drawDigit(digit, random).map((row) => row.map((v) => [Math.round(v * 255) / 255 * scale])))
      y.push(options.bug === 'integer-labels' ? [digit] : oneHot(digit, 10))
    }
  }
  return { x, y }
}
