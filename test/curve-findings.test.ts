import { checks } from 'trainability'
import { expect, test } from 'vitest'
import { logisticUnit, twoPoints } from './fixtures/models.js'

test('an overfit run still falling at the end of its budget names C6 with the slope', async () => {
  const result = await checks.overfit(logisticUnit(1e-3), twoPoints)
  expect(result.pass).toBe(false)
  expect(result.findings[0]).toMatchObject({ id: 'C6', title: 'learning rate too low or too few epochs' })
  expect(result.message).toMatch(/1\. C6 learning rate too low or too few epochs: loss still falling when training stopped: −[\d.]+% over the last 100 epochs, [\d.]+ at epoch 500 at lr 0\.001 \(try lr 0\.003, or raise maxEpochs\)/)
})
