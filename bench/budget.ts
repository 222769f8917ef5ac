// `timeoutMs` is a matcher's whole budget: wall time over timeoutMs for each matcher on a model that cannot finish in
// it, and the longest the event loop waits during a mini-batch run of 30k samples.
import * as tf from '@tensorflow/tfjs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { checks, diagnose, type CheckResult } from '../src/index.js'
import { count } from '../src/format.js'
import { openSession } from '../src/run.js'
import { linear, pair } from './matchers.js'
import { ms, table } from './stats.js'

const TIMEOUT_MS = 2000
const NEVER = 1e9 // epochs: only the budget stops these runs

const twoPoints = { x: [[-1], [1]], y: [1, 0] }
const twoPointsColumn = { x: [[-1], [1]], y: [[1], [0]] }
/** A logistic unit so slow (lr 1e-6) that it never reaches an overfit goal. */
const crawling = (): tf.LayersModel => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
  m.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.sgd(1e-6) })
  return m
}
/** 30k samples: in batches of 32, an epoch of several seconds on the CPU backend, so a 2 s budget ends it mid-epoch. */
const wide = (samples: number, features: number): { x: tf.Tensor2D; y: tf.Tensor2D } => {
  const x = tf.tidy(() => tf.sin(tf.mul(tf.range(0, samples * features), 0.37)).reshape([samples, features]) as tf.Tensor2D)
  const y = tf.tidy(() => tf.cast(tf.greater(tf.sum(x, 1, true), 0), 'float32') as tf.Tensor2D)
  return { x, y }
}
const mlp = (features: number) => (): tf.LayersModel => {
  const m = tf.sequential({
    layers: [tf.layers.dense({ units: 32, activation: 'relu', inputShape: [features] }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
  })
  m.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(1e-4) })
  return m
}

