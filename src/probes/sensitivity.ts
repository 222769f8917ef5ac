import * as tf from '@tensorflow/tfjs'
import { foldSlabs, predictInSlabs } from '../slabs.js'
import type { Trainee } from '../subject.js'
import { labelWidth } from '../task.js'

/** What the input gradient was taken with respect to: the input itself, the output of a leading Embedding layer, or nothing. */
export type GradientTarget = 'input' | 'embedding' | 'none'

/** How the outputs respond to the inputs (C8), measured in inference mode. */
export interface Sensitivity {
  /** Largest standard deviation of an output unit across samples. */
  spread: number
  /** Distinct predicted answers: the class (argmax, or a single output against `threshold`) at every output position. */
  classes: number
  /**
   * ‖∂y_u/∂x‖₁, the sum over a sample's input entries of |∂y_u/∂x|, averaged over the samples and the output units u
   * (each taken on its own, see `unitDirections`): how far y_u moves when every input entry moves by 1 the worst way.
   * A sum, not a mean, over the input, so a 784-pixel image reads on the scale of a 4-feature row instead of 784×
   * smaller. Exactly 0 for a model cut off from its input; NaN when nothing differentiable leads to the output
   * (`gradientOf` 'none').
   */
  inputGradient: number
  /** 'embedding': integer token ids go in, so the gradient is taken at the Embedding layer's output instead. */
  gradientOf: GradientTarget
  finite: boolean
}

/**
 * The output units are never summed all together: the outputs of a softmax sum to 1 whatever the input, so
 * ∂(Σ_u y_u)/∂x is 0 by construction (a float32 rounding residue of ~1e-8 on a trained iris model) and would call
 * every healthy classifier cut off from its input. Each direction k sums the units u ≡ k (mod K), a strict subset of
 * the units when there are two or more, and no strict subset of a softmax sums to a constant. Two directions are
 * enough for that; each costs one backward pass per measurement (per sample, for the cross-sample probe), which on a
 * conv net on the CPU backend is what the probes cost, so there are no more than two.
 */
const MAX_DIRECTIONS = 2

function unitDirections(units: number): tf.Tensor1D[] {
  const k = Math.min(units, MAX_DIRECTIONS)
  return Array.from({ length: k }, (_, d) => tf.tensor1d(Array.from({ length: units }, (_, u) => (u % k === d ? 1 : 0))))
}

/** Σ over every sample and position of the output units in `direction` (a mask over the last axis). */
function along(output: tf.Tensor, direction: tf.Tensor1D): tf.Scalar {
  const units = direction.shape[0]
  return tf.sum(tf.mul(output.rank === 1 ? tf.reshape(output, [-1, units]) : output, direction))
}

/** Where gradients can be taken: a float input, or the output of a leading Embedding layer of a chain of layers. */
interface GradientStart {
  of: GradientTarget
  /** Builds the tensor gradients are taken with respect to, for the samples `x`. */
  start(x: tf.Tensor): tf.Tensor
  /** The model's inference-mode output from that tensor. */
  forward(start: tf.Tensor): tf.Tensor
}

function gradientStart(trainee: Trainee, x: tf.Tensor): GradientStart {
  const model = trainee.model
  const layers = model?.layers.filter((l) => l.getClassName() !== 'InputLayer') ?? []
  if (layers[0]?.getClassName() === 'Embedding') {
    // Token ids are indices: ∂output/∂id does not exist (tfjs's gather returns 0 for the indices). The embedding
    // vectors are where the ids become numbers, so dependence is measured there.
    const rest = chainAfter(model!, layers)
    if (rest) {
      return {
        of: 'embedding',
        start: (ids) => layers[0]!.apply(ids) as tf.Tensor,
        forward: (h) => rest.reduce<tf.Tensor>((t, layer) => layer.apply(t, { training: false }) as tf.Tensor, h),
      }
    }
    return none(trainee)
  }
  if (x.dtype !== 'float32') return none(trainee)
  return { of: 'input', start: (input) => input, forward: (input) => trainee.predict(input) }
}

function none(trainee: Trainee): GradientStart {
  return { of: 'none', start: (x) => x, forward: (x) => trainee.predict(x) }
}

