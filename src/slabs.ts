import * as tf from '@tensorflow/tfjs'
import type { Trainee } from './subject.js'

/**
 * Values one pass over a slab of rows may hold (4 MB of float32): a pass over a large dataset reads it slab by slab,
 * so its temporaries (a forward pass, a gradient's tape, a copy read back to JS) stay bounded whatever the row count.
 */
export const SLAB_VALUES = 1 << 20

/** Rows per slab for rows of `perRow` values: at least one, at most `n`. */
export function slabRows(n: number, perRow: number): number {
  return Math.max(1, Math.min(n, Math.floor(SLAB_VALUES / Math.max(perRow, 1))))
}

/**
 * Folds `step` over slabs of x's rows (x itself when one slab holds it all, so a small set takes the single pass it
 * always did). Each step runs in its own tidy and returns the running totals from the previous ones; the caller
 * disposes the totals returned.
 */
export function foldSlabs(x: tf.Tensor, perRow: number, step: (slab: tf.Tensor, totals: tf.Tensor[] | undefined) => tf.Tensor[]): tf.Tensor[] {
  const n = x.shape[0]!
  const rows = slabRows(n, perRow)
  let totals: tf.Tensor[] | undefined
  for (let start = 0; start < n; start += rows) {
    const next = tf.tidy(() => step(rows >= n ? x : tf.slice(x, start, Math.min(rows, n - start)), totals))
    if (totals) tf.dispose(totals)
    totals = next
  }
  return totals ?? []
}

/** Values a forward pass holds per sample: the input's, and for a layers model every layer's output. */
function valuesPerSample(trainee: Trainee, x: tf.Tensor): number {
  let values = x.size / x.shape[0]!
  for (const layer of trainee.model?.layers ?? []) {
    let shapes: (number | null)[][]
    try {
      shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][]
    } catch {
      continue // a layer applied more than once has no single output shape
    }
    for (const shape of shapes) values += shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1)
  }
  return values
}

/**
 * The trainee's inference-mode predictions for x, a forward pass per slab, concatenated: the full output without a
 * full-data forward pass held at once. Not for gradients (each slab's tape is gone); a small set is one plain predict.
 */
export function predictInSlabs(trainee: Trainee, x: tf.Tensor): tf.Tensor {
  const n = x.shape[0]!
  const rows = slabRows(n, valuesPerSample(trainee, x))
  if (rows >= n) return trainee.predict(x)
  const parts: tf.Tensor[] = []
  try {
    for (let start = 0; start < n; start += rows) parts.push(tf.tidy(() => trainee.predict(tf.slice(x, start, Math.min(rows, n - start)))))
    return tf.concat(parts)
  } finally {
    tf.dispose(parts)
  }
}

/**
 * The training-mode loss of a layers model on (x, y), slab by slab: the mean loss of each slab weighted by its share of
 * the samples (the regularization, added to each slab's, sums to itself). A custom trainable's loss is its own
 * business, taken whole; so is a small set, as one slab.
 */
export function lossInSlabs(trainee: Trainee, x: tf.Tensor, y: tf.Tensor): number {
  const n = x.shape[0]!
  const rows = trainee.info.kind === 'layers' ? slabRows(n, valuesPerSample(trainee, x)) : n
  if (rows >= n) return tf.tidy(() => trainee.loss(x, y).dataSync()[0]!)
  let total = 0
  for (let start = 0; start < n; start += rows) {
    const m = Math.min(rows, n - start)
    total += tf.tidy(() => trainee.loss(tf.slice(x, start, m), tf.slice(y, start, m)).dataSync()[0]!) * (m / n)
  }
  return total
}
