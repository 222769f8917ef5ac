import { expect, test } from 'vitest'
import { logistic } from '../../shard/models.js'

test('fails: the slow logistic model does not overfit', async () => {
  await expect(logistic(1e-4)).toOverfitTinyDataset({ maxEpochs: 20, lossBelow: 0.05, verify: false })
})
test('passes: the logistic model overfits', async () => {
  await expect(logistic(1)).toOverfitTinyDataset({ maxEpochs: 200, lossBelow: 0.05 })
})
test('passes under .not: the slow model does not overfit', async () => {
  await expect(logistic(1e-4)).not.toOverfitTinyDataset({ maxEpochs: 20, lossBelow: 0.05 })
})
