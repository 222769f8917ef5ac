import * as tf from '@tensorflow/tfjs'
import { foldSlabs } from '../slabs.js'

/** How a hidden layer's units behave on the data (C9). */
export interface ActivationStat {
  layer: string
  activation: string
  units: number
  /** Share of ReLU units never active on any sample. */
  dead: number
  /** Share of sigmoid/tanh units saturated: their local derivative, averaged over the samples, below 1% of its peak. */
  saturated: number
}

/**
 * A squashing unit passes back its output's gradient times its local derivative: tanh' = 1 − y², peak 1 at y = 0;
 * sigmoid' = y(1 − y), peak 1/4 at y = 1/2. A unit is saturated when that factor, averaged over the samples, is below
 * 1% of its peak: the unit then learns at under a hundredth of the rate of an unsaturated one, whichever bound each
 * sample sits at (a unit flipping between −1 and +1 with the sign of ×1000 inputs is as stuck as one pinned at +1).
 * For tanh that is mean(1 − y²) < 0.01: every sample at |y| > √0.99 ≈ 0.995 (|pre-activation| > 3.0); for sigmoid
 * mean(y(1 − y)) < 0.0025: y < 0.0025 or y > 0.9975 (|pre-activation| > 6.0). One sample in a hundred at the middle
 * already lifts the mean to the bound, so a unit that still responds to some inputs is not called saturated.
 */
export const SATURATION = 0.01

const RELU = new Set(['relu', 'relu6'])
const SQUASH = new Set(['sigmoid', 'tanh'])

function activationOf(layer: tf.layers.Layer): string | undefined {
  if (layer.getClassName() === 'ReLU') return 'relu'
  const a = layer.getConfig().activation
  return typeof a === 'string' ? a : undefined
}

/** Activation statistics of every hidden ReLU/sigmoid/tanh layer, from one inference pass over `x`. */
export function activationStats(model: tf.LayersModel, x: tf.Tensor): ActivationStat[] {
  const hidden = model.layers.slice(0, -1).flatMap((layer) => {
    const activation = activationOf(layer)
    if (!activation || !(RELU.has(activation) || SQUASH.has(activation))) return []
    try {
      return [{ layer, activation, output: layer.output as tf.SymbolicTensor }]
    } catch {
      return [] // a layer used more than once has no single output
    }
  })
  if (hidden.length === 0) return []
  // Shares the live weights; it owns none, so it is never disposed.
  const probe = tf.model({ inputs: model.inputs, outputs: hidden.map((h) => h.output) })
  // A forward pass per slab of samples (predict's default batch of 32 costs a JS round trip per 32 samples: seconds
  // on 200k rows, and its outputs are kept whole): per unit, the ReLU's max and the squashing slope's mean are reduced
  // slab by slab. A small set is one slab: the single pass it always was.
  const n = x.shape[0]!
  const perSample = hidden.reduce((sum, h) => sum + h.output.shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1), x.size / n)
  const reduced = foldSlabs(x, perSample, (slab, totals) => {
    const outputs = probe.predict(slab, { batchSize: slab.shape[0]! })
    const list = Array.isArray(outputs) ? outputs : [outputs]
    return hidden.map((h, i) => {
      const out = list[i]!
      const rows = tf.reshape(out, [-1, out.shape[out.shape.length - 1]!])
      const before = totals?.[i]
      if (RELU.has(h.activation)) return before ? tf.maximum(before, tf.max(rows, 0)) : tf.max(rows, 0)
      // The local derivative relative to its peak, per sample and unit: 1 − y² for tanh, y(1 − y)/(1/4) for sigmoid.
      const slope = h.activation === 'sigmoid' ? tf.mul(tf.mul(rows, tf.sub(1, rows)), 4) : tf.sub(1, tf.square(rows))
      const mean = tf.mul(tf.mean(slope, 0), out.shape[0]! / n) // weighted by the slab's share of the samples
      return before ? tf.add(before, mean) : mean
    })
  })
  try {
    return tf.tidy(() => hidden.map((h, i) => {
      const perUnit = reduced[i]!
      const units = perUnit.shape[0]!
      const share = RELU.has(h.activation)
        ? tf.mean(tf.cast(tf.lessEqual(perUnit, 0), 'float32')).dataSync()[0]!
        : tf.mean(tf.cast(tf.less(perUnit, SATURATION), 'float32')).dataSync()[0]!
      return {
        layer: h.layer.name,
        activation: h.activation,
        units,
        dead: RELU.has(h.activation) ? share : 0,
        saturated: SQUASH.has(h.activation) ? share : 0,
      }
    }))
  } finally {
    tf.dispose(reduced)
  }
}
