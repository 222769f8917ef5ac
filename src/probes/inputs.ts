import type * as tf from '@tensorflow/tfjs'

/**
 * C8 at the source: the probed rows of x are all one row, bit for bit, as the model receives them (after the subject's
 * preprocess), while their labels are not all one label. Such inputs carry no information: no model can give two samples
 * different outputs, whatever it learns. Undefined when the rows differ (or the labels agree, or there is one row).
 */
export function identicalInputs(x: tf.Tensor, y: tf.Tensor): { rows: number } | undefined {
  const rows = x.shape[0] ?? 0
  return rows > 1 && allOneRow(x, rows) && !allOneRow(y, rows) ? { rows } : undefined
}

function allOneRow(t: tf.Tensor, rows: number): boolean {
  const values = t.dataSync()
  const size = values.length / rows
  for (let i = size; i < values.length; i++) if (values[i] !== values[i % size]) return false
  return true
}
