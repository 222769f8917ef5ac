import { expect, test } from 'vitest'
import { logistic, mlp, xor } from '../models.js'

test('c1 the mlp overfits xor', async () => {
  await expect(mlp(8)).toOverfitTinyDataset(xor, { maxEpochs: 150 })
})
test('c2 the diverging logistic model stays finite', async () => {
  await expect(logistic(1e4)).toStayFinite({ x: [[-1e3], [1e3]], y: [1, 0] }, { maxEpochs: 40 })
})
