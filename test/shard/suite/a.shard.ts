import * as tf from '@tensorflow/tfjs'
import { expect, test } from 'vitest'
import { logistic, mlp, xor } from '../models.js'

test('a1 the logistic model overfits', async () => {
  await expect(logistic(1)).toOverfitTinyDataset({ maxEpochs: 100 })
})
test('a2 the slow logistic model fails to overfit', async () => {
  tf.randomNormal([8]).dispose() // unseeded draws before a matcher must not move its run
  await expect(logistic(1e-4)).toOverfitTinyDataset({ maxEpochs: 40 })
})
test('a3 one tanh unit cannot learn xor under every seed', async () => {
  await expect(mlp(1)).toTrainAcrossSeeds(xor, { seeds: [1, 2, 3], maxEpochs: 60 })
})
