import { describe, expect, it } from 'vitest'
import { curvesOf, reportEntry } from '../../src/report/entry.js'
import { reportPage } from '../../src/report/page.js'
import type { CheckResult, TrainingRecord } from '../../src/types.js'

const record: TrainingRecord = { losses: [0.7, NaN], epochs: 2, stoppedBy: 'nonFinite', task: 'binary', backend: 'cpu', seed: 7, optimizer: 'sgd', elapsedMs: 3 }
const result: CheckResult = {
  pass: false,
  message: 'expected model to keep loss finite\nreplay: TRAINABILITY_SEED=7 TRAINABILITY_BACKEND=cpu',
  record,
  findings: [],
  curves: { curves: [{ label: 'loss', losses: [0.7, NaN, Infinity, -Infinity] }, { label: 'accuracy', losses: [0.5, 1], unit: 'share', start: 0 }], goal: { label: 'accuracy ≥ 90%', value: 0.9, unit: 'share' }, decidedEpoch: 2 },
}

describe('a report entry', () => {
  it('crosses JSON with its non-finite values, units, start and goal intact', () => {
    const entry = JSON.parse(JSON.stringify(reportEntry('toStayFinite', result, true, false)))
    expect(entry).toMatchObject({ matcher: 'toStayFinite', failed: true, negated: false, backend: 'cpu', seed: 7 })
    expect(entry.curves.curves[0].losses).toStrictEqual([0.7, 'NaN', 'Infinity', '-Infinity'])
    expect(curvesOf(entry)).toStrictEqual(result.curves)
  })

  it('falls back to the record loss when a check drew no curves', () => {
    const entry = reportEntry('toStayFinite', { ...result, curves: undefined }, true, false)
    expect(curvesOf(entry).curves).toStrictEqual([{ label: 'loss', losses: [0.7, NaN] }])
  })
})

describe('the report page', () => {
  const card = { title: 'a test', matcher: 'toStayFinite', message: 'm', curves: result.curves! }
  it('indexes the failures with links to their cards, and says when no check ran', () => {
    const page = reportPage({ heading: 'h', documentTitle: 't', verdict: '1 of 2 failed', pass: false, facts: ['x'], cards: [{ ...card, pass: true }, { ...card, title: 'b <test>', pass: false }] })
    expect(page).toContain('<ol class="failures">\n<li><a href="#check-2">b &lt;test&gt;</a>')
    expect(page).toContain('<section class="card fail" id="check-2">')
    expect(reportPage({ heading: 'h', documentTitle: 't', verdict: 'all 0 passed', pass: true, facts: [], cards: [] })).toContain('No trainability check ran.')
  })
})
