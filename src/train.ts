import * as tf from '@tensorflow/tfjs'
// node:timers, not the global: under a test's fake timers (vi.useFakeTimers) a yield on the faked global never resumes (see pace.ts).
import { setImmediate } from 'node:timers'
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
  /** Wall-clock budget from the start of training. */
  timeoutMs?: number
  /** Absolute end of the budget on the `performance.now()` clock (a check's deadline, setup included). */
  deadline?: number
  /** Mini-batch size; when absent, the whole dataset up to DEFAULT_BATCH samples, DEFAULT_BATCH above that. */
  batchSize?: number
  /** Returns true when the check's goal is met, `'observer'` when an observer stopped the run; training stops there. */
  goal?: (progress: Progress) => boolean | 'observer'
  /** Sees the gradients of each epoch's last step before they are applied (probes). */
  onGradients?: (epoch: number, grads: tf.NamedTensorMap) => void
  /**
   * Sees the gradients of the run's last KEPT_EPOCHS completed epochs (each epoch's last step, oldest first) once
   * training ends: a probe that needs the gradients at the end of a run need not reduce them at every epoch.
   */
  onLastGradients?: (last: readonly EpochGradients[]) => void
}

/** The gradients of one epoch's last step. */
export interface EpochGradients {
  epoch: number
  grads: tf.NamedTensorMap
}

/**
 * How many epochs' gradients onLastGradients sees: the last, and the one before it, where a gradient that went
 * non-finite with a finite loss shows (its step makes the weights, and so the next epoch's loss, non-finite).
 */
export const KEPT_EPOCHS = 2

export interface TrainResult {
  losses: number[]
  /** Samples per optimizer step: the caller's batchSize, or the default (see DEFAULT_BATCH); at most the set's size. */
  batchSize: number
  stoppedBy: StopReason
  elapsedMs: number
  /** Optimizer steps taken, those of an epoch the budget cut short included. */
  steps: number
}

/**
 * The default batch: the whole set up to 4096 samples, shuffled 4096-sample mini-batches above that. The mean gradient
 * of a batch of b samples drawn from the set has 1/√b the standard deviation of one sample's: 1/64 at 4096, so a step
 * on it is a full-batch step for every check's purposes (a curve's rise, a plateau, a gradient norm), while the memory
 * of a step (activations and tape for every sample in the batch) and its time stop growing with the set.
 */
export const DEFAULT_BATCH = 4096

// Longest stretch of synchronous training before the event loop gets a turn (timers, test runner RPC).
const YIELD_EVERY_MS = 50

/**
 * The seeded training loop: one optimizer step per batch, one loss per epoch, bounded by epochs and wall clock.
 * The clock is read before every optimizer step but the run's first (a run that took no step measured nothing), so the
 * budget ends a run between two steps, mid-epoch too; an epoch cut short leaves no loss: its mean would cover only some
 * batches. The event loop gets a turn at least every YIELD_EVERY_MS between steps.
 */
