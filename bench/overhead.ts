// Harness overhead: trainability's training loop vs a plain tfjs loop doing the same optimizer steps
// on the same model and data.
import * as tf from '@tensorflow/tfjs'
import { withSeed } from '../src/seed.js'
import { resolveSubject } from '../src/subject.js'
import { train } from '../src/train.js'
import { median, ms, table } from './stats.js'

interface Case {
  name: string
  build: () => tf.LayersModel
  samples: number
  features: number
  steps: number
}

const cases: Case[] = [
  {
    name: '1-unit logistic',
    samples: 2, features: 1, steps: 2000,
    build: () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] })
      m.compile({ loss: tf.losses.sigmoidCrossEntropy as never, optimizer: tf.train.sgd(0.1) })
      return m
    },
  },
  {
    name: '2×64 MLP, 256 samples',
    samples: 256, features: 8, steps: 60,
    build: () => {
      const m = tf.sequential({
        layers: [
          tf.layers.dense({ units: 64, activation: 'relu', inputShape: [8] }),
          tf.layers.dense({ units: 64, activation: 'relu' }),
          tf.layers.dense({ units: 1 }),
        ],
      })
      m.compile({ loss: 'meanSquaredError', optimizer: tf.train.sgd(0.01) })
      return m
    },
  },
]

/** The loop a tfjs user writes by hand: minimize, read the loss, free it. */
function plainLoop(model: tf.LayersModel, optimizer: tf.Optimizer, lossFn: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor, x: tf.Tensor, y: tf.Tensor, steps: number): void {
  for (let i = 0; i < steps; i++) {
    const cost = optimizer.minimize(() => tf.mean(lossFn(y, model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, true)!
    cost.dataSync()
    cost.dispose()
  }
}

export async function overhead(rounds: number): Promise<void> {
  const rows: string[][] = []
  for (const c of cases) {
    const x = tf.randomNormal([c.samples, c.features])
    const y = tf.randomUniform([c.samples, 1]).round()
    const source = await resolveSubject(c.build, {})
    const ours: number[] = []
    const plain: number[] = []
    const runOurs = (seed: number): Promise<void> =>
      withSeed(seed, async (scope) => {
        const trainee = await source.create()
        const start = performance.now()
        await train(trainee, x, y, { maxEpochs: c.steps, timeoutMs: 1e9 }, scope)
        ours.push((performance.now() - start) / c.steps)
        trainee.dispose()
      })
    const runPlain = (seed: number): Promise<void> =>
      withSeed(seed, async () => {
        const model = c.build()
        const optimizer = model.optimizer
        const lossFn = (model as unknown as { model: { lossFunctions: ((y: tf.Tensor, p: tf.Tensor) => tf.Tensor)[] } }).model.lossFunctions[0]!
        const start = performance.now()
        plainLoop(model, optimizer, lossFn, x, y, c.steps)
        plain.push((performance.now() - start) / c.steps)
        model.dispose()
        optimizer.dispose()
      })
    await runOurs(0) // warm-up of both paths (JIT, kernel caches), not counted
    await runPlain(0)
    ours.length = 0
    plain.length = 0
    for (let r = 1; r <= rounds; r++) {
      // Alternate the order so drift on a shared machine hits both alike.
      if (r % 2) await runOurs(r).then(() => runPlain(r))
      else await runPlain(r).then(() => runOurs(r))
    }
    const ratio = median(ours) / median(plain)
    rows.push([c.name, String(c.steps), ms(median(plain)), ms(median(ours)), ratio.toFixed(3), ratio <= 1.05 ? 'ok' : 'over 1.05'])
    tf.dispose([x, y])
  }
  console.log(`\nHarness overhead, backend ${tf.getBackend()}, median of ${rounds} rounds (ms per step)`)
  table(['model', 'steps', 'plain tfjs', 'trainability', 'ratio', 'target ≤ 1.05'], rows)
}
