// What verification (issue 10) costs: a failing check re-runs itself with up to 3 fixes; a passing check pays nothing.
import * as tf from '@tensorflow/tfjs'
import { diagnose } from '../src/diagnose.js'
import { overfit } from '../src/checks/overfit.js'
import type { RunOptions } from '../src/types.js'
import { median, ms, table } from './stats.js'

const x = Array.from({ length: 32 }, (_, i) => [Math.sin(i * 7.1) * 1.7, Math.cos(i * 3.3) * 1.7])
export const data = { x, y: x.map(([a, b]) => [2 * a! - b!]) }

/** tanh MLP, plain SGD at `lr`: diverges at lr 3, fits at 0.1. */
export const net = (lr: number) => (): tf.LayersModel => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 1 })] })
  m.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(lr) })
  return m
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

export async function verifyCost(rounds: number): Promise<void> {
  const cases: [string, (options: RunOptions) => Promise<unknown>][] = [
    ['toOverfitTinyDataset, failing (lr 3)', (o) => overfit.check(net(3), data, { maxEpochs: 200, ...o })],
    ['diagnose(), failing (lr 3)', (o) => diagnose(net(3), data, { maxEpochs: 100, ...o })],
    ['toOverfitTinyDataset, passing (lr 0.1)', (o) => overfit.check(net(0.1), data, { maxEpochs: 300, ...o })],
  ]
  const rows: string[][] = []
  for (const [name, run] of cases) {
    await run({}) // warm-up
    const off: number[] = []
    const on: number[] = []
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so that drift in machine load falls on both sides.
      if (r % 2) {
        off.push(await timed(() => run({ verify: false })))
        on.push(await timed(() => run({})))
      } else {
        on.push(await timed(() => run({})))
        off.push(await timed(() => run({ verify: false })))
      }
    }
    const ratio = median(on) / median(off)
    rows.push([name, `${ms(median(off))} ms`, `${ms(median(on))} ms`, ratio.toFixed(2)])
  }
  console.log(`\nverification cost (verify on vs verify: false), backend ${tf.getBackend()}, median of ${rounds}`)
  table(['check', 'verify: false', 'verify on', 'ratio'], rows)
}
