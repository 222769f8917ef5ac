// Wall time of a 25-run fast-check property (overfit a scaled, shifted, outlier-laden separable dataset
// after robust scaling), on the one-unit model and on a 2×16 MLP. Target: under 10 s each on the CPU backend.
import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import * as arbitraries from '../src/arbitraries/index.js'
import { checks, scalers } from '../src/index.js'
import { median, ms, table } from './stats.js'

const unit = (): tf.LayersModel => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] })
  m.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.adam(1) })
  return m
}
const mlp = (): tf.LayersModel => {
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, activation: 'relu', inputShape: [2] }),
      tf.layers.dense({ units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  })
  m.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.adam(0.05) })
  return m
}

const data = arbitraries.withOutliers(
  arbitraries.scaled(arbitraries.shifted(arbitraries.linearlySeparable({ features: 2, samples: { min: 8, max: 16 } }))),
  { fraction: 0.1 },
)

export async function propertyTimes(rounds: number, numRuns = 25): Promise<void> {
  const rows: string[][] = []
  for (const [name, model] of [['1-unit logistic', unit], ['2×16 MLP', mlp]] as const) {
    const times: number[] = []
    let failures = 0
    let epochs = 0
    let runs = 0
    for (let r = 0; r < rounds; r++) {
      const start = performance.now()
      const result = await fc.check(fc.asyncProperty(data, async (d) => {
        const check = await checks.overfit({ model, preprocess: scalers.robust() }, d, { maxEpochs: 300, lossBelow: 0.3 })
        epochs += check.record.epochs
        runs++
        return check.pass
      }), { numRuns, seed: 1 + r, endOnFailure: true }) // time the runs, not a shrink
      times.push(performance.now() - start)
      if (result.failed) failures++
    }
    rows.push([name, String(numRuns), ms(median(times)), ms(median(times) / numRuns), (epochs / Math.max(runs, 1)).toFixed(1), `${failures}/${rounds}`])
  }
  console.log(`\n${numRuns}-run property: overfit scaled/shifted/outlier datasets after scalers.robust() (backend ${tf.getBackend()}, median of ${rounds})`)
  table(['model', 'runs', 'median ms', 'ms / run', 'mean epochs', 'failed rounds'], rows)
}
