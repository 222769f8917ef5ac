import { expect, test } from 'vitest'
import { logistic, mlp, xor } from '../models.js'

test('b1 the mlp reduces its loss', async () => {
  await expect(mlp(8)).toReduceLossMonotonically(xor, { maxEpochs: 30 })
})
test('b2 the slow logistic model starts near chance but does not train', async () => {
  await expect(logistic(1e-4)).toReduceLossMonotonically({ x: [[-1], [1]], y: [1, 0] }, { maxEpochs: 30 })
})
