// always-predicts-same-class.md: the network answers the same class for every input.
// The diagnosis there: the learning rate is too high; lower it and the outputs depend on the input again.
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { checks } from 'trainability'
import { reluNet, twoSides } from './models.js'

test('broken: at SGD lr 50 the loss jumps up and every input gets the same prediction', async () => {
  await expect(reluNet(50)).not.toReduceLossMonotonically(twoSides)
  const result = await checks.dependOnInput(reluNet(50), twoSides)
  expect(result.pass).toBe(false)
  expect(result.message).toMatch(/output spread 0, mean ‖∂output\/∂input‖₁ 0 per output unit, 1 distinct predicted class/)
})

test('fixed: at lr 0.1 the loss falls every epoch and the predictions follow the input', async () => {
  await expect(reluNet(0.1)).toReduceLossMonotonically(twoSides)
  await expect(reluNet(0.1)).toDependOnInput(twoSides)
})
