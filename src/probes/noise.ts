import * as tf from '@tensorflow/tfjs'
import type { Observer, RunContext } from '../run.js'
import { predictInSlabs } from '../slabs.js'

/**
 * The loss of a model with training-only noise (dropout, Gaussian noise), measured in inference mode before training
 * and after each epoch, and the noise each step followed. Its training-mode loss draws a fresh mask every step, so that
 * curve jitters by design; this one moves only with the weights.
 */
export interface InferenceCurve {
  /** The layers that draw noise in training, as `name (Class)`. */
  noisy: string[]
  /** Inference-mode loss (regularization included) before training (index 0) and after each epoch. */
  losses: number[]
}

/** Layers whose training-mode output is random: a fresh mask or noise at every step. */
const TRAINING_NOISE = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout'])

type Described = { getClassName(): string; getConfig(): Record<string, unknown>; name: string }

/** The layers (nested models and wrappers included) that draw noise in training, as `name (Class)`. */
function noisyLayers(model: tf.LayersModel | undefined): string[] {
  const out: string[] = []
  const visit = (layer: Described & { layers?: unknown; layer?: unknown; forwardLayer?: unknown; cell?: unknown }): void => {
    const config = layer.getConfig()
    const rate = (key: string): number => (typeof config[key] === 'number' ? (config[key] as number) : 0)
    if (TRAINING_NOISE.has(layer.getClassName())) out.push(`${layer.name} (${layer.getClassName()})`)
    else if (rate('dropout') > 0 || rate('recurrentDropout') > 0) out.push(`${layer.name} (${layer.getClassName()} dropout)`)
    for (const inner of [...(Array.isArray(layer.layers) ? layer.layers : []), layer.layer, layer.forwardLayer]) {
      if (inner && typeof (inner as Described).getClassName === 'function') visit(inner as Described)
    }
  }
  for (const layer of model?.layers ?? []) visit(layer as unknown as Described)
  return out
}

/**
 * An observer that records the inference-mode curve of a layers model with training-only noise; `curve` stays
 * undefined for any other model. It draws no random numbers, so the training run is unchanged.
 */
export function inferenceCurve(): { observer: Observer; result: { curve?: InferenceCurve } } {
  const result: { curve?: InferenceCurve } = {}
  const measure = (ctx: RunContext, curve: InferenceCurve): void => {
    const { trainee } = ctx
    const regularizers = (trainee.model as unknown as { calculateLosses?: () => tf.Scalar[] } | undefined)?.calculateLosses
    curve.losses.push(tf.tidy(() => {
      // Exact on every sample (the C5/C6 rules read this curve), the forward pass slab by slab.
      const data = trainee.lossOf!(ctx.y, predictInSlabs(trainee, ctx.x))
      // Weight penalties are part of the loss trained; only the training-mode noise is left out.
      const extra = regularizers ? regularizers.call(trainee.model) : []
      return extra.reduce<tf.Tensor>((total, e) => tf.add(total, e), data).dataSync()[0]!
    }))
  }
  return {
    result,
    observer: {
      before(ctx) {
        const noisy = ctx.trainee.lossOf ? noisyLayers(ctx.trainee.model) : []
        if (noisy.length === 0) return
        result.curve = { noisy, losses: [] }
        measure(ctx, result.curve)
      },
      afterEpoch(_epoch, ctx) {
        if (result.curve) measure(ctx, result.curve)
      },
    },
  }
}

/**
 * For each point of the inference curve, the noise the step into it followed: |training − inference| loss at the
 * weights it started from (epoch i's training loss is taken before its step, on the weights after epoch i − 1). A rise
 * within it is the noise the step followed, not divergence. Epoch 0 has no step into it.
 */
export function noiseBand(training: readonly number[], inference: readonly number[]): number[] {
  return inference.map((_, i) => {
    const gap = i === 0 ? 0 : Math.abs(training[i - 1]! - inference[i - 1]!)
    return Number.isFinite(gap) ? gap : 0
  })
}
