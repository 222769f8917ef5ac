import * as tf from '@tensorflow/tfjs'
import { chanceLoss } from '../chance.js'
import { fmt } from '../format.js'
import { stoppedAfter } from '../message.js'
import { probeRows } from '../probes/sample.js'
import { ownStandardized } from '../probes/own-scaled.js'
import { openSession, type RunContext } from '../run.js'
import { predictInSlabs } from '../slabs.js'
import type { RunOptions } from '../types.js'
import { atEpoch as at, gapFindings, twoSample, type GapCurves, type UntrainedComparison } from '../findings/generalization.js'

import { trainValidation } from './args.js'
import { defineCheck } from './define.js'

export interface GeneralizeOptions extends RunOptions {
  /** Largest validation − training loss allowed for the trained model, in the model's loss units. Replaces `maxRelativeGap`. */
  maxGap?: number
  /**
   * Largest validation − training loss allowed for the trained model, as a share of the chance loss on the training labels
   * (ln 2, ln C, var(y); the untrained model's training loss for other losses). Default 0.1.
   */
  maxRelativeGap?: number
}

/**
 * The default gap, in units of the chance loss (the loss of a model that ignores its input). toBeatBaseline asks a
 * trained model to remove at least 10% of that loss (training loss ≤ 0.9·chance); allowing validation to give back at
 * most the same 10% means a model that passes both is no worse than chance on data it has not seen. A share of chance
 * reads alike across tasks: 0.069 on a balanced binary problem (ln 2), 0.11 on iris (ln 3), about 8 on Boston housing,
 * whose prices in $1000s have var(y) ≈ 84 and a mean squared error near 22 when trained.
 */
const DEFAULT_RELATIVE_GAP = 0.1

export type { TrainValidation } from './define.js'

/**
 * A custom trainable's loss is a scalar over its batch: its per-sample losses take one call per sample, so the
 * two-sample test reads at most this many evenly spaced samples per set (its standard error uses the count read).
 */
const MAX_SINGLE_SAMPLES = 256

/**
 * C13: trained on `train`, the model does about as well on `validation`: once training ends, the validation loss
 * exceeds the training loss by at most `maxRelativeGap` (0.1) of the chance loss, or by `maxGap` in loss units when
 * given. Both are measured the same way (inference mode, without regularization, so dropout does not inflate the
 * training loss) before training and after every epoch; the message draws both learning curves and reports the widest
 * gap. On failure, two-sample tests before training (the untrained model's per-sample losses, each sample's distance
 * from the training mean) tell a data difference (C14) from overfitting (C13).
 *
 * @example
 * await expect(buildModel).toGeneralize({ train, validation }, { maxGap: 0.05, maxEpochs: 200 })
 */
