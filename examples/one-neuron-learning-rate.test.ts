// simplest-binary-classification-thread.md: one linear unit, x = [-1, 1], y = [1, 0], BCE on logits.
// At the default-looking lr 1e-4 it "doesn't converge"; the thread's fix was a much higher learning rate.
import { expect, test } from 'vitest'
import 'trainability/vitest'
import { checks } from 'trainability'
import { oneNeuron, twoPoints } from './models.js'

test('stuck: at lr 1e-4 the unit cannot overfit two points, and the message says the learning rate is too low', async () => {
  await expect(oneNeuron(1e-4)).not.toOverfitTinyDataset(twoPoints)
  const result = await checks.overfit(oneNeuron(1e-4), twoPoints)
  expect(result.message).toMatch(/1\. C6 learning rate too low/)
})

test('fixed: at lr 1 it memorizes both points', async () => {
  await expect(oneNeuron(1)).toOverfitTinyDataset(twoPoints)
})
