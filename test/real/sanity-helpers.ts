// Plain tfjs helpers for sanity.test.ts: no trainability here, only model.fit / optimizer.minimize.
import * as tf from '@tensorflow/tfjs'
import { rng } from './models/common.js'

/**
 * Runs `fn` with Math.random replaced by a seeded generator: tfjs initializers without a seed draw their
 * seed from Math.random, so the weights (and the examples' own Math.random calls) repeat run to run.
 */
export function withMathRandom<T>(seed: number, fn: () => T): T {
  const original = Math.random
  Math.random = rng(seed)
  try {
    return fn()
  } finally {
    Math.random = original
  }
}

export interface FitOutcome {
  first: number
  last: number
  /** Lowest epoch loss seen. */
  best: number
  /** Training accuracy at the end (argmax over the last axis, or > 0.5 for one output), NaN for regression. */
  accuracy: number
  finite: boolean
}

/** Builds the model under a seed, fits it full-batch (or `batchSize`) for `epochs`, and reads the outcome. */
export async function fitOutcome(
  build: () => tf.LayersModel,
  data: { x: tf.Tensor | number[] | number[][] | number[][][] | number[][][][]; y: tf.Tensor | number[] | number[][] | number[][][] },
  options: { epochs: number; batchSize?: number; seed?: number; classify?: boolean; labels?: number[][] | number[][][] },
): Promise<FitOutcome> {
  const model = withMathRandom(options.seed ?? 1, build)
  const x = data.x instanceof tf.Tensor ? data.x : tf.tensor(data.x as number[])
  const y = data.y instanceof tf.Tensor ? data.y : tf.tensor(data.y as number[])
  try {
    const n = x.shape[0]!
    const history = await model.fit(x, y, { epochs: options.epochs, batchSize: options.batchSize ?? n, shuffle: false, verbose: 0 })
    const losses = history.history.loss as number[]
    let accuracy = Number.NaN
    if (options.classify !== false) {
      accuracy = tf.tidy(() => {
        const p = model.predict(x) as tf.Tensor
        const truth = options.labels !== undefined ? tf.tensor(options.labels as number[][]) : y
        if (p.shape[p.shape.length - 1] === 1) {
          const predicted = tf.greater(p, 0.5)
          const actual = tf.greater(truth, 0.5)
          return tf.mean(tf.cast(tf.equal(predicted, actual), 'float32')).dataSync()[0]!
        }
        return tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(truth, -1)), 'float32')).dataSync()[0]!
      })
    }
    return {
      first: losses[0]!,
      last: losses[losses.length - 1]!,
      best: Math.min(...losses.filter(Number.isFinite)),
      accuracy,
      finite: losses.every(Number.isFinite),
    }
  } finally {
    model.dispose()
    if (!(data.x instanceof tf.Tensor)) x.dispose()
    if (!(data.y instanceof tf.Tensor)) y.dispose()
  }
}

/** What model.fit says when it refuses the data (tfjs checks targets against the loss), or undefined. */
export async function fitError(build: () => tf.LayersModel, data: { x: unknown; y: unknown }): Promise<string | undefined> {
  const model = withMathRandom(1, build)
  const x = tf.tensor(data.x as number[])
  const y = tf.tensor(data.y as number[])
  try {
    await model.fit(x, y, { epochs: 1, verbose: 0 })
    return undefined
  } catch (error) {
    return (error as Error).message
  } finally {
    model.dispose()
    x.dispose()
    y.dispose()
  }
}
