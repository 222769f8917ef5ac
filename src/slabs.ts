import * as tf from '@tensorflow/tfjs'
import { finish, type Steps } from './pace.js'
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

/** Calls `visit` with the values of each slab of a [n, width] tensor's rows, in order, one slab read back at a time. */
export function forEachSlab(flat: tf.Tensor, visit: (values: ArrayLike<number>) => void): void {
  const [n, width] = flat.shape as [number, number]
  const step = slabRows(n, width)
  for (let start = 0; start < n; start += step) {
    const slab = tf.slice(flat, start, Math.min(step, n - start))
    try {
      visit(slab.dataSync())
    } finally {
      slab.dispose()
    }
  }
}

/**
 * Folds `step` over slabs of x's rows (x itself when one slab holds it all, so a small set takes the single pass it
 * always did). Each step runs in its own tidy and returns the running totals from the previous ones; the caller
 * disposes the totals returned.
 */
export function foldSlabs(x: tf.Tensor, perRow: number, step: (slab: tf.Tensor, totals: tf.Tensor[] | undefined) => tf.Tensor[]): tf.Tensor[] {
  return finish(foldSlabSteps(x, perRow, step))
}

/** foldSlabs as steps: the event loop may get a turn between two slabs (see Pacer). */
export function* foldSlabSteps(x: tf.Tensor, perRow: number, step: (slab: tf.Tensor, totals: tf.Tensor[] | undefined) => tf.Tensor[]): Steps<tf.Tensor[]> {
  const n = x.shape[0]!
  const rows = slabRows(n, perRow)
  let totals: tf.Tensor[] | undefined
  try {
    for (let start = 0; start < n; start += rows) {
      if (start > 0) yield
      const next = tf.tidy(() => step(rows >= n ? x : tf.slice(x, start, Math.min(rows, n - start)), totals))
      if (totals) tf.dispose(totals)
      totals = next
    }
    const out = totals ?? []
    totals = undefined
    return out
  } finally {
    if (totals) tf.dispose(totals) // abandoned between two slabs
  }
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

/** Rows per slab of a forward pass of the trainee over x: every layer's output for those rows fits in one slab. */
export function forwardRows(trainee: Trainee, x: tf.Tensor): number {
  return slabRows(x.shape[0]!, valuesPerSample(trainee, x))
}

/**
 * The trainee's inference-mode predictions for x, a forward pass per slab, concatenated: the full output without a
 * full-data forward pass held at once. Not for gradients (each slab's tape is gone); a small set is one plain predict.
 */
export function predictInSlabs(trainee: Trainee, x: tf.Tensor): tf.Tensor {
  return finish(predictSteps(trainee, x))
}

/**
 * predictInSlabs as steps: the event loop may get a turn between two slabs (see Pacer). `map`, applied to each slab
 * before the forward pass (a rescaling), spares a transformed copy of the whole of x. The caller disposes the result.
 */
export function* predictSteps(trainee: Trainee, x: tf.Tensor, map?: (slab: tf.Tensor) => tf.Tensor): Steps<tf.Tensor> {
  const n = x.shape[0]!
  const rows = forwardRows(trainee, x)
  const forward = (slab: tf.Tensor): tf.Tensor => trainee.predict(map ? map(slab) : slab)
  if (rows >= n) return tf.tidy(() => forward(x))
  const parts: tf.Tensor[] = []
  try {
    for (let start = 0; start < n; start += rows) {
      if (start > 0) yield
      parts.push(tf.tidy(() => forward(tf.slice(x, start, Math.min(rows, n - start)))))
    }
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
  return finish(lossSteps(trainee, x, y))
}

/** lossInSlabs as steps: the event loop may get a turn between two slabs (see Pacer). */
export function* lossSteps(trainee: Trainee, x: tf.Tensor, y: tf.Tensor): Steps<number> {
  const n = x.shape[0]!
  const rows = trainee.info.kind === 'layers' ? forwardRows(trainee, x) : n
  if (rows >= n) return tf.tidy(() => trainee.loss(x, y).dataSync()[0]!)
  let total = 0
  for (let start = 0; start < n; start += rows) {
    if (start > 0) yield
    const m = Math.min(rows, n - start)
    total += tf.tidy(() => trainee.loss(tf.slice(x, start, m), tf.slice(y, start, m)).dataSync()[0]!) * (m / n)
  }
  return total
}
