import * as tf from '@tensorflow/tfjs'
import { checks, type CustomTrainable } from 'trainability'
import { describe, expect, test } from 'vitest'
import { handWrittenLogistic, handWrittenSoftmax, linearBce, logisticUnit, softmaxClassifier, table, twoPoints, twoPointsColumn } from '../fixtures/models.js'

/** Sequences of 3 steps, 2 features each; the target at every step is one of 4 classes. */
const STEPS = 3
const CLASSES = 4
const sequences = {
  x: table(6, STEPS * 2, 7).map((row) => Array.from({ length: STEPS }, (_, t) => [row[2 * t]! - 0.5, row[2 * t + 1]! - 0.5])),
  y: table(6, STEPS, 8).map((row) => row.map((v) => Array.from({ length: CLASSES }, (_, c) => (Math.floor(v * CLASSES) === c ? 1 : 0)))),
}

/** A per-step classifier, addition-rnn's output head: timeDistributed(Dense) → softmax. */
const perStep = (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [tf.layers.timeDistributed({ layer: tf.layers.dense({ units: CLASSES }), inputShape: [STEPS, 2] }), tf.layers.activation({ activation: 'softmax' })],
  })
  model.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(0.05) })
  return model
}

/** The same head written by hand with the bug: exp(z) normalized over time (axis 1) instead of over the classes. */
const perStepOverTime = (): CustomTrainable => {
  const w = tf.variable(tf.randomNormal([2, CLASSES], 0, 0.5), true, 'w')
  const b = tf.variable(tf.zeros([CLASSES]), true, 'b')
  const predict = (x: tf.Tensor): tf.Tensor => tf.tidy(() => {
    const z = tf.add(tf.matMul(tf.reshape(x, [-1, 2]), w), b).reshape([x.shape[0]!, STEPS, CLASSES])
    const e = tf.exp(tf.sub(z, tf.max(z, 1, true)))
    return tf.div(e, tf.sum(e, 1, true))
  })
  return {
    variables: [w, b],
    predict,
    loss: (x, y) => tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(predict(x), 1e-7, 1))), -1))) as tf.Scalar),
    inputShape: [STEPS, 2],
    outputUnits: CLASSES,
    task: 'multiclass',
  }
}

/** Token ids 0–9 in 4 positions; the label is 1 when id 1 occurs. */
const tokens = { x: [[1, 2, 3, 4], [5, 6, 7, 8], [9, 1, 0, 2], [3, 4, 5, 6]], y: [[1], [0], [1], [0]] }

/** sentiment's flatten model in miniature; `linear` drops the sigmoid but keeps binary cross-entropy (C3). */
const embedded = (output: 'sigmoid' | 'linear') => (): tf.LayersModel => {
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 4 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, activation: output }),
    ],
  })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
  return model
}

/** Integer ids that reach an Embedding through another layer: nothing to scale them by. */
const reshapedIds = (): tf.LayersModel => {
  const input = tf.input({ shape: [4], dtype: 'int32' })
  const ids = tf.layers.reshape({ targetShape: [4] }).apply(input) as tf.SymbolicTensor
  const vectors = tf.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(ids) as tf.SymbolicTensor
  const flat = tf.layers.flatten().apply(vectors) as tf.SymbolicTensor
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(flat) as tf.SymbolicTensor })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
  return model
}

