// Plain tfjs training and judging for the sanity test: nothing of trainability's but `withSeed`.
import * as tf from '@tensorflow/tfjs'
import { withSeed } from '../../src/seed.js'
import type { CustomTrainable } from '../../src/types.js'
import { isCustom, type Setup, type Truth } from './case.js'
import { mean, variance } from './data.js'

/**
 * The criterion, the same for every case (broken, fixed and healthy alike). A setup WORKS when, after its budget of
 * epochs (or earlier, once the training loss is below 1e-4 and there is nothing left to learn):
 *
 * 1. the last training loss is finite and so is every prediction;
 * 2. on the training set, and on the validation set when there is one, its predictions read as the user meant them
 *    (`Truth`) beat the input-independent predictor by half its error: accuracy ≥ m + (1 − m)/2 where m is the
 *    majority class's share (0.75 on balanced binary data), or mean squared error ≤ var(targets)/2 (R² ≥ 0.5);
 * 3. a sample's prediction does not depend on the other samples of its batch: predicted alone, each of the first
 *    four samples gets what it got within the whole set, to 1e-4 relative.
 *
 * A setup whose claim is about fitting its training set exactly (`criterion: 'fits'`: a model too small or too
 * symmetric for XOR still gets 3 of its 4 quadrants right, reduced precision stalls a loss near, not at, its optimum)
 * must instead reach what `toOverfitTinyDataset` asks: 100% training accuracy, or a training mean squared error ≤ 1%
 * of var(targets); 1 and 3 hold as above, and a validation set, if any, is judged as in 2.
 *
 * A broken case's bug must make it fail and its fix must make it pass; a healthy case must pass.
 */
export interface Verdict {
  works: boolean
  /** Why not, or the numbers that show it worked. */
  detail: string
  epochs: number
}

const SEED = 42
const DONE_LOSS = 1e-4
const INDEPENDENCE_SAMPLES = 4
const INDEPENDENCE_TOLERANCE = 1e-4

export async function runPlain(setup: Setup): Promise<Verdict> {
  return withSeed(SEED, async () => {
    const subject = setup.build()
    const x = tf.tensor(setup.train.x as number[])
    const y = tf.tensor(setup.train.y as number[])
    const optimizer = isCustom(subject) ? setup.optimizer?.() : undefined
    if (isCustom(subject) && !optimizer) throw new TypeError('a custom trainable case needs setup.optimizer')
    let epochs = 0
    try {
      let last = NaN
      const n = x.shape[0]!
      const size = Math.min(setup.batchSize ?? n, n)
      for (epochs = 1; epochs <= setup.maxEpochs; epochs++) {
        for (let start = 0; start < n; start += size) {
          const take = Math.min(size, n - start)
          const xb = take === n ? x : x.slice(start, take)
          const yb = take === n ? y : y.slice(start, take)
          last = isCustom(subject) ? customStep(subject, optimizer!, xb, yb) : await layersStep(subject, xb, yb)
          if (xb !== x) tf.dispose([xb, yb])
        }
        if (!Number.isFinite(last) || last < DONE_LOSS) break
      }
      epochs = Math.min(epochs, setup.maxEpochs)
      if (!Number.isFinite(last)) return { works: false, detail: `training loss ${last} at epoch ${epochs}`, epochs }
      return { ...judge(subject, setup, last), epochs }
    } catch (error) {
      return { works: false, detail: `training threw: ${(error as Error).message.split('\n')[0]}`, epochs }
    } finally {
      tf.dispose([x, y])
      disposeOptimizer(optimizer)
      if (!isCustom(subject)) disposeOptimizer(subject.optimizer) // compiled with an instance: the model does not own it
      if (isCustom(subject)) {
        tf.dispose(subject.variables)
        subject.dispose?.()
      } else subject.dispose()
    }
  })
}

/**
 * tfjs 4.22's MomentumOptimizer.dispose() frees its momentum scalar and accumulators but not the learning-rate
 * scalar it inherits from SGDOptimizer; free that too, so that the leak check measures this harness, not tfjs.
 */
export function disposeOptimizer(optimizer: tf.Optimizer | undefined): void {
  if (!optimizer) return
  optimizer.dispose()
  if (optimizer.getClassName() === 'Momentum') (optimizer as unknown as { c: tf.Tensor }).c.dispose()
}