export const generalization = defineCheck<GeneralizeOptions>()({
  matcher: 'toGeneralize',
  ids: ['C13'],
  dataset: 'pair',
  defaults: { maxEpochs: 100 },
  options: {
    kinds: {
      maxGap: { kind: 'number', min: 0, example: 0.1, note: 'loss units' },
      maxRelativeGap: { kind: 'number', min: 0, example: 0.1, note: 'share of the chance loss' },
    },
    exclusive: [['maxGap', 'maxRelativeGap']],
  },
  goal: 'generalize to the validation set',
  verify: true,
  async run(subject, data, options) {
    const { train, validation } = trainValidation(data, 'toGeneralize')
    const relative = options.maxGap === undefined ? options.maxRelativeGap ?? DEFAULT_RELATIVE_GAP : undefined
    let chance: number | undefined
    let untrained: UntrainedComparison = {}
    const { maxEpochs } = options
    const { timeoutMs } = options
    const session = await openSession(subject, options)
    const curves: GapCurves = { train: [], validation: [] }
    let held: ReturnType<RunContext['prepare']> | undefined
    const measure = (ctx: RunContext): void => {
      curves.train.push(evaluate(ctx, ctx.x, ctx.y))
      curves.validation.push(evaluate(ctx, held!.x, held!.y))
    }
    let outcome
    try {
      outcome = await session.run({
        dataset: train,
        maxEpochs,
        timeoutMs,
        before(ctx) {
          held = ctx.prepare(validation, 'validation')
          chance = chanceLoss(ctx.trainee.info, ctx.y)
          measure(ctx)
          untrained = untrainedComparison(ctx, held)
        },
        afterEpoch(_epoch, ctx) {
          measure(ctx)
        },
        after(ctx) {
          measure(ctx) // an epoch that ends non-finite stops the run without calling afterEpoch
          held?.dispose()
          held = undefined
        },
      })
    } finally {
      held?.dispose() // training threw before `after`
    }
    if (curves.train.length > outcome.record.epochs + 1) {
      curves.train.pop()
      curves.validation.pop()
    }
    // Relative: the chance loss on the training labels, else the untrained model's training loss, which starts near it.
    const reference = chance ?? curves.train[0]
    const maxGap = relative === undefined ? options.maxGap! : relative * (reference ?? Number.NaN)
    const limitText = relative === undefined
      ? `${maxGap}`
      : `${fmt(maxGap)} (${fmt(relative * 100)}% of the ${chance === undefined ? 'untrained training loss' : 'chance loss'} ${fmt(reference ?? Number.NaN)})`
    const gaps = curves.validation.map((v, i) => v - curves.train[i]!)
    // Overfitting is a property of the trained model, and the trained model is what a user ships: the rule reads the gap
    // of the model the run ends with, in both modes. Earlier epochs are not judged: a regressor whose output starts at 0
    // while its targets average 22.5 spends its first epochs learning that offset, and while the offset is still large a
    // mean that differs by δ between the two sets moves the gap by ≈ 2·δ·offset (Boston: 19 after epoch 1, 5.7 after
    // epoch 100) — sampling noise amplified by an unfitted offset, not a model fitting its training set. Overfitting
    // grows with training, so a memorizing model shows its widest gap at the end and still fails. The widest gap and
    // when it happened stay in the message as information; a run that goes non-finite ends on a non-finite gap and fails.
    const last = gaps.length - 1
    const pass = last >= 1 && gaps[last]! <= maxGap
    const widest = gaps.reduce((w, g, i) => (i >= 1 && Number.isFinite(g) && !(g <= gaps[w]!) ? i : w), Math.min(1, last))
    const details = [
      `${at(last)}: validation ${fmt(curves.validation[last]!)}, training ${fmt(curves.train[last]!)} (gap ${fmt(gaps[last]!)})`,
      `widest gap ${fmt(gaps[widest]!)} ${at(widest)} (${fmt(gaps[0]!)} before training); validation lowest ${fmt(Math.min(...curves.validation))} ${at(argMin(curves.validation))}`,
    ]
    const diverged = gaps.findIndex((g) => !Number.isFinite(g))
    if (diverged >= 0) details.push(`not finite ${at(diverged)}: validation ${curves.validation[diverged]}, training ${curves.train[diverged]}`)
    return {
      pass,
      expectation: `generalize: validation loss at most ${limitText} above training loss once trained (${maxEpochs} epochs)`,
      details,
      record: outcome.record,
      outcome,
      own: gapFindings(curves, untrained, maxGap),
      budget: outcome.record.stoppedBy === 'timeout' ? `${stoppedAfter(outcome.record.epochs)}: the gap is that of the model trained so far` : undefined,
      curves: [{ label: 'training', losses: curves.train, start: 0 }, { label: 'validation', losses: curves.validation, start: 0 }],
      // The goal bounds the gap, not either loss: the picture draws the gap the rule reads, at the epoch it reads it.
      plotted: [{ label: 'gap (validation − training)', losses: gaps, start: 0 }],
      goal: { label: `gap ≤ ${fmt(maxGap)}`, value: maxGap },
      decidedEpoch: last,
    }
  },
})

/**
 * The two-sample tests of validation vs train before training (see `SHIFT_Z`): the untrained model's per-sample losses
 * and each sample's distance from the training mean. toGeneralize and diagnose() both read C14 from this one measurement.
 * They read the probes' fixed sample of each set (probes/sample.ts; all of a set of up to 1024 samples): their standard
 * errors use the counts read.
 */
export function untrainedComparison(ctx: RunContext, held: { x: tf.Tensor; y: tf.Tensor }): UntrainedComparison {
  const train = probeRows(ctx.x, ctx.y)
  const validation = probeRows(held.x, held.y)
  try {
    return {
      loss: twoSample(perSampleLosses(ctx, train.x, train.y), perSampleLosses(ctx, validation.x, validation.y)),
      features: ctx.trainee.info.integerInput ? undefined : featureDistances(train.x, validation.x),
      ownStandardized: ctx.trainee.info.integerInput ? undefined : ownStandardized(held.x),
    }
  } finally {
    train.dispose()
    validation.dispose()
  }
}

