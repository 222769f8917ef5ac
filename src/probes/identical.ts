import * as tf from '@tensorflow/tfjs'

/** Largest minus smallest value over the samples (axis 0), the largest over every entry: 0 when all samples agree. */
function spread(t: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.sub(tf.max(t, 0), tf.min(t, 0))).dataSync()[0]!)
}

/**
 * C8 at its root: every sample's input is the same, value for value, while the targets differ, as a reused row object, a
 * floor division that blanks every image or a lookup that maps every token to one id make it. A model maps one input
 * to one output, so no weights fit such targets. Read on x as the model sees it, features and integer ids alike.
 *
 * @example
 * identicalInputs(tf.tensor2d([[1, 2], [1, 2]]), tf.tensor2d([[0], [1]])) // true
 */
export function identicalInputs(x: tf.Tensor, y: tf.Tensor): boolean {
  if (!(x.shape[0]! >= 2)) return false
  return spread(x) === 0 && spread(y) > 0
}
