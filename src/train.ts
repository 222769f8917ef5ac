import * as tf from '@tensorflow/tfjs'
import { rangeError, typeError } from './errors.js'
import type { SeedScope } from './seed.js'
import type { Trainee } from './subject.js'
import type { StopReason } from './types.js'

export interface Progress {
  epoch: number
  loss: number
  losses: readonly number[]
}

export interface TrainSettings {
  maxEpochs: number
  timeoutMs: number
  /** Mini-batch size; the whole dataset when absent. */
  batchSize?: number
  /** Returns true when the check's goal is met, `'observer'` when an observer stopped the run; training stops there. */
  goal?: (progress: Progress) => boolean | 'observer'
  /** Sees the gradients of each epoch's last step before they are applied (probes). */
  onGradients?: (epoch: number, grads: tf.NamedTensorMap) => void
}

export interface TrainResult {
  losses: number[]
  stoppedBy: StopReason
  elapsedMs: number
}

// Longest stretch of synchronous training before the event loop gets a turn (timers, test runner RPC).
const YIELD_EVERY_MS = 50

/** The seeded training loop: one optimizer step per batch, one loss per epoch, bounded by epochs and wall clock. */
export async function train(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, settings: TrainSettings, scope: SeedScope): Promise<TrainResult> {
  const n = x.shape[0]!
  // The batch loop steps by batchSize: 0, a negative or NaN step would spin forever, a fraction would slice oddly.
  if (settings.batchSize !== undefined && !(Number.isInteger(settings.batchSize) && settings.batchSize >= 1)) {
    throw rangeError(`options.batchSize must be a positive integer, received ${String(settings.batchSize)}; pass e.g. { batchSize: 32 }`)
  }
  const batchSize = Math.min(settings.batchSize ?? n, n)
  const losses: number[] = []
  const start = performance.now()
  let lastYield = start
  let stoppedBy: StopReason = 'maxEpochs'
  for (let epoch = 1; epoch <= settings.maxEpochs; epoch++) {
    const inspect = settings.onGradients && ((grads: tf.NamedTensorMap) => settings.onGradients!(epoch, grads))
    const loss = batchSize === n ? step(trainee, x, y, inspect) : miniBatchEpoch(trainee, x, y, batchSize, scope, inspect)
    losses.push(loss)
    // The goal (and the observers behind it) sees a non-finite epoch too: probes name what overflowed.
    const reached = settings.goal?.({ epoch, loss, losses }) ?? false
    if (!Number.isFinite(loss)) {
      stoppedBy = 'nonFinite'
      break
    }
    if (reached !== false) {
      stoppedBy = reached === true ? 'goal' : reached
      break
    }
    const now = performance.now()
    if (now - start > settings.timeoutMs) {
      stoppedBy = 'timeout'
      break
    }
    if (now - lastYield > YIELD_EVERY_MS) {
      await scope.unseeded(() => new Promise<void>((resolve) => setImmediate(resolve)))
      lastYield = performance.now()
    }
  }
  return { losses, stoppedBy, elapsedMs: performance.now() - start }
}

/** One optimizer step; the same work as `optimizer.minimize`, with the gradients visible to a probe. */
function step(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, inspect?: (grads: tf.NamedTensorMap) => void): number {
  const { value: cost, grads } = gradientsOf(trainee, x, y)
  try {
    inspect?.(grads)
    trainee.optimizer.applyGradients(grads)
    if (trainee.afterStep) tf.tidy(() => trainee.afterStep!()) // a constraint's temporaries are ours to free
    return cost.dataSync()[0]!
  } finally {
    tf.dispose(grads)
    cost.dispose()
  }
}

/**
 * The loss and its gradients. A loss that throws leaves behind what tfjs's gradient tape saved for the backward pass, and
 * one that does not depend on the variables gets a bare Error and leaks its value: both are freed here.
 */
function gradientsOf(trainee: Trainee, x: tf.Tensor, y: tf.Tensor): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.tidy(() => trainee.optimizer.computeGradients(() => trainee.loss(x, y), trainee.variables) as unknown as tf.TensorContainer) as never
  } catch (error) {
    releaseTape()
    if (!/Cannot find a connection between any variable and the result of the loss/.test((error as Error)?.message)) throw error
    throw typeError(trainee.info.kind === 'custom'
      ? "the custom trainable's loss(x, y) does not depend on its variables: compute it from predict(x), e.g. tf.losses.meanSquaredError(y, predict(x))"
      : `the loss function (options.loss, subject.compile.loss or the model's compile) does not depend on the model's weights: ` +
        'it must compute from the prediction it is given, e.g. (yTrue, yPred) => tf.losses.meanSquaredError(yTrue, yPred)')
  }
}

/** Frees the tensors an aborted forward pass saved on tfjs's gradient tape (kept clones, which tfjs frees only after a backward pass). */
function releaseTape(): void {
  const state = (tf.engine() as unknown as { state?: { gradientDepth: number; activeTape: { saved?: tf.Tensor[] }[] | null } }).state
  if (!state || state.gradientDepth !== 0 || !state.activeTape) return
  for (const node of state.activeTape) tf.dispose(node.saved ?? [])
  state.activeTape = null
}

function miniBatchEpoch(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, batchSize: number, scope: SeedScope, inspect?: (grads: tf.NamedTensorMap) => void): number {
  const n = x.shape[0]!
  const order = new Int32Array(n).map((_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(scope.random() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  let total = 0
  for (let startAt = 0; startAt < n; startAt += batchSize) {
    const idx = order.subarray(startAt, Math.min(startAt + batchSize, n))
    const [bx, by] = tf.tidy(() => {
      const indices = tf.tensor1d(idx, 'int32')
      return [tf.gather(x, indices), tf.gather(y, indices)]
    })
    try {
      const last = startAt + batchSize >= n
      total += step(trainee, bx, by, last ? inspect : undefined) * idx.length
    } finally {
      tf.dispose([bx, by])
    }
  }
  return total / n
}