export async function train(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, settings: TrainSettings, scope: SeedScope): Promise<TrainResult> {
  const n = x.shape[0]!
  // The batch loop steps by batchSize: 0, a negative or NaN step would spin forever, a fraction would slice oddly.
  if (settings.batchSize !== undefined && !(Number.isInteger(settings.batchSize) && settings.batchSize >= 1)) {
    throw rangeError(`options.batchSize must be a positive integer, received ${String(settings.batchSize)}; pass e.g. { batchSize: 32 }`)
  }
  const batchSize = Math.min(settings.batchSize ?? DEFAULT_BATCH, n)
  const losses: number[] = []
  const start = performance.now()
  const deadline = Math.min(start + (settings.timeoutMs ?? Number.POSITIVE_INFINITY), settings.deadline ?? Number.POSITIVE_INFINITY)
  let lastYield = start
  let steps = 0
  /**
   * Before a step: false when the budget is spent. Every YIELD_EVERY_MS the event loop gets a turn first; only then is
   * the answer a promise, so the steps in between pay no await.
   */
  const mayStep = (): boolean | Promise<boolean> => {
    if (steps === 0) return true
    if (performance.now() - lastYield <= YIELD_EVERY_MS) return performance.now() <= deadline
    // Our seeded Math.random is put aside while others run (see withSeed): no other code draws from it.
    return scope.unseeded(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => {
      lastYield = performance.now()
      return lastYield <= deadline
    })
  }
  // The last epochs' gradients, held (not disposed) for onLastGradients; only the newest KEPT_EPOCHS.
  const kept: EpochGradients[] = []
  const counted = (epoch: number) => (bx: tf.Tensor, by: tf.Tensor, last: boolean): number => {
    steps++
    if (!last) return step(trainee, bx, by)
    const inspect = settings.onGradients && ((grads: tf.NamedTensorMap) => settings.onGradients!(epoch, grads))
    const keep = settings.onLastGradients && ((grads: tf.NamedTensorMap) => {
      kept.push({ epoch, grads })
      if (kept.length > KEPT_EPOCHS) tf.dispose(kept.shift()!.grads)
    })
    return step(trainee, bx, by, inspect, keep)
  }
  let stoppedBy: StopReason = 'maxEpochs'
  try {
    for (let epoch = 1; epoch <= settings.maxEpochs; epoch++) {
      let loss: number | undefined
      if (batchSize === n) {
        const may = mayStep()
        loss = (typeof may === 'boolean' ? may : await may) ? counted(epoch)(x, y, true) : undefined
      } else loss = await miniBatchEpoch(x, y, batchSize, scope, mayStep, counted(epoch))
      if (loss === undefined) {
        // An epoch the budget cut short took no last step: the kept gradients are those of completed epochs.
        stoppedBy = 'timeout'
        break
      }
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
    }
    settings.onLastGradients?.(kept)
  } finally {
    for (const { grads } of kept) tf.dispose(grads)
  }
  return { losses, batchSize, stoppedBy, elapsedMs: performance.now() - start, steps }
}

/**
 * One optimizer step; the same work as `optimizer.minimize`, with the gradients visible to a probe. `keep` takes the
 * gradients over once they are applied (it then disposes them); without it they are freed here.
 */
function step(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, inspect?: (grads: tf.NamedTensorMap) => void, keep?: (grads: tf.NamedTensorMap) => void): number {
  const { value: cost, grads } = gradientsOf(trainee, x, y)
  let kept = false
  try {
    inspect?.(grads)
    trainee.optimizer.applyGradients(grads)
    if (trainee.afterStep) tf.tidy(() => trainee.afterStep!()) // a constraint's temporaries are ours to free
    const loss = cost.dataSync()[0]!
    if (keep) {
      keep(grads)
      kept = true
    }
    return loss
  } finally {
    if (!kept) tf.dispose(grads)
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

/** One shuffled pass in batches; undefined when the budget ended it before its last batch. */
async function miniBatchEpoch(
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
  scope: SeedScope,
  mayStep: () => boolean | Promise<boolean>,
  stepOn: (bx: tf.Tensor, by: tf.Tensor, last: boolean) => number,
): Promise<number | undefined> {
  const n = x.shape[0]!
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(scope.random() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  let total = 0
  for (let startAt = 0; startAt < n; startAt += batchSize) {
    const may = mayStep()
    if (!(typeof may === 'boolean' ? may : await may)) return undefined
    const idx = order.subarray(startAt, Math.min(startAt + batchSize, n))
    const [bx, by] = tf.tidy(() => {
      const indices = tf.tensor1d(idx, 'int32')
      return [tf.gather(x, indices), tf.gather(y, indices)]
    })
    try {
      total += stepOn(bx, by, startAt + batchSize >= n) * idx.length
    } finally {
      tf.dispose([bx, by])
    }
  }
  return total / n
}
