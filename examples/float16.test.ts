// simplest-binary-classification-thread.md, the float16 half: the same unit trained in float16 stops short.
// Updates smaller than half a float16 step round away; a higher learning rate pushes the plateau out.
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { checks } from 'trainability'
import { oneNeuron, twoPoints } from './models.js'

// 1200 epochs decide both: from any glorotUniform start float32 SGD at lr 0.1 meets loss < 0.01 within 1055 steps, and
// float16 is stuck at w = -4 by step 600 (test/matchers/toSurviveReducedPrecision.test.ts derives both).
const epochs = 1200

test('broken: at SGD lr 0.1 float32 overfits but float16 sticks at loss 0.01815', async () => {
  await expect(oneNeuron(0.1)).toOverfitTinyDataset(twoPoints, { maxEpochs: epochs })
  await expect(oneNeuron(0.1)).not.toSurviveReducedPrecision(twoPoints, { bits: 16, maxEpochs: epochs })
  const result = await checks.reducedPrecision(oneNeuron(0.1), twoPoints, { bits: 16, maxEpochs: epochs })
  expect(result.message).toMatch(/float16: reached 0\.01815/)
  expect(result.message).toMatch(/1\. C12 reduced precision blocks convergence/)
})

test('fixed: at lr 1 float16 reaches the goal too', async () => {
  await expect(oneNeuron(1)).toSurviveReducedPrecision(twoPoints, { bits: 16 })
})
