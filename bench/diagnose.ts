// diagnose() on a 2×64 MLP with 256 samples, and what the probes cost over plain training of the same steps.
import * as tf from '@tensorflow/tfjs'
import { probes } from '../src/probes/evidence.js'
import { openSession } from '../src/run.js'
import { diagnose } from '../src/diagnose.js'
import { median, ms, table } from './stats.js'

const build = (): tf.LayersModel => {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, activation: 'relu', inputShape: [8] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  })
  m.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.01) })
  return m
}

export async function diagnoseCost(rounds: number, epochs = 100): Promise<void> {
  const x = Array.from({ length: 256 }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin(i * 7.1 + j * 3.3)))
  const data = { x, y: x.map((r) => (r[0]! + r[1]! > 0 ? 1 : 0)) }
  const session = await openSession(build, {})
  const plain: number[] = []
  const probed: number[] = []
  const whole: number[] = []
  await session.run({ dataset: data, maxEpochs: 5, timeoutMs: 1e9 }) // warm-up
  for (let r = 0; r < rounds; r++) {
    const timed = async (withProbes: boolean): Promise<number> => {
      const start = performance.now()
      await session.run({ dataset: data, maxEpochs: epochs, timeoutMs: 1e9, observers: withProbes ? [probes().observer] : [] })
      return performance.now() - start
    }
    if (r % 2) {
      plain.push(await timed(false))
      probed.push(await timed(true))
    } else {
      probed.push(await timed(true))
      plain.push(await timed(false))
    }
    const start = performance.now()
    await diagnose(build, data)
    whole.push(performance.now() - start)
  }
  const ratio = median(probed) / median(plain)
  console.log(`\ndiagnose() and probe cost, 2×64 MLP on 256 samples, backend ${tf.getBackend()}, median of ${rounds}`)
  table(['measure', 'value', 'target'], [
    [`plain training, ${epochs} epochs`, `${ms(median(plain))} ms`, ''],
    [`same run with every probe`, `${ms(median(probed))} ms`, ''],
    ['probe cost ratio', ratio.toFixed(3), ratio <= 1.5 ? '≤ 1.5 ok' : '≤ 1.5 OVER'],
    ['diagnose() wall time', `${ms(median(whole))} ms`, ''],
  ])
}