async function layersStep(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const loss = await model.trainOnBatch(x, y)
  return Array.isArray(loss) ? loss[0]! : loss
}

function customStep(model: CustomTrainable, optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): number {
  const cost = optimizer.minimize(() => model.loss(x, y), true, model.variables)
  const value = cost!.dataSync()[0]!
  cost!.dispose()
  model.afterStep?.()
  return value
}

function predict(model: tf.LayersModel | CustomTrainable, x: tf.Tensor): number[][] {
  return tf.tidy(() => {
    const out = isCustom(model) ? model.predict(x) : (model.predict(x) as tf.Tensor)
    return out.reshape([out.shape[0]!, -1]).arraySync() as number[][]
  })
}

function judge(model: tf.LayersModel | CustomTrainable, setup: Setup, loss: number): Omit<Verdict, 'epochs'> {
  const parts: string[] = [`loss ${loss.toPrecision(3)}`]
  for (const [name, set] of [['train', setup.train], ['validation', setup.validation]] as const) {
    if (!set) continue
    const x = tf.tensor(set.x as number[])
    try {
      const out = predict(model, x)
      if (out.flat().some((v) => !Number.isFinite(v))) return { works: false, detail: `${name} predictions not finite` }
      const { ok, text } = meets(out, set.truth, setup.criterion === 'fits' && name === 'train' ? 'fit' : 'learn')
      parts.push(`${name} ${text}`)
      if (!ok) return { works: false, detail: parts.join(', ') }
      if (name === 'train') {
        const leak = batchDependence(model, x, out)
        if (leak) return { works: false, detail: `${parts.join(', ')}, ${leak}` }
      }
    } finally {
      x.dispose()
    }
  }
  return { works: true, detail: parts.join(', ') }
}

/** Criterion 2 on one set: `learn` removes half the chance error, `fit` all of it (1% for a regression). */
export function meets(out: number[][], truth: Truth, goal: 'learn' | 'fit' = 'learn'): { ok: boolean; text: string } {
  const share = goal === 'fit' ? 0.01 : 0.5
  if (truth.task === 'regression') {
    const k = truth.targets[0]!.length
    const mse = mean(out.map((row, i) => mean(row.slice(0, k).map((v, j) => (v - truth.targets[i]![j]!) ** 2))))
    const chance = mean(Array.from({ length: k }, (_, j) => variance(truth.targets.map((t) => t[j]!))))
    return { ok: mse <= chance * share, text: `mse ${mse.toPrecision(3)} (needs ≤ ${(chance * share).toPrecision(3)})` }
  }
  const predicted = out.map((row) =>
    truth.task === 'binary' ? (row[0]! > truth.threshold ? 1 : 0) : row.indexOf(Math.max(...row)),
  )
  const accuracy = mean(predicted.map((p, i) => (p === truth.labels[i] ? 1 : 0)))
  const counts = new Map<number, number>()
  for (const l of truth.labels) counts.set(l, (counts.get(l) ?? 0) + 1)
  const majority = Math.max(...counts.values()) / truth.labels.length
  const target = goal === 'fit' ? 1 : majority + (1 - majority) / 2
  return { ok: accuracy >= target, text: `accuracy ${accuracy.toFixed(3)} (needs ≥ ${target.toFixed(3)})` }
}

/** Criterion 3: null when independent, else what differed. */
function batchDependence(model: tf.LayersModel | CustomTrainable, x: tf.Tensor, inBatch: number[][]): string | null {
  const n = Math.min(INDEPENDENCE_SAMPLES, x.shape[0]!)
  for (let i = 0; i < n; i++) {
    const one = x.slice(i, 1)
    let alone: number[]
    try {
      alone = predict(model, one)[0]!
    } catch (error) {
      return `sample ${i} alone: ${(error as Error).message.split('\n')[0]}`
    } finally {
      one.dispose()
    }
    const within = inBatch[i]!
    const differs = alone.some((v, j) => !(Math.abs(v - within[j]!) <= INDEPENDENCE_TOLERANCE * (1 + Math.abs(within[j]!))))
    if (differs) return `sample ${i} predicted alone gives ${fmt(alone)}, within the batch ${fmt(within)}`
  }
  return null
}

const fmt = (v: number[]): string => `[${v.map((n) => n.toPrecision(3)).join(', ')}]`
