import * as tf from '@tensorflow/tfjs'

/** How a hidden layer's units behave on the data (C9). */
export interface ActivationStat {
  layer: string
  activation: string
  units: number
  /** Share of ReLU units never active on any sample. */
  dead: number
  /** Share of sigmoid/tanh units pinned to a bound on every sample. */
  saturated: number
}

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
  return tf.tidy(() => {
    const outputs = probe.predict(x)
    const list = Array.isArray(outputs) ? outputs : [outputs]
    return hidden.map((h, i) => {
      const out = list[i]!
      const units = out.shape[out.shape.length - 1]!
      const rows = tf.reshape(out, [-1, units])
      let share = 0
      if (RELU.has(h.activation)) {
        share = tf.mean(tf.cast(tf.lessEqual(tf.max(rows, 0), 0), 'float32')).dataSync()[0]!
      } else {
        const [lo, hi] = h.activation === 'sigmoid' ? [0.01, 0.99] : [-0.99, 0.99]
        const pinned = tf.logicalOr(tf.lessEqual(tf.max(rows, 0), lo), tf.greaterEqual(tf.min(rows, 0), hi))
        share = tf.mean(tf.cast(pinned, 'float32')).dataSync()[0]!
      }
      return {
        layer: h.layer.name,
        activation: h.activation,
        units,
        dead: RELU.has(h.activation) ? share : 0,
        saturated: SQUASH.has(h.activation) ? share : 0,
      }
    })
  })
}
