import * as tf from '@tensorflow/tfjs'
import { diagnose, type CustomTrainable, type Finding } from 'trainability'
import { describe, expect, test } from 'vitest'
import { capacityLast } from '../src/findings/candidates.js'
import { asNote, cause } from '../src/findings/catalogue.js'
import { table } from './fixtures/models.js'

// Misses on the model side: weights that never train (C15), inputs that carry nothing (C8), too little capacity (C7).

const list = (findings: Finding[]): string => findings.map((f) => `${f.id} ${f.severity}: ${f.title}: ${f.evidence}`).join('\n')
const severe = (f: Finding): boolean => f.severity === 'error' || f.severity === 'warning'

/** 32 rows of 3 features in [-1, 1], and y = x·[2, -1, 1] + 3. */
const x3 = table(32, 3, 7).map((r) => r.map((v) => 2 * v - 1))
const regression = { x: x3, y: x3.map(([a, b, c]) => [2 * a! - b! + c! + 3]) }

/** x·kernel + bias, the kernel added with the trainability given (addWeight's sixth argument). */
class FixedKernel extends tf.layers.Layer {
  static className = 'MissesFixedKernel'
  private readonly kernelTrainable: boolean
  private kernel!: tf.LayerVariable
  private bias!: tf.LayerVariable
  constructor(config: { kernelTrainable: boolean; inputShape?: number[] }) {
    super({ inputShape: config.inputShape })
    this.kernelTrainable = config.kernelTrainable
  }
  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape
    this.kernel = this.addWeight('kernel', [shape[shape.length - 1]!, 1], 'float32', tf.initializers.glorotUniform({}), undefined, this.kernelTrainable)
    this.bias = this.addWeight('bias', [1], 'float32', tf.initializers.zeros(), undefined, true)
    this.built = true
  }
  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape
    return [...shape.slice(0, -1), 1]
  }
  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.add(tf.matMul(Array.isArray(inputs) ? inputs[0]! : inputs, this.kernel.read()), this.bias.read()))
  }
  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernelTrainable: this.kernelTrainable }
  }
}
tf.serialization.registerClass(FixedKernel)

describe('C15: weights that never train in a model that does not learn', () => {
  const affine = (kernelTrainable: boolean) => (): tf.LayersModel => {
    const model = tf.sequential()
    model.add(new FixedKernel({ kernelTrainable, inputShape: [3] }))
    model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.1) })
    return model
  }

  test("a custom layer's kernel added untrainable is C15, verified by training it", async () => {
    const before = tf.memory().numTensors
    const { findings, evidence } = await diagnose(affine(false), regression, { maxEpochs: 40 })
    expect(tf.memory().numTensors).toBe(before)
    expect(findings[0], list(findings)).toMatchObject({ id: 'C15', title: 'frozen weights in a model that does not learn' })
    expect(findings[0]!.evidence).toMatch(/^\S*missesfixedkernel\S*\/kernel is not trainable and never changed, and the loss ended at [\d.]+, above half the chance loss [\d.]+$/i)
    const [, last, chance] = /ended at ([\d.]+), above half the chance loss ([\d.]+)/.exec(findings[0]!.evidence)!
    expect(Number(last)).toBeGreaterThan(Number(chance) / 2)
    expect(evidence.chance).toBeCloseTo(Number(chance), 3)
    expect(findings[0]!.verification).toMatchObject({ helped: true })
    expect(findings[0]!.verification!.outcome).toMatch(/^with every weight trainable the same run reaches/)
  })

  test('a layer declared trainable: false that blocks learning is C15, verified by unfreezing it', async () => {
    // The output layer frozen at its random start: bias 0 and kernel entries within ±0.8 cap the output of 8 tanh units
    // near ±3, short of targets around 3 ± 4.
    const frozenHead = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 1, trainable: false })] })
      model.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.05) })
      return model
    }
    const { findings } = await diagnose(frozenHead, regression, { maxEpochs: 40 })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C15', title: 'frozen weights in a model that does not learn' })
    expect(findings[0]!.evidence).toMatch(/^dense_Dense\d+\/kernel, dense_Dense\d+\/bias are not trainable/)
    expect(findings[0]!.verification?.helped).toBe(true)
  })

  test('unverified (verify: false) it is a note', async () => {
    const { findings } = await diagnose(affine(false), regression, { maxEpochs: 40, verify: false })
    const c15 = findings.filter((f) => f.kind === 'frozenWeights')
    expect(c15.length, list(findings)).toBe(1)
    expect(c15[0]!.severity).toBe('info')
  })

  test('a frozen base under a head that learns is no cause: transfer learning freezes on purpose', async () => {
    const x = table(32, 2, 9).map((r) => r.map((v) => 2 * v - 1))
    const separable = { x, y: x.map(([a, b]) => [a! - b! > 0 ? 1 : 0]) }
    const frozenBase = (): tf.LayersModel => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [2], activation: 'tanh', trainable: false }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] })
      model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
      return model
    }
    const { findings, record, evidence } = await diagnose(frozenBase, separable, { maxEpochs: 40 })
    expect(record.losses.at(-1)!, 'the head learned: the premise of the test').toBeLessThan(evidence.chance! / 2)
    expect(evidence.weights.filter((w) => !w.trainable).length).toBe(2)
    expect(findings.filter((f) => f.id === 'C15'), list(findings)).toEqual([])
    expect(findings.filter(severe), list(findings)).toEqual([])
  })
})

