import * as tf from '@tensorflow/tfjs'
import { checks, type CustomTrainable } from 'trainability'
import { describe, expect, test } from 'vitest'
import { iris, irisModel } from '../fixtures/iris.js'
import { handWrittenLogistic, twoPointsColumn } from '../fixtures/models.js'
import { corpusCase, corpusNotCase, type CorpusCase } from '../fixtures/corpus-cases.js'
import { healthy } from '../fixtures/corpus.js'

/** always-predicts-same-class.md's hand-written logistic regression, its bias created with `trainable` as given. */
const logistic = (biasTrainable: boolean, extra?: tf.Variable[]) => (): CustomTrainable => {
  const w = tf.variable(tf.randomNormal([1, 1], 0, 0.1), true, 'w')
  const b = tf.variable(tf.zeros([1]), biasTrainable, 'b')
  const predict = (x: tf.Tensor): tf.Tensor => tf.sigmoid(tf.add(tf.matMul(x as tf.Tensor2D, w), b))
  return {
    variables: [w, b, ...(extra ?? [])],
    predict,
    loss: (x, y) => tf.tidy(() => {
      const p = tf.clipByValue(predict(x), 1e-7, 1 - 1e-7)
      return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar
    }),
    inputShape: [1],
    outputUnits: 1,
  }
}
const shifted = { x: [[-1], [0], [1], [2]], y: [1, 1, 0, 0] } // needs the bias: the boundary sits at 0.5

const custom = healthy.find((s) => s.name.startsWith('custom'))!
const corpus: CorpusCase = {
  matcher: 'toUpdateAllTrainableWeights', check: checks.updateAllTrainableWeights as CorpusCase['check'], id: 'C15',
  rule: /^expected model to update every trainable weight, and no frozen one, within 5 steps$/m,
  numbers: /2 of 3 trainable variables changed after 5 steps/,
  cause: /1\. C15 trainable weights never change: variables\[2\] unchanged after 5 steps; no gradient reaches variables\[2\]/,
  healthy: custom,
}

describe('.toUpdateAllTrainableWeights', () => {
  corpusCase(corpus)

  test('passes when the hand-written logistic regression updates both its variables', async () => {
    await expect(handWrittenLogistic).toUpdateAllTrainableWeights(twoPointsColumn, { learningRate: 0.1 })
  })

  test('fails when a bias is created with tf.variable(value, false), listed in variables and used by the loss: C15 naming it', async () => {
    const result = await checks.updateAllTrainableWeights(logistic(false), shifted, { learningRate: 0.1 })
    expect(result.pass).toBe(false)
    expect(result.findings[0]?.id).toBe('C15')
    expect(result.message).toMatch(/1 of 1 trainable variables changed after 5 steps/)
    expect(result.message).toMatch(/non-trainable but listed in variables and used by the loss: b$/m)
    expect(result.message).toMatch(/1\. C15 listed variables can never learn: the loss depends on b, listed in variables but created non-trainable \(tf\.variable\(value, false\)\), so no optimizer updates it \(create it with tf\.variable\(value\)/)
    await expect(logistic(false)).not.toUpdateAllTrainableWeights(shifted, { learningRate: 0.1 })
  })

  test('passes when a non-trainable step counter the loss does not use is listed: state, not a defect', async () => {
    await expect(logistic(true, [tf.variable(tf.scalar(0), false, 'step')])).toUpdateAllTrainableWeights(shifted, { learningRate: 0.1 })
  })

  test('fails when a trainable variable is unused by the loss: C15, no gradient reaches it', async () => {
    const result = await checks.updateAllTrainableWeights(logistic(true, [tf.variable(tf.zeros([1]), true, 'unused')]), shifted, { learningRate: 0.1 })
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/1\. C15 trainable weights never change: unused unchanged after 5 steps; no gradient reaches unused/)
  })

  test("passes when iris has its first layer frozen on purpose (layer.trainable = false): a layers model's frozen weights are deliberate", async () => {
    const frozenFirst = (): tf.LayersModel => {
      const model = irisModel()
      model.layers[0]!.trainable = false
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' })
      return model
    }
    await expect(frozenFirst).toUpdateAllTrainableWeights(iris(5))
  })
})

describe('.not.toUpdateAllTrainableWeights', () => {
  corpusNotCase(corpus)
})