const runs: [string, () => Promise<CheckResult | { record: CheckResult['record'] }>][] = [
  ['toOverfitTinyDataset', () => checks.overfit(crawling, twoPoints, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['toTrainAcrossSeeds', () => checks.acrossSeeds(crawling, twoPoints, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['toBeScaleInvariant', () => checks.scaleInvariance(linear, pair, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['toTolerateLearningRates', () => checks.learningRates(crawling, twoPoints, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['toSurviveReducedPrecision', () => checks.reducedPrecision(crawling, twoPoints, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['toTrainDeterministically', () => checks.determinism(crawling, twoPoints, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['toTrainConsistentlyAcrossBackends', () => checks.consistentAcrossBackends(crawling, twoPointsColumn, { backends: ['cpu', 'cpu'], maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['toGeneralize', () => checks.generalization(crawling, { train: twoPoints, validation: twoPoints }, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  // Labels 1, 0, 1 on a line: no linear unit beats the majority class, so the run goes on until the budget ends it.
  ['toBeatBaseline', () => checks.beatsBaseline(crawling, { x: [[-1], [0], [1]], y: [1, 0, 1] }, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
  ['diagnose', () => diagnose(crawling, twoPoints, { maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })],
]

export async function budgetBench(): Promise<void> {
  const rows: string[][] = []
  for (const [name, run] of runs) {
    const start = performance.now()
    const result = await run()
    const ratio = (performance.now() - start) / TIMEOUT_MS
    const said = 'message' in result ? (/stopped by the \d+ ms budget/.test(result.message as string) ? 'yes' : 'NO') : '-'
    rows.push([name, ratio.toFixed(2), said, ratio <= 1.5 ? 'ok' : 'over 1.5×'])
  }
  // Epochs longer than the budget (30k samples in batches of 32): the budget must end the run between two steps.
  const big = wide(30_000, 20)
  try {
    const session = await openSession(mlp(20), { batchSize: 32 })
    await session.run({ dataset: big, maxEpochs: 0, timeoutMs: TIMEOUT_MS }) // warm-up: the first run compiles kernels
    const begin = performance.now()
    const outcome = await session.run({ dataset: big, maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })
    const whole = (performance.now() - begin) / TIMEOUT_MS
    const training = outcome.record.elapsedMs / TIMEOUT_MS
    const label = `30k × 20, batch 32 (${count(outcome.record.epochs, 'epoch')}, ${outcome.steps} steps)`
    rows.push([`${label}: training`, training.toFixed(2), '-', training <= 1.5 ? 'ok' : 'over 1.5×'])
    rows.push([`${label}: whole run (+ accuracy, data statistics)`, whole.toFixed(2), '-', whole <= 1.5 ? 'ok' : 'over 1.5×'])
    const start = performance.now()
    const result = await checks.overfit(mlp(20), big, { batchSize: 32, maxEpochs: NEVER, timeoutMs: TIMEOUT_MS })
    const ratio = (performance.now() - start) / TIMEOUT_MS
    rows.push([`toOverfitTinyDataset, 30k × 20, batch 32 (${count(result.record.epochs, 'epoch')}; probes on 1024 of the samples)`, ratio.toFixed(2), /stopped by the \d+ ms budget/.test(result.message) ? 'yes' : 'NO', ratio <= 1.5 ? 'ok' : 'over 1.5×'])
  } finally {
    tf.dispose([big.x, big.y])
  }
  console.log(`\nWall time of a matcher over its timeoutMs (${TIMEOUT_MS} ms) on a model the budget must stop, backend cpu`)
  table(['matcher', 'wall / timeoutMs', 'says budget', 'target ≤ 1.5×'], rows)
  await eventLoopBlock()
}

/** Watches the event loop from start() to stop(): the longest delay perf_hooks saw, and the longest gap of a 10 ms interval. */
function blockWatch(): { start(): void; stop(): [number, number] } {
  const histogram = monitorEventLoopDelay({ resolution: 10 })
  let last = 0
  let worstGap = 0
  let probe: ReturnType<typeof setInterval> | undefined
  return {
    start() {
      last = performance.now()
      probe = setInterval(() => {
        const now = performance.now()
        worstGap = Math.max(worstGap, now - last)
        last = now
      }, 10)
      histogram.enable()
    },
    stop() {
      histogram.disable()
      clearInterval(probe)
      // The stretch since the last tick counts too.
      return [histogram.max / 1e6, Math.max(worstGap, performance.now() - last)]
    },
  }
}

/**
 * Event-loop blocks during mini-batch training of 30k samples: the training loop (from the first step to the end of the
 * epoch), the whole run (setup, training, final accuracy and data statistics), and a whole matcher, whose probes read
 * a fixed sample of 1024 rows before and after training.
 */
async function eventLoopBlock(): Promise<void> {
  const rows: string[][] = []
  const data = wide(30_000, 20)
  const row = (label: string, [delay, gap]: [number, number]): void => {
    rows.push([label, ms(delay), ms(gap), Math.max(delay, gap) <= 100 ? 'ok' : 'over 100 ms'])
  }
  try {
    const session = await openSession(mlp(20), { batchSize: 32 })
    await session.run({ dataset: data, maxEpochs: 0, timeoutMs: 60_000 }) // warm-up: the first run compiles kernels
    const loop = blockWatch()
    let during: [number, number] = [0, 0]
    await session.run({
      dataset: data, maxEpochs: 1, timeoutMs: 60_000,
      before: () => loop.start(),
      goal: () => ((during = loop.stop()), false),
    })
    row('training loop: 1 epoch, 938 steps', during)
    const run = blockWatch()
    run.start()
    await session.run({ dataset: data, maxEpochs: 1, timeoutMs: 60_000 })
    row('whole run: setup, 1 epoch, accuracy, data statistics', run.stop())
    const matcher = blockWatch()
    matcher.start()
    await checks.overfit(mlp(20), data, { batchSize: 32, maxEpochs: 1, timeoutMs: 60_000 })
    row('toOverfitTinyDataset: the run and its probes', matcher.stop())
  } finally {
    tf.dispose([data.x, data.y])
  }
  console.log('\nLongest event-loop block during mini-batch training on 30k × 20 in batches of 32, backend cpu (ms)')
  table(['what', 'monitorEventLoopDelay max', 'interval gap max', 'target ≤ 100 ms'], rows)
}