/** The layers after the first when the model is a plain chain (each layer fed by the one before): they can be applied in turn. */
function chainAfter(model: tf.LayersModel, layers: tf.layers.Layer[]): tf.layers.Layer[] | undefined {
  for (let i = 1; i < layers.length; i++) {
    const nodes = layers[i]!.inboundNodes
    if (nodes.length !== 1 || nodes[0]!.inboundLayers.length !== 1 || nodes[0]!.inboundLayers[0] !== layers[i - 1]) return undefined
  }
  const last = layers[layers.length - 1]
  return last && model.outputs[0]?.sourceLayer === last ? layers.slice(1) : undefined
}

export function sensitivity(trainee: Trainee, x: tf.Tensor, threshold: number): Sensitivity {
  return tf.tidy(() => {
    const prediction = predictInSlabs(trainee, x)
    const rows = tf.reshape(prediction, [prediction.shape[0]!, -1])
    const spread = tf.max(tf.sqrt(tf.moments(rows, 0).variance)).dataSync()[0]!
    // A sample's answer is its class at every output position (a sequence's steps): two samples give the same
    // answer when every position agrees.
    const n = prediction.shape[0]!
    const perPosition = labelWidth(prediction) === 1 ? tf.cast(tf.greater(rows, threshold), 'int32') : tf.argMax(prediction, -1)
    const answers = perPosition.dataSync()
    const positions = answers.length / n
    const distinct = new Set<string | number>()
    for (let i = 0; i < n; i++) distinct.add(positions === 1 ? answers[i]! : answers.subarray(i * positions, (i + 1) * positions).join(','))
    const at = gradientStart(trainee, x)
    return {
      spread,
      classes: distinct.size,
      inputGradient: at.of === 'none' ? Number.NaN : inputGradient(at, x, labelWidth(prediction)),
      gradientOf: at.of,
      finite: tf.all(tf.isFinite(rows)).dataSync()[0] === 1,
    }
  })
}

/**
 * The mean over the samples of ‖∂y_u/∂x‖₁ per direction, averaged over the directions; taken slab by slab so that the
 * tape of a large set is never held whole (each slab's mean weighted by its share of the samples).
 */
function inputGradient(at: GradientStart, x: tf.Tensor, units: number): number {
  const n = x.shape[0]!
  const directions = unitDirections(units)
  const totals = foldSlabs(x, x.size / n, (slab, before) => {
    const start = at.start(slab)
    const m = start.shape[0]!
    return directions.map((d, k) => {
      const norm = tf.mul(tf.mean(tf.sum(tf.abs(tf.reshape(tf.grad((s: tf.Tensor) => along(at.forward(s), d))(start), [m, -1])), 1)), m / n)
      return before ? tf.add(before[k]!, norm) : norm
    })
  })
  try {
    return tf.tidy(() => tf.mean(tf.stack(totals)).dataSync()[0]!)
  } finally {
    tf.dispose([...totals, ...directions])
  }
}

/**
 * C16: the largest |∂y_{i,u}/∂x_j| for j ≠ i, next to the largest for j = i, over the output units u taken one at a
 * time (a sum over a softmax's units hides any leak, see `unitDirections`) and up to `k` samples. With token ids as
 * input the derivative is taken at the embedding vectors; with nothing differentiable it reads 0, 0.
 */
export function crossSampleDependence(trainee: Trainee, x: tf.Tensor, k = 4): { leak: number; own: number } {
  const n = Math.min(k, x.shape[0]!)
  if (n < 2) return { leak: 0, own: 0 }
  return tf.tidy(() => {
    const xs = tf.slice(x, 0, n)
    const at = gradientStart(trainee, xs)
    if (at.of === 'none') return { leak: 0, own: 0 }
    const start = at.start(xs)
    const directions = unitDirections(labelWidth(trainee.predict(xs)))
    let leak = 0
    let own = 0
    for (let i = 0; i < n; i++) {
      for (const d of directions) {
        const g = tf.grad((s: tf.Tensor) => along(tf.slice(at.forward(s), i, 1), d))(start)
        const perSample = tf.max(tf.abs(tf.reshape(g, [n, -1])), 1).dataSync()
        perSample.forEach((v, j) => {
          if (j === i) own = Math.max(own, v)
          else leak = Math.max(leak, v)
        })
      }
    }
    return { leak, own }
  })
}
