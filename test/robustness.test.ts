import * as tf from '@tensorflow/tfjs'
import { checks, type CustomTrainable, type Subject } from 'trainability'
import { describe, expect, test } from 'vitest'
import { handWrittenLogistic, logisticUnit, softmaxClassifier, twoPoints } from './fixtures/models.js'

const tinyThree = { x: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], y: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }
const curveOf = async (subject: Subject): Promise<number[]> =>
  (await checks.overfit(subject, tinyThree, { seed: 11, maxEpochs: 25, lossBelow: 0 })).record.losses

/** An async factory that awaits something external (a timer standing in for fetching weights) before building. */
const slowFactory = async (): Promise<tf.LayersModel> => {
  await new Promise((resolve) => setTimeout(resolve, 30))
  return softmaxClassifier()
}

describe('an async factory and other tests running meanwhile', () => {
  test('tensors another test makes while the factory awaits stay alive, and the run replays its serial curve', async () => {
    const serial = await curveOf(slowFactory)
    expect(serial).toHaveLength(25)
    const theirs: tf.Tensor[] = []
    const draws: number[] = []
    const other = (async () => {
      // Another test: makes tensors and draws Math.random while the factory above awaits its timer.
      for (let i = 0; i < 10; i++) {
        theirs.push(tf.tensor1d([i, Math.random()]))
        draws.push(Math.random())
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    const [concurrent] = await Promise.all([curveOf(slowFactory), other])
    expect(concurrent).toStrictEqual(serial)
    // Their tensors are theirs: none was disposed by the run that ended meanwhile.
    for (const t of theirs) expect(() => t.dataSync()).not.toThrow()
    tf.dispose(theirs)
    // And what they drew is not the run's seeded stream (alea seeded with '11' gives the same numbers every time).
    const seededTwice = await Promise.all([0, 1].map(async () => {
      const d: number[] = []
      const p = (async () => {
        for (let i = 0; i < 10; i++) {
          d.push(Math.random())
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      })()
      await Promise.all([curveOf(slowFactory), p])
      return d
    }))
    expect(seededTwice[0]).not.toStrictEqual(seededTwice[1])
    expect(new Set(draws).size).toBe(draws.length)
  })

  test.concurrent('a concurrent test using its tensors across the run never sees "Tensor is disposed"', async () => {
    const mine: tf.Tensor[] = []
    for (let i = 0; i < 30; i++) {
      mine.push(tf.tensor1d([i, i + 1]))
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(mine.map((t) => t.isDisposed)).not.toContain(true)
    expect(Array.from(tf.stack(mine).sum().dataSync())).toStrictEqual([30 * 29 + 30])
    tf.dispose(mine)
  })

  test.concurrent('the seeded async-factory run beside it', async () => {
    const result = await checks.overfit(slowFactory, tinyThree, { seed: 11, maxEpochs: 25, lossBelow: 0 })
    expect(result.record.stoppedBy).toBe('maxEpochs')
    expect(result.record.losses).toHaveLength(25)
  })
})

/** Runs `fn`, expects it to reject with `kind` matching `message`, and leaves tfjs memory as it found it. */
async function rejectsCleanly(fn: () => Promise<unknown>, kind: ErrorConstructor | 'input', message: RegExp): Promise<void> {
  const before = tf.memory().numTensors
  const error = await fn().then(() => undefined, (e: unknown) => e)
  if (kind === 'input') expect(error instanceof TypeError || error instanceof RangeError, String(error)).toBe(true)
  else expect(error).toBeInstanceOf(kind)
  expect((error as Error).message).toMatch(message)
  expect(tf.memory().numTensors).toBe(before)
}

const twoInputs = (): tf.LayersModel => {
  const a = tf.input({ shape: [1] })
  const b = tf.input({ shape: [1] })
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor
  const model = tf.model({ inputs: [a, b], outputs: out })
  model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' })
  return model
}

const twoOutputs = (): tf.LayersModel => {
  const a = tf.input({ shape: [1] })
  const h = tf.layers.dense({ units: 4 }).apply(a) as tf.SymbolicTensor
  const p = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor
  const q = tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor
  const model = tf.model({ inputs: a, outputs: [p, q] })
  model.compile({ loss: ['binaryCrossentropy', 'meanSquaredError'], optimizer: 'adam' })
  return model
}

describe('error paths: a clear error, nothing left behind', () => {
  test('a disposed model is a TypeError that says so', async () => {
    const model = logisticUnit(1)()
    model.dispose()
    await rejectsCleanly(() => checks.overfit(model, twoPoints), TypeError, /disposed.*(build|pass) a (new|fresh) model|factory/i)
  })

  test('a factory that returns a disposed model is a TypeError', async () => {
    const built = logisticUnit(1)()
    built.dispose()
    await rejectsCleanly(() => checks.overfit(() => built, twoPoints), TypeError, /factory returned a disposed model/)
  })

  test('a factory returning the same instance twice is a TypeError naming the fix', async () => {
    let cached: tf.LayersModel | undefined
    const once = (): tf.LayersModel => (cached ??= logisticUnit(1)())
    await rejectsCleanly(() => checks.determinism(once, twoPoints, { maxEpochs: 3 }), TypeError, /factory returned the same model instance.*new model on every call/)
  })

  test('a custom loss that returns no scalar is a TypeError naming loss(x, y)', async () => {
    const perSample = (): CustomTrainable => {
      const t = handWrittenLogistic()
      return { ...t, loss: (x, y) => tf.tidy(() => tf.squaredDifference(t.predict(x), y)) as unknown as tf.Scalar }
    }
    await rejectsCleanly(() => checks.overfit(perSample, { x: [[-1], [1]], y: [[1], [0]] }, { learningRate: 0.1 }), TypeError, /loss\(x, y\) must return a scalar.*shape \[2, ?1\].*tf\.mean/)
  })

  test.each([
    ['two inputs', twoInputs],
    ['two outputs', twoOutputs],
  ])('a factory of a model with %s is a TypeError and leaks nothing', async (_, factory) => {
    await rejectsCleanly(() => checks.overfit(factory, twoPoints), TypeError, /one input and one output/)
  })

  test('a factory that builds a model and then throws leaks nothing and surfaces its own error', async () => {
    const failing = (): tf.LayersModel => {
      logisticUnit(1)()
      tf.zeros([3]) // a stray intermediate too
      throw new Error('weights not found')
    }
    await rejectsCleanly(() => checks.overfit(failing, twoPoints), Error, /weights not found/)
  })

  test('an unknown optimizer or a bad learning rate leaks nothing', async () => {
    await rejectsCleanly(() => checks.overfit(logisticUnit(1), twoPoints, { optimizer: 'nope' as never }), 'input', /optimizer/)
    await rejectsCleanly(() => checks.overfit(logisticUnit(1), twoPoints, { learningRate: -1 }), 'input', /learningRate/)
    await rejectsCleanly(() => checks.overfit(handWrittenLogistic, twoPoints, { learningRate: -1 }), 'input', /learningRate/)
  })

  // Found by test/fuzz.test.ts.
  test('a loss function that returns no tensor, or one that ignores the prediction, is a TypeError naming it; the gradient tape leaks nothing', async () => {
    const forgotReturn = (() => undefined) as never
    const constant = (() => tf.scalar(1)) as never
    for (const check of [checks.determinism, checks.stayFinite, checks.probabilities]) {
      await rejectsCleanly(() => check(softmaxClassifier, { maxEpochs: 1, loss: forgotReturn }), TypeError,
        /^the loss function \(options\.loss, subject\.compile\.loss or the model's compile\) must return a tensor, received undefined/)
    }
    await rejectsCleanly(() => checks.determinism(softmaxClassifier, { maxEpochs: 1, loss: constant }), TypeError,
      /^the loss function \(options\.loss, .*\) does not depend on the model's weights: it must compute from the prediction/)
  })

  test('a tensor tf.tensor built from ragged rows (its data does not fill its shape) is a RangeError naming dataset.x', async () => {
    const x = tf.tensor([[-1], [1, 2]] as never)
    try {
      expect(x.size).not.toBe(x.dataSync().length) // what tfjs builds outside its debug mode
      await rejectsCleanly(() => checks.overfit(logisticUnit(1), { x, y: [1, 0] }), RangeError,
        /^dataset\.x is a tensor of shape \[2, 1\] holding 3 values instead of 2, as tf\.tensor builds from ragged rows/)
    } finally {
      x.dispose()
    }
  })
})
