import * as tf from '@tensorflow/tfjs'
import type { Trainee } from '../subject.js'

/** The gradient norm of one layer's trainable variables together (C10). */
export interface LayerGradient {
  layer: string
  norm: number
  /** False when no gradient reached any of the layer's variables (the loss does not use them). */
  connected: boolean
}

/** Per-layer L2 norms of a step's gradients, in layer order, in one read from the backend. */
export function layerNorms(trainee: Trainee, grads: tf.NamedTensorMap): LayerGradient[] {
  const layers = [...new Set(trainee.layerOf)]
  const squares = tf.tidy(() =>
    tf.stack(trainee.variables.map((v) => {
      const g = grads[v.name]
      return g ? tf.sum(tf.square(g)) : tf.scalar(0)
    })).dataSync(),
  )
  return layers.map((layer) => {
    let sum = 0
    let connected = false
    trainee.layerOf.forEach((l, i) => {
      if (l !== layer) return
      sum += squares[i]!
      if (grads[trainee.variables[i]!.name]) connected = true
    })
    return { layer, norm: Math.sqrt(sum), connected }
  })
}

/** The first variable whose gradient holds NaN or ±Infinity, if any. */
export function firstNonFiniteGradient(trainee: Trainee, grads: tf.NamedTensorMap): string | undefined {
  const flags = tf.tidy(() =>
    tf.stack(trainee.variables.map((v) => {
      const g = grads[v.name]
      return g ? tf.all(tf.isFinite(g)) : tf.scalar(true)
    })).dataSync(),
  )
  const bad = flags.findIndex((ok) => !ok)
  return bad === -1 ? undefined : trainee.names.variables[bad]
}
