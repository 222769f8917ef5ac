import * as tf from '@tensorflow/tfjs'
import { checks, withSeed, type CustomTrainable } from 'trainability'
import { describe, expect, test } from 'vitest'
import { num } from '../fixtures/derive.js'
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

/** The untrained model's output for `sample` of twoPoints under seed 42, read with plain tfjs: what a check sees at initialization. */
async function untrainedOutput(build: () => tf.LayersModel, sample: number): Promise<number> {
  return withSeed(42, () => {
    const model = build()
    const out = tf.tidy(() => (model.predict(tf.tensor2d(twoPoints.x)) as tf.Tensor).dataSync()[sample]!)
    model.dispose()
    return out
  })
}

describe('.toOutputValidProbabilities', () => {
  test('passes when a softmax layer, a sigmoid written by hand and a stable hand-written softmax output probabilities', async () => {
    await expect(softmaxClassifier).toOutputValidProbabilities()
    await expect(handWrittenLogistic).toOutputValidProbabilities(twoPointsColumn, { learningRate: 0.5 })
    await expect(handWrittenSoftmax()).toOutputValidProbabilities({ learningRate: 0.5 })
  })

  test('fails when a linear output is trained with binary cross-entropy: the range rule, the worst sample, C3 with the fix', async () => {
    const result = await checks.probabilities(linearBce, twoPoints)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^expected model to output valid probabilities \(every output in \[0, 1\]\) at initialization, after 20 epochs of training and on inputs ×100$/m)
    // x = [-1, 1] into a linear unit with a zero bias: the untrained outputs are ∓w, so exactly one lies below 0; the
    // worst is the seeded model's own output for sample 1, and ×100 inputs put both outputs far outside [0, 1].
    const worst = await untrainedOutput(linearBce, 1)
    expect(worst).toBeLessThan(0)
    expect(result.message).toMatch(new RegExp(`^ {2}✗ at initialization: 1 output outside \\[0, 1\\], worst sample 1 output 0 = ${num(worst)} {3}backend \\w+ {3}seed 42$`, 'm'))
    const scaled = /^ {2}✗ on inputs ×100: 2 outputs outside \[0, 1\], worst sample 1 output 0 = (-?[\d.]+)$/m.exec(result.message)
    expect(scaled, result.message).not.toBeNull()
    expect(Number(scaled![1])).toBeLessThan(-1)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'loss/activation mismatch' })
    expect(result.message).toMatch(
      new RegExp(`1\\. C3 loss\\/activation mismatch: sample 1 output 0 is ${num(worst)} at initialization: a linear output layer feeds binaryCrossentropy, which expects probabilities \\(add activation 'sigmoid' to the output layer\\)`),
    )
    expect(result.findings.filter((f) => f.id === 'C3')).toHaveLength(1) // the engine's own C3 reading is not repeated
  })

  test('fails when the thread’s logit model outputs logits, not probabilities', async () => {
    const result = await checks.probabilities(logisticUnit(1), twoPoints)
    expect(result.pass).toBe(false)
    const worst = await untrainedOutput(logisticUnit(1), 1)
    expect(worst).toBeLessThan(0)
    expect(result.message).toMatch(new RegExp(`1\\. C3 the model outputs logits: sample 1 output 0 is ${num(worst)} at initialization: the output layer is linear and sigmoidCrossEntropy expects logits \\(apply tf\\.sigmoid`))
  })

  test('fails when a hand-rolled softmax normalizes over the batch axis: the row-sum rule and the worst row', async () => {
    const result = await checks.probabilities(handWrittenSoftmax({ axis: 0 }), { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/\(every output in \[0, 1\], each row summing to 1 within 1e-5\)/)
    const row = /^ {2}✗ at initialization: 3 of 3 rows do not sum to 1, worst sample (\d) sums to ([\d.]+) {3}/m.exec(result.message)
    expect(row, result.message).not.toBeNull()
    // Normalized over the batch, each of the 3 class columns sums to 1: the 3 row sums total 3, each in (0, 3), and the
    // worst one is off by more than the tolerance.
    const sum = Number(row![2])
    expect(Math.abs(sum - 1)).toBeGreaterThan(1e-5)
    expect(sum).toBeGreaterThan(0)
    expect(sum).toBeLessThan(3)
    expect(result.message).toContain(
      `1. C3 softmax does not normalize each row: sample ${row![1]} sums to ${row![2]} at initialization (3 of 3 rows off) (normalize over the last axis: tf.softmax(logits), or exp(z) / tf.sum(exp(z), -1, true))`,
    )
  })

  test('fails when a softmax without the max subtracted holds up on the data but overflows to NaN on large inputs', async () => {
    const result = await checks.probabilities(handWrittenSoftmax({ stable: false }), { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}✓ after 20 epochs: all in \[0, 1\], row sums within [\d.e-]+ of 1$/m)
    expect(result.message).toMatch(/^ {2}✗ on inputs ×100: 3 outputs outside \[0, 1\], worst sample 0 output 0 = NaN; 3 of 3 rows do not sum to 1, worst sample 0 sums to NaN$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'probabilities overflow' })
  })

  test('passes when sumToOne: false accepts multi-label outputs; throws on a negative tolerance', async () => {
    const loose = await checks.probabilities(handWrittenSoftmax({ axis: 0 }), { learningRate: 0.5, sumToOne: false })
    expect(loose.pass).toBe(true)
    expect(loose.message).toMatch(/\(every output in \[0, 1\]\)/)
    await expect(checks.probabilities(softmaxClassifier, { tolerance: -1 })).rejects.toThrow(/options\.tolerance must be a finite number ≥ 0, received -1/)
  })

  test('passes when each position of a sequence output has a row over the last axis summing to 1', async () => {
    const result = await checks.probabilities(perStep, sequences)
    expect(result.pass, result.message).toBe(true)
    // 6 samples × 3 positions, not 6 flattened samples summing to 3 each
    expect(result.message).toMatch(/^ {2}✓ after 20 epochs: all in \[0, 1\], row sums within [\d.e-]+ of 1$/m)
  })

  test('fails when a sequence softmax normalizes over time instead of classes: rows per position, the worst sample and position', async () => {
    const result = await checks.probabilities(perStepOverTime, sequences, { learningRate: 0.5 })
    expect(result.pass).toBe(false)
    const rows = sequences.x.length * STEPS
    expect(result.message).toMatch(new RegExp(`^ {2}✗ at initialization: ${rows} of ${rows} rows do not sum to 1, worst sample \\d+ position [0-${STEPS - 1}] sums to [\\d.]+ {3}`, 'm'))
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'softmax does not normalize each row' })
    expect(result.findings[0]!.evidence).toMatch(new RegExp(`^sample \\d+ position [0-${STEPS - 1}] sums to [\\d.]+ at initialization \\(${rows} of ${rows} rows off\\)$`))
  })

  test('passes when token ids feed a sigmoid: the embedding vectors are scaled, not the ids, and the message says so', async () => {
    const result = await checks.probabilities(embedded('sigmoid'), tokens)
    expect(result.pass, result.message).toBe(true)
    expect(result.message).toMatch(/\(every output in \[0, 1\]\) at initialization, after 20 epochs of training and on embeddings ×100, but it did$/m)
    expect(result.message).toMatch(/^ {2}✓ on embeddings ×100: all in \[0, 1\]$/m)
    expect(result.message).toMatch(/inputs are token ids: the embedding\w* vectors were scaled ×100 instead of the ids/)
  })

  test('fails when token ids feed a linear output with binary cross-entropy: C3, no tfjs gather error', async () => {
    const result = await checks.probabilities(embedded('linear'), tokens)
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/^ {2}✗ on embeddings ×100: \d outputs? outside \[0, 1\], worst sample \d output 0 = -?[\d.]+$/m)
    expect(result.findings[0]).toMatchObject({ id: 'C3', title: 'loss/activation mismatch' })
  })

  test('passes when integer ids with no Embedding reading them skip the ×100 stage, saying why', async () => {
    const result = await checks.probabilities(reshapedIds, tokens)
    expect(result.pass, result.message).toBe(true)
    expect(result.message).toMatch(/\(every output in \[0, 1\]\) at initialization, after 20 epochs of training, but it did$/m)
    expect(result.message).toMatch(/^ {2}– on inputs ×100: not run, the inputs are integer ids, which cannot be scaled$/m)
  })
})

describe('.not.toOutputValidProbabilities', () => {
  test('passes when a linear output feeds binary cross-entropy; fails when a softmax outputs probabilities, saying it did', async () => {
    await expect(linearBce).not.toOutputValidProbabilities(twoPoints)
    await expect(expect(softmaxClassifier).not.toOutputValidProbabilities()).rejects.toThrow(/expected model not to output valid probabilities .*, but it did/)
  })
})
