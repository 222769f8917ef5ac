import * as tf from '@tensorflow/tfjs'
import { chanceLoss } from '../chance.js'
import type { Observer, RunContext } from '../run.js'
import type { Trainee } from '../subject.js'
import { outputsLogits } from '../task.js'
import { activationStats, type ActivationStat } from './activations.js'
import { layerNorms, type LayerGradient } from './gradients.js'
import { inferenceCurve, type InferenceCurve } from './noise.js'
import { probeRows, type Probed } from './sample.js'
import { crossSampleDependence, sensitivity, type Sensitivity } from './sensitivity.js'
import type { GapCurves, UntrainedComparison } from '../findings/generalization.js'
import { unlistedVariables, type UnlistedVariable } from './unlisted.js'
import { compare, snapshot, symmetricLayers, untrainableUsed, type WeightChange, type WeightSnapshot } from './weights.js'
import { identicalInputs } from './identical.js'
import { targetOutliers, type TargetOutliers } from './targets.js'

/** Everything the probes saw during one run: the raw material of a diagnosis. */
export interface Evidence {
  /**
   * The activation, output, C15 and probability probes read a fixed sample of a large set (sample.ts): how many rows of
   * how many. Absent when they read every sample. The gradients, weights and inference curve are the run's own.
   */
  probed?: Probed
  /** The loss a model that ignores its input starts near (C3/C4). */
  chance?: number
  /**
   * Per-layer gradient norms of the first epoch's and the last epoch's last step. `firstNonFinite`: the first of the
   * epochs read (the first, and the last two: a gradient that overflows makes the weights and then the loss non-finite,
   * which ends the run) where a layer's norm is NaN or Infinity.
   */
  gradients: { first: LayerGradient[]; last: LayerGradient[]; firstNonFinite?: { epoch: number; layer: string } }
  activations: { initial: ActivationStat[]; final: ActivationStat[] }
  weights: WeightChange[]
  /** Every variable (trainable, frozen, batch-norm statistics) finite after training; absent when the run did not get that far. */
  weightsFinite?: boolean
  /** C15: non-trainable variables a custom trainable lists in `variables` and its loss depends on: they can never learn. */
  untrainable: string[]
  /** C15: trainable variables a custom trainable's loss reads that its `variables` leave out (unlisted.ts). */
  unlisted: UnlistedVariable[]
  symmetric: { layer: string; units: number }[]
  /** Outputs vs inputs at initialization and after training. */
  initialOutputs?: Sensitivity
  outputs?: Sensitivity
  /** C16 at initialization. */
  crossSample: { leak: number; own: number }
  /** C13: loss on held-out data after training, when the caller gave some. */
  validationLoss?: number
  /**
   * C13/C14, when the caller gave a validation set: both losses before training (index 0) and after every epoch,
   * measured alike, and the two-sample tests of validation vs train before training (see checks/generalize.ts).
   */
  generalization?: { curves: GapCurves; untrained: UntrainedComparison }
  /** The trainable rewrites its weights after every step (afterStep: a constraint, or storage at reduced precision; C12). */
  afterStep?: boolean
  /** A model with dropout or noise layers: its loss in inference mode, the curve its C5/C6 rules read (see noise.ts). */
  inference?: InferenceCurve
  /**
   * C3 for a custom trainable whose predict returns probabilities: the cross-entropy of those probabilities against the
   * labels, next to what its own loss reports on the same data, after training.
   */
  probabilityLoss?: { crossEntropy: number; loss: number }
  /** C14: largest difference between transforming a sample alone and within the training batch. */
  preprocessDrift: number
  /** C8: every training sample's x is the same, value for value, while the targets differ (identical.ts). */
  identicalInputs?: boolean
  /** C2 on a regression's targets: the column whose far targets pull hardest on a squared error (targets.ts). */
  targets?: TargetOutliers
}

/**
 * Probes as one observer; read `evidence` after the run. They run in inference mode and draw no random numbers. Those
 * that read samples read at most PROBE_SAMPLE of them (sample.ts), and the event loop gets a turn between two probes.
 */