describe('toOutputValidProbabilities', () => {
  test('a softmax layer, a sigmoid written by hand and a stable hand-written softmax output probabilities', async () => {
    await expect(softmaxClassifier).toOutputValidProbabilities()
    await expect(handWrittenLogistic).toOutputValidProbabilities(twoPointsColumn, { learningRate: 0.5 })
    await expect(handWrittenSoftmax()).toOutputValidProbabilities({ learningRate: 0.5 })
  })

  test('a linear output trained with binary cross-entropy: the range rule, the worst sample, C3 with the fix', async () => {
    const result = await checks.probabilities(linearBce, twoPoints)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to output valid probabilities \(every output in \[0, 1\]\) at initialization, after 20 epochs of training and on inputs ×100$/m)
    expect(result.message).toMatch(/^ {2}✗ at initialization: 1 output outside \[0, 1\], worst sample 1 output 0 = -0\.9048 {3}backend \w+ {3}seed 42$/m)
    expect(result.message).toMatch(/^ {2}✗ on inputs ×100: 2 outputs outside \[0, 1\], worst sample 1 output 0 = -95\.95$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'loss/activation mismatch' })
    expect(result.message).toMatch(
      /1\. C3 loss\/activation mismatch: sample 1 output 0 is -0\.9048 at initialization: a linear output layer feeds binaryCrossentropy, which expects probabilities \(add activation 'sigmoid' to the output layer\)/,
    )
    expect(result.findings.filter((f) => f.id === 'C3')).toHaveLength(1) // the engine's own C3 reading is not repeated
  })

  test('the thread’s logit model outputs logits, not probabilities', async () => {
    const result = await checks.probabilities(logisticUnit(1), twoPoints)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/1\. C3 the model outputs logits: sample 1 output 0 is -0\.9048 at initialization: the output layer is linear and sigmoidCrossEntropy expects logits \(apply tf\.sigmoid/)
  })

  test('a hand-rolled softmax over the batch axis: the row-sum rule and the worst row', async () => {
    const result = await checks.probabilities(handWrittenSoftmax({ axis: 0 }), { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/\(every output in \[0, 1\], each row summing to 1 within 1e-5\)/)
    expect(result.message).toMatch(/^ {2}✗ at initialization: 3 of 3 rows do not sum to 1, worst sample 2 sums to 1\.18 {3}/m)
    expect(result.message).toMatch(
      /1\. C3 softmax does not normalize each row: sample 2 sums to 1\.18 at initialization \(3 of 3 rows off\) \(normalize over the last axis: tf\.softmax\(logits\), or exp\(z\) \/ tf\.sum\(exp\(z\), -1, true\)\)/,
    )
  })

  test('a softmax without the max subtracted holds up on the data but overflows to NaN on large inputs', async () => {
    const result = await checks.probabilities(handWrittenSoftmax({ stable: false }), { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}✓ after 20 epochs: all in \[0, 1\], row sums within [\d.e-]+ of 1$/m)
    expect(result.message).toMatch(/^ {2}✗ on inputs ×100: 3 outputs outside \[0, 1\], worst sample 0 output 0 = NaN; 3 of 3 rows do not sum to 1, worst sample 0 sums to NaN$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'probabilities overflow' })
  })

  test('sumToOne: false accepts multi-label outputs; tolerance loosens the sum', async () => {
    const loose = await checks.probabilities(handWrittenSoftmax({ axis: 0 }), { learningRate: 0.5, sumToOne: false })
    expect(loose.pass).toBe(true)
    expect(loose.message).toMatch(/\(every output in \[0, 1\]\)/)
    await expect(checks.probabilities(softmaxClassifier, { tolerance: -1 })).rejects.toThrow(/options\.tolerance must be a number ≥ 0, received -1/)
  })

  test('a sequence output: each position’s row over the last axis sums to 1', async () => {
    const result = await checks.probabilities(perStep, sequences)
    expect(result.pass, result.message).toBe(true)
    // 6 samples × 3 positions, not 6 flattened samples summing to 3 each
    expect(result.message).toMatch(/^ {2}✓ after 20 epochs: all in \[0, 1\], row sums within [\d.e-]+ of 1$/m)
  })

  test('a sequence softmax over time instead of classes: rows per position, the worst sample and position', async () => {
    const result = await checks.probabilities(perStepOverTime, sequences, { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    const rows = sequences.x.length * STEPS
    expect(result.message).toMatch(new RegExp(`^ {2}✗ at initialization: ${rows} of ${rows} rows do not sum to 1, worst sample \\d+ position [0-${STEPS - 1}] sums to [\\d.]+ {3}`, 'm'))
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'softmax does not normalize each row' })
    expect(result.findings[0]!.evidence).toMatch(new RegExp(`^sample \\d+ position [0-${STEPS - 1}] sums to [\\d.]+ at initialization \\(${rows} of ${rows} rows off\\)$`))
  })

  test('token ids are not scaled: the embedding vectors are, and the message says so', async () => {
    const result = await checks.probabilities(embedded('sigmoid'), tokens)
    expect(result.pass, result.message).toBe(true)
    expect(result.message).toMatch(/\(every output in \[0, 1\]\) at initialization, after 20 epochs of training and on embeddings ×100, but it did$/m)
    expect(result.message).toMatch(/^ {2}✓ on embeddings ×100: all in \[0, 1\]$/m)
    expect(result.message).toMatch(/inputs are token ids: the embedding\w* vectors were scaled ×100 instead of the ids/)
  })

  test('token ids into a linear output with binary cross-entropy fail with C3, no tfjs gather error', async () => {
    const result = await checks.probabilities(embedded('linear'), tokens)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}✗ on embeddings ×100: \d outputs? outside \[0, 1\], worst sample \d output 0 = -?[\d.]+$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'loss/activation mismatch' })
  })

  test('integer ids with no Embedding reading them skip the ×100 stage and say why', async () => {
    const result = await checks.probabilities(reshapedIds, tokens)
    expect(result.pass, result.message).toBe(true)
    expect(result.message).toMatch(/\(every output in \[0, 1\]\) at initialization, after 20 epochs of training, but it did$/m)
    expect(result.message).toMatch(/^ {2}– on inputs ×100: not run, the inputs are integer ids, which cannot be scaled$/m)
  })

  test('.not', async () => {
    await expect(linearBce).not.toOutputValidProbabilities(twoPoints)
    await expect(expect(softmaxClassifier).not.toOutputValidProbabilities()).rejects.toThrow(/expected model not to output valid probabilities .*, but it did/)
  })
})
