import { checks } from 'trainability'
import { matchers } from 'trainability/vitest'
import { describe, expect, test } from 'vitest'
import { curvesSvg } from '../src/report/curves-svg.js'
import { logisticUnit, twoPoints } from './fixtures/models.js'

// In-process: what the vitest entry attaches, including through vitest 3.2–4.0.10, whose matchers get no `this.task`.
const bare = { isNot: false, utils: { matcherHint: () => 'hint' } }
const slow = [logisticUnit(1e-4), twoPoints, { maxEpochs: 12, lossBelow: 0.05, verify: false }] as const

describe('the vitest entry attaches curves', () => {
  test('to the current test when the matcher has no this.task (vitest before 4.0.11), and the SVG is the renderer\'s', async ({ task }) => {
    const result = await matchers.toOverfitTinyDataset.call(bare, ...slow)
    expect(result.pass).toBe(false)
    expect(task.annotations.map((a) => a.type)).toStrictEqual(['trainability curves'])
    const svg = Buffer.from(String(task.annotations[0]!.attachment!.body), 'base64').toString('utf8')
    expect(svg).toBe(curvesSvg((await checks.overfit(...slow)).curves!))
  })

  test.concurrent('to nothing in a concurrent test without this.task: the current test may be another one', async ({ task }) => {
    await matchers.toOverfitTinyDataset.call(bare, ...slow)
    expect(task.annotations).toStrictEqual([])
  })
})

describe('TRAINABILITY_CURVES', () => {
  test('an unknown value is a RangeError naming the variable, the value and the valid ones', async () => {
    process.env.TRAINABILITY_CURVES = 'sometimes'
    try {
      await expect(matchers.toOverfitTinyDataset.call(bare, ...slow)).rejects.toThrow(
        new RangeError(`TRAINABILITY_CURVES must be one of 'failures', 'always', 'never', received "sometimes"; e.g. TRAINABILITY_CURVES=always`),
      )
    } finally {
      delete process.env.TRAINABILITY_CURVES
    }
  })
})