export function probes(): { observer: Observer; evidence: Evidence } {
  const evidence: Evidence = {
    gradients: { first: [], last: [] },
    activations: { initial: [], final: [] },
    weights: [],
    untrainable: [],
    unlisted: [],
    symmetric: [],
    crossSample: { leak: 0, own: 0 },
    preprocessDrift: 0,
  }
  let initial: WeightSnapshot = []
  const inference = inferenceCurve()
  const threshold = (ctx: RunContext): number => (outputsLogits(ctx.trainee.info) ? 0 : 0.5)
  const observer: Observer = {
    afterEpoch(epoch, ctx) {
      inference.observer.afterEpoch?.(epoch, ctx)
    },
    async before(ctx) {
      await inference.observer.before?.(ctx)
      evidence.inference = inference.result.curve
      initial = snapshot(ctx.trainee)
      evidence.chance = chanceLoss(ctx.trainee.info, ctx.y, ctx.trainee.lossOf)
      evidence.identicalInputs = identicalInputs(ctx.x, ctx.y)
      if (ctx.task === 'regression') evidence.targets = targetOutliers(ctx.y)
      const rows = probeRows(ctx.x, ctx.y)
      try {
        evidence.probed = rows.probed
        if (ctx.trainee.model) {
          await ctx.pace.breathe()
          evidence.activations.initial = activationStats(ctx.trainee.model, rows.x)
        }
        await ctx.pace.breathe()
        evidence.crossSample = crossSampleDependence(ctx.trainee, ctx.x)
        await ctx.pace.breathe()
        evidence.initialOutputs = sensitivity(ctx.trainee, rows.x, threshold(ctx))
        evidence.preprocessDrift = preprocessDrift(ctx)
      } finally {
        rows.dispose()
      }
      evidence.afterStep = ctx.trainee.afterStep !== undefined
    },
    // Norms are reduced at the epochs the evidence reports (the first, and at the end the last two), not at every epoch:
    // a reduction per variable per epoch cost a 2×64 MLP 4% of its run time on native.
    onGradients(epoch, grads, ctx) {
      if (epoch === 1) evidence.gradients.first = layerNorms(ctx.trainee, grads)
    },
    onLastGradients(last, ctx) {
      const read = last.map(({ epoch, grads }) => ({ epoch, norms: epoch === 1 ? evidence.gradients.first : layerNorms(ctx.trainee, grads) }))
      const seen = [{ epoch: 1, norms: evidence.gradients.first }, ...read.filter((r) => r.epoch > 1)]
      evidence.gradients.last = read[read.length - 1]?.norms ?? []
      for (const { epoch, norms } of seen) {
        const bad = norms.find((n) => !Number.isFinite(n.norm))
        if (bad) {
          evidence.gradients.firstNonFinite = { epoch, layer: bad.layer }
          break
        }
      }
    },
    async after(ctx) {
      const final = snapshot(ctx.trainee)
      evidence.weights = compare(ctx.trainee, initial, final)
      evidence.weightsFinite = final.every((values) => values.every(Number.isFinite))
      const rows = probeRows(ctx.x, ctx.y)
      try {
        evidence.untrainable = untrainableUsed(ctx.trainee, rows.x, rows.y)
        evidence.unlisted = unlistedVariables(ctx.trainee, rows.x, rows.y)
        evidence.symmetric = symmetricLayers(ctx.trainee)
        if (ctx.trainee.model) {
          await ctx.pace.breathe()
          evidence.activations.final = activationStats(ctx.trainee.model, rows.x)
        }
        await ctx.pace.breathe()
        evidence.outputs = sensitivity(ctx.trainee, rows.x, threshold(ctx))
        if (ctx.trainee.info.kind === 'custom' && ctx.task !== 'regression') evidence.probabilityLoss = probabilityLoss(ctx.trainee, rows.x, rows.y)
      } finally {
        rows.dispose()
      }
    },
  }
  return { observer, evidence }
}

/**
 * A fitted preprocess must treat a sample the same alone or in a batch; one that re-fits on what it transforms does not.
 * The batch is the training set as the model saw it (ctx.x, the preprocess applied to every training sample at once):
 * its first rows are compared with the same rows transformed alone, without transforming the whole set again.
 */
function preprocessDrift(ctx: RunContext): number {
  const fitted = ctx.fitted
  if (!fitted) return 0
  return tf.tidy(() => {
    const n = Math.min(4, ctx.rawX.shape[0]!)
    let drift = 0
    for (let i = 0; i < n; i++) {
      const alone = fitted.transform(tf.slice(ctx.rawX, i, 1))
      drift = Math.max(drift, tf.max(tf.abs(tf.sub(alone, tf.slice(ctx.x, i, 1)))).dataSync()[0]!)
    }
    return Number.isFinite(drift) ? drift : Number.POSITIVE_INFINITY
  })
}

/**
 * When a custom trainable's outputs are probabilities (each in [0, 1]; rows of a multi-unit output summing to 1), the
 * cross-entropy they score against the labels. Undefined when they are not probabilities (logits, scores).
 */
function probabilityLoss(trainee: Trainee, x: tf.Tensor, labels: tf.Tensor): { crossEntropy: number; loss: number } | undefined {
  return tf.tidy(() => {
    const p = trainee.predict(x)
    if (p.size !== labels.size) return undefined
    const y = tf.reshape(labels, p.shape)
    const units = p.rank < 2 ? 1 : p.shape[p.rank - 1]!
    const inRange = tf.all(tf.logicalAnd(tf.greaterEqual(p, 0), tf.lessEqual(p, 1))).dataSync()[0] === 1
    if (!inRange) return undefined
    const clipped = tf.clipByValue(p, 1e-7, 1 - 1e-7)
    let crossEntropy: tf.Tensor
    if (units === 1) {
      crossEntropy = tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(clipped)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, clipped))))))
    } else {
      const sums = tf.sum(p, -1)
      // float32 softmax rows sum to 1 within a few ulps; 1e-3 also admits rounded outputs.
      if (tf.max(tf.abs(tf.sub(sums, 1))).dataSync()[0]! > 1e-3) return undefined
      crossEntropy = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(clipped)), -1)))
    }
    return { crossEntropy: crossEntropy.dataSync()[0]!, loss: trainee.loss(x, labels).dataSync()[0]! }
  })
}
