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