describe('C15: a variable the custom loss reads but variables leave out', () => {
  const x = table(32, 2, 11).map((r) => r.map((v) => 2 * v - 1))
  const data = { x, y: x.map(([a, b]) => [2 * a! - b! + 0.5]) }
  const linear = (listW: boolean) => (): CustomTrainable => {
    const w = tf.tidy(() => tf.variable(tf.randomNormal([2, 1], 0, 0.1)))
    const b = tf.variable(tf.zeros([1]))
    const predict = (input: tf.Tensor): tf.Tensor => tf.tidy(() => tf.add(tf.matMul(input as tf.Tensor2D, w), b))
    return {
      variables: listW ? [w, b] : [b],
      predict,
      loss: (input, y) => tf.tidy(() => tf.losses.meanSquaredError(y, predict(input)) as tf.Scalar),
      dispose: () => tf.dispose([w, b]),
    }
  }
  const options = { maxEpochs: 40, optimizer: 'adam', learningRate: 0.05 }

  test('the slope left out of variables is C15, named by its shape, verified by listing it', async () => {
    const before = tf.memory().numTensors
    const { findings, evidence } = await diagnose(linear(false), data, options)
    expect(tf.memory().numTensors).toBe(before)
    expect(findings[0], list(findings)).toMatchObject({ id: 'C15', title: 'a variable the loss reads is not trained' })
    expect(evidence.unlisted.map((v) => v.shape)).toEqual([[2, 1]])
    expect(evidence.unlisted[0]!.gradient).toBeGreaterThan(0)
    expect(findings[0]!.evidence).toMatch(/^the loss depends on a \[2, 1\] variable \(gradient norm [\d.]+\), not in variables/)
    expect(findings[0]!.verification).toMatchObject({ helped: true })
  })

  test("a variable registered by other code that the loss does not read is not reported", async () => {
    const stranger = tf.variable(tf.ones([2, 1]))
    try {
      const { findings, evidence } = await diagnose(linear(true), data, options)
      expect(evidence.unlisted).toEqual([])
      expect(findings.filter((f) => f.id === 'C15'), list(findings)).toEqual([])
    } finally {
      stranger.dispose()
    }
  })
})

describe('C8: training inputs that are all one row', () => {
  const model = (): tf.LayersModel => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] })
    m.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
    return m
  }
  const y = Array.from({ length: 24 }, (_, i) => i % 2)

  test('one row repeated with labels that differ is C8 at the source, before the rate', async () => {
    const { findings } = await diagnose(model, { x: y.map(() => [0.2, -1, 3]), y }, { maxEpochs: 20 })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C8', title: 'every training input is the same', severity: 'error' })
    expect(findings[0]!.evidence).toBe('all 24 samples have the same input, bit for bit, but different labels: no model can tell them apart')
  })

  test('inputs that differ in one value of one row are not', async () => {
    const x = y.map(() => [0.2, -1, 3])
    x[5] = [0.2, -1, 3.001]
    const { findings } = await diagnose(model, { x, y }, { maxEpochs: 5, verify: false })
    expect(findings.filter((f) => f.kind === 'identicalInputs'), list(findings)).toEqual([])
  })
})

describe('C7: a loss that levels off far above 0 for want of capacity', () => {
  const xor = { x: [[1, 1], [-1, -1], [1, -1], [-1, 1], [0.8, 1.2], [-1.2, -0.8], [1.1, -0.9], [-0.9, 1.1]], y: [1, 1, 0, 0, 1, 1, 0, 0] }
  const logistic = (): tf.LayersModel => {
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
    m.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
    return m
  }

  test('one sigmoid unit on XOR is C7, with the floor it heads for, verified by a hidden layer', async () => {
    const { findings, evidence } = await diagnose(logistic, xor, { maxEpochs: 40 })
    expect(findings[0], list(findings)).toMatchObject({ id: 'C7', title: 'the loss levels off far above 0: too little capacity' })
    const [, share, floor, chance] = /fell to ([\d.]+)% of its first value.*levels off near ([\d.]+) or above, over half the chance loss ([\d.]+)$/.exec(findings[0]!.evidence) ?? []
    expect(Number(share)).toBeLessThanOrEqual(50)
    expect(Number(floor)).toBeGreaterThan(Number(chance) / 2)
    expect(Number(chance)).toBeCloseTo(evidence.chance!, 3)
    expect(findings[0]!.verification).toMatchObject({ helped: true })
    expect(findings[0]!.verification!.outcome).toMatch(/^with hidden layers 4× wider \(at least 16 units, non-linear\) the same run reaches/)
  })

  test('the same unit on separable data is no C7', async () => {
    const separable = { x: xor.x, y: xor.x.map(([a]) => (a! > 0 ? 1 : 0)) }
    const { findings } = await diagnose(logistic, separable, { maxEpochs: 40 })
    expect(findings.filter((f) => f.id === 'C7'), list(findings)).toEqual([])
  })
})

describe('a verified capacity fix explains a failure only where nothing else does', () => {
  const capacity: Finding = { ...cause.tooLittleCapacity('e'), verification: { fix: 'wider', outcome: 'reaches', helped: true } }
  const outliers = cause.outliers('e')
  const note = asNote(cause.rateTooLow('e', { lr: 0.1, moved: 0.01 }))

  test('it follows the errors and warnings that stand, and leads the rest', () => {
    const consequence = cause.deadRelu('e (a consequence: gone with more units)')
    expect(capacityLast([capacity, outliers, consequence, note]).map((f) => f.id)).toEqual(['C2', 'C7', 'C9', 'C6'])
  })

  test('alone, or unverified, it keeps its place', () => {
    expect(capacityLast([capacity, note]).map((f) => f.id)).toEqual(['C7', 'C6'])
    const unverified = { ...capacity, verification: undefined }
    expect(capacityLast([unverified, outliers]).map((f) => f.id)).toEqual(['C7', 'C2'])
  })
})
