// What the vitest attachment (issue 14) adds to a failing matcher: rendering its curves as an SVG and encoding it, next
// to the check's own time. A passing assertion renders nothing unless TRAINABILITY_CURVES=always (matchers/vitest.ts).
// With trainability/reporter, each assertion also builds its report entry (JSON for vitest's task meta or a jest line
// file); without the reporter nothing is built. vitest's own cost of storing either is outside this process.
import * as tf from '@tensorflow/tfjs'
import { acrossSeeds } from '../src/checks/seeds.js'
import { overfit } from '../src/checks/overfit.js'
import { curvesSvg } from '../src/report/curves-svg.js'
import { reportEntry } from '../src/report/entry.js'
import type { CheckResult } from '../src/types.js'
import { median, ms, table } from './stats.js'
import { data, net } from './verify.js' // the diverging tanh MLP verification is benched on

export async function curvesCost(rounds: number): Promise<void> {
  const cases: [string, () => Promise<CheckResult>][] = [
    ['toOverfitTinyDataset, failing (1 curve, 500 epochs)', () => overfit.check(net(3), data, { maxEpochs: 500, verify: false })],
    ['toTrainAcrossSeeds, failing (5 curves)', () => acrossSeeds.check(net(3), data, { maxEpochs: 200, verify: false })],
  ]
  const rows: string[][] = []
  for (const [name, run] of cases) {
    const check: number[] = []
    const attach: number[] = []
    const entry: number[] = []
    let bytes = 0
    let entryBytes = 0
    for (let r = 0; r < rounds; r++) {
      const start = performance.now()
      const result = await run()
      check.push(performance.now() - start)
      const at = performance.now()
      const body = Buffer.from(curvesSvg(result.curves!)).toString('base64')
      attach.push(performance.now() - at)
      bytes = body.length
      const et = performance.now()
      const line = JSON.stringify(reportEntry('matcher', result, true, false))
      entry.push(performance.now() - et)
      entryBytes = line.length
    }
    rows.push([name, ms(median(check)), ms(median(attach)), (median(attach) / median(check)).toFixed(4), `${(bytes / 1024).toFixed(1)} KB`, ms(median(entry)), `${(entryBytes / 1024).toFixed(1)} KB`])
  }
  console.log(`\nCurves attachment (render + base64) and report entry (build + JSON) on a failing matcher, backend ${tf.getBackend()}, median of ${rounds}`)
  table(['check', 'check ms', 'attachment ms', 'ratio', 'base64 size', 'report entry ms', 'entry size'], rows)
}
