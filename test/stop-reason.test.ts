import { describe, expect, test } from 'vitest'
import { openSession } from '../src/run.js'
import { logisticUnit, twoPoints } from './fixtures/models.js'

describe("a run's stop reason", () => {
  test("an observer that stops the run is recorded as 'observer', the check's goal as 'goal'", async () => {
    const session = await openSession(logisticUnit(1), { backend: 'cpu' })
    const byObserver = await session.run({ dataset: twoPoints, maxEpochs: 50, timeoutMs: 20_000, afterEpoch: (epoch) => epoch === 3 })
    expect(byObserver.record).toMatchObject({ stoppedBy: 'observer', epochs: 3 })
    const byGoal = await session.run({ dataset: twoPoints, maxEpochs: 50, timeoutMs: 20_000, goal: ({ epoch }) => epoch === 4 })
    expect(byGoal.record).toMatchObject({ stoppedBy: 'goal', epochs: 4 })
    const byBudget = await session.run({ dataset: twoPoints, maxEpochs: 5, timeoutMs: 20_000 })
    expect(byBudget.record).toMatchObject({ stoppedBy: 'maxEpochs', epochs: 5 })
  })
})
