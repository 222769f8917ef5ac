// simplest-binary-classification-thread.md, the float16 half: the same unit trained in float16 stops short.
// Updates smaller than half a float16 step round away; a higher learning rate pushes the plateau out.
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { checks } from 'trainability'
import { oneNeuron, twoPoints } from './models.js'

test('broken: at SGD lr 0.1 float32 overfits but float16 sticks at loss 0.01815', async () => {
  await expect(oneNeuron(0.1)).toOverfitTinyDataset(twoPoints, { maxEpochs: 2000 })
  await expect(oneNeuron(0.1)).not.toSurviveReducedPrecision(twoPoints, { bits: 16, maxEpochs: 2000 })
  const result = await checks.reducedPrecision(oneNeuron(0.1), twoPoints, { bits: 16, maxEpochs: 2000 })
  expect(result.message).toMatch(/float16: reached 0\.01815/)
  expect(result.message).toMatch(/1\. C12 reduced precision blocks convergence/)
})

test('fixed: at lr 1 float16 reaches the goal too', async () => {
  await expect(oneNeuron(1)).toSurviveReducedPrecision(twoPoints, { bits: 16 })
})
