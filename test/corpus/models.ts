// Small builders shared by the case files: each returns a fresh, compiled model.
import * as tf from '@tensorflow/tfjs'
import type { LossFn } from '../../src/types.js'

/** A compiled sequential model: what most users write. */
export function sequential(layers: tf.layers.Layer[], loss: string | LossFn, optimizer: tf.Optimizer): tf.LayersModel {
  const model = tf.sequential({ layers })
  model.compile({ loss, optimizer })
  return model
}

export const dense = (units: number, activation: string, extra: Record<string, unknown> = {}): tf.layers.Layer =>
  tf.layers.dense({ units, activation: activation as 'relu', ...extra })
