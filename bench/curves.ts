// What the vitest attachment (issue 14) adds to a failing matcher: rendering its curves as an SVG and encoding it, next
// to the check's own time. A passing assertion renders nothing unless TRAINABILITY_CURVES=always (matchers/vitest.ts).
// vitest's own cost of storing the annotation is outside this process and not measured here.
import * as tf from '@tensorflow/tfjs'
import { acrossSeeds } from '../src/checks/seeds.js'
import { overfit } from '../src/checks/overfit.js'
import { curvesSvg } from '../src/report/curves-svg.js'
import type { CheckResult } from '../src/types.js'
import { median, ms, table } from './stats.js'

const x = Array.from({ length: 32 }, (_, i) => [Math.sin(i * 7.1) * 1.7, Math.cos(i * 3.3) * 1.7])
const data = { x, y: x.map(([a, b]) => [2 * a! - b!]) }

/** tanh MLP, plain SGD at `lr`: diverges at lr 3. */
const net = (lr: number) => (): tf.LayersModel => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 1 })] })
  m.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(lr) })
  return m
}

export async function curvesCost(rounds: number): Promise<void> {
  const cases: [string, () => Promise<CheckResult>][] = [
    ['toOverfitTinyDataset, failing (1 curve, 500 epochs)', () => overfit.check(net(3), data, { maxEpochs: 500, verify: false })],
    ['toTrainAcrossSeeds, failing (5 curves)', () => acrossSeeds.check(net(3), data, { maxEpochs: 200, verify: false })],
  ]
  const rows: string[][] = []
  for (const [name, run] of cases) {
    const check: number[] = []
    const attach: number[] = []
    let bytes = 0
    for (let r = 0; r < rounds; r++) {
      const start = performance.now()
      const result = await run()
      check.push(performance.now() - start)
      const at = performance.now()
      const body = Buffer.from(curvesSvg(result.curves!)).toString('base64')
      attach.push(performance.now() - at)
      bytes = body.length
    }
    rows.push([name, ms(median(check)), ms(median(attach)), (median(attach) / median(check)).toFixed(4), `${(bytes / 1024).toFixed(1)} KB`])
  }
  console.log(`\nCurves attachment on a failing matcher (render + base64), backend ${tf.getBackend()}, median of ${rounds}`)
  table(['check', 'check ms', 'attachment ms', 'ratio', 'base64 size'], rows)
}
