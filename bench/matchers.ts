// Wall time of each matcher's check on a healthy tiny model, start to verdict (backend set by the caller).
import * as tf from '@tensorflow/tfjs'
import { checks, scalers, type CheckResult } from '../src/index.js'
import { median, ms, table } from './stats.js'

const twoPoints = { x: [[-1], [1]], y: [1, 0] }
const logistic = (): tf.LayersModel => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  m.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.sgd(1) })
  return m
}
export const pair = { x: Array.from({ length: 32 }, (_, i) => [(i * 37) % 100, (i * 61 + 13) % 100]), y: [] as number[] }
pair.y = pair.x.map(([a, b]) => (a! > b! ? 1 : 0))
export const linear = (): tf.LayersModel => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] })
  m.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.adam(0.05) })
  return m
}

const matchers: [string, () => Promise<CheckResult>][] = [
  ['toOverfitTinyDataset', () => checks.overfit(logistic, twoPoints)],
  ['toReduceLossMonotonically', () => checks.monotonic(logistic, twoPoints)],
  ['toBeScaleInvariant', () => checks.scaleInvariance({ model: linear, preprocess: scalers.standard() }, pair)],
  ['toTrainDeterministically', () => checks.determinism(logistic, twoPoints)],
  ['toStartNearChanceLoss', () => checks.startNearChance({ model: linear, preprocess: scalers.standard() }, pair)],
  ['toUpdateAllTrainableWeights', () => checks.updateAllTrainableWeights(logistic, twoPoints)],
  ['toStayFinite', () => checks.stayFinite(logistic, twoPoints)],
  ['toHaveHealthyGradients', () => checks.healthyGradients(logistic, twoPoints)],
  ['toHaveNoDeadUnits', () => checks.noDeadUnits(logistic, twoPoints)],
  ['toDependOnInput', () => checks.dependOnInput(logistic, twoPoints)],
  ['toBeBatchIndependent', () => checks.batchIndependent(logistic, twoPoints)],
]

export async function matcherTimes(backend: 'cpu' | 'tensorflow', rounds: number): Promise<void> {
  const rows: string[][] = []
  for (const [name, run] of matchers) {
    const times: number[] = []
    let epochs = 0
    for (let r = 0; r < rounds; r++) {
      const start = performance.now()
      const result = await run()
      times.push(performance.now() - start)
      if (!result.pass) throw new Error(`bench model failed ${name}:\n${result.message}`)
      epochs = result.record.epochs
    }
    rows.push([name, String(epochs), ms(median(times)), median(times) < 500 ? 'ok' : 'over 0.5 s'])
  }
  console.log(`\nMatcher wall time on a healthy tiny model, backend ${backend}, median of ${rounds} (ms)`)
  table(['matcher', 'epochs', 'ms', 'target < 500 ms'], rows)
}