/** The mean loss without regularization in inference mode, on every sample (predicted slab by slab); a custom trainable's own loss. */
export function evaluate(ctx: RunContext, x: tf.Tensor, y: tf.Tensor): number {
  const { trainee } = ctx
  return tf.tidy(() => (trainee.lossOf ? trainee.lossOf(y, predictInSlabs(trainee, x)) : trainee.loss(x, y)).dataSync()[0]!)
}

type CompiledLoss = (y: tf.Tensor, prediction: tf.Tensor) => tf.Tensor
type CompiledInternals = { lossFunctions?: CompiledLoss[]; model?: { lossFunctions?: CompiledLoss[] } }

/**
 * Each sample's loss under the current weights, measured like `evaluate`. A layers model's compiled loss already
 * returns one value per sample (averaged over any further axes: time steps, pixels); a loss that reduces its batch to
 * a scalar (tf.losses.* with their default reduction, a custom trainable's loss) is called on one sample at a time.
 */
function perSampleLosses(ctx: RunContext, x: tf.Tensor, y: tf.Tensor): Float32Array {
  const { trainee } = ctx
  const n = x.shape[0]!
  const internals = trainee.model as unknown as CompiledInternals | undefined
  const lossFn = (internals?.lossFunctions ?? internals?.model?.lossFunctions)?.[0]
  if (lossFn && trainee.lossOf) {
    const batched = tf.tidy(() => {
      const losses = lossFn(y, trainee.predict(x))
      return losses.rank >= 1 && losses.shape[0] === n ? tf.mean(tf.reshape(losses, [n, -1]), 1) : undefined
    })
    if (batched) {
      try {
        return batched.dataSync() as Float32Array
      } finally {
        batched.dispose()
      }
    }
  }
  const count = Math.min(n, MAX_SINGLE_SAMPLES)
  const out = new Float32Array(count)
  for (let k = 0; k < count; k++) {
    const i = Math.floor((k * n) / count)
    out[k] = tf.tidy(() => {
      const xi = tf.slice(x, i, 1)
      const yi = tf.slice(y, i, 1)
      return (trainee.lossOf ? trainee.lossOf(yi, trainee.predict(xi)) : trainee.loss(xi, yi)).dataSync()[0]!
    })
  }
  return out
}

/**
 * Each sample's distance from the training mean in training standard deviations, √(mean over features of z²), for
 * both sets, compared by `twoSample`. It sees a shift of the inputs the untrained model's loss can miss (an output that
 * barely depends on x yet). Features constant on train are left out; integer ids (an Embedding's input) are not
 * magnitudes and are not compared.
 */
function featureDistances(train: tf.Tensor, validation: tf.Tensor): ReturnType<typeof twoSample> {
  const [t, v] = tf.tidy(() => {
    const flatTrain = tf.reshape(train, [train.shape[0]!, -1])
    const flatValidation = tf.reshape(validation, [validation.shape[0]!, -1])
    const { mean, variance } = tf.moments(flatTrain, 0)
    const std = tf.sqrt(variance)
    // Constant within float32 rounding: no spread to measure a distance in.
    const varies = tf.greater(std, tf.mul(tf.add(tf.abs(mean), 1), 1e-6))
    const scale = tf.where(varies, tf.div(1, tf.maximum(std, 1e-30)), tf.zerosLike(std))
    const kept = tf.maximum(tf.sum(tf.cast(varies, 'float32')), 1)
    const distance = (x: tf.Tensor): tf.Tensor => tf.sqrt(tf.div(tf.sum(tf.square(tf.mul(tf.sub(x, mean), scale)), 1), kept))
    return [distance(flatTrain), distance(flatValidation)]
  })
  try {
    if (t.size === 0) return undefined
    return twoSample(t.dataSync(), v.dataSync())
  } finally {
    tf.dispose([t, v])
  }
}

function argMin(values: number[]): number {
  return values.reduce((best, v, i) => (v < values[best]! ? i : best), 0)
}
