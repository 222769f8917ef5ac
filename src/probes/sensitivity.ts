import * as tf from '@tensorflow/tfjs'
import type { Trainee } from '../subject.js'

/** How the outputs respond to the inputs (C8), measured in inference mode. */
export interface Sensitivity {
  /** Largest standard deviation of an output unit across samples. */
  spread: number
  /** Distinct predicted classes (argmax, or the sign of a single output against `threshold`). */
  classes: number
  /** Mean |∂ Σ outputs / ∂ x|. */
  inputGradient: number
  finite: boolean
}

export function sensitivity(trainee: Trainee, x: tf.Tensor, threshold: number): Sensitivity {
  return tf.tidy(() => {
    const prediction = trainee.predict(x)
    const rows = tf.reshape(prediction, [prediction.shape[0]!, -1])
    const spread = tf.max(tf.sqrt(tf.moments(rows, 0).variance)).dataSync()[0]!
    const width = rows.shape[1]!
    const labels = width === 1 ? tf.cast(tf.greater(rows, threshold), 'int32').dataSync() : tf.argMax(rows, 1).dataSync()
    const grad = tf.grad((input: tf.Tensor) => tf.sum(trainee.predict(input)))(x)
    return {
      spread,
      classes: new Set(labels).size,
      inputGradient: tf.mean(tf.abs(grad)).dataSync()[0]!,
      finite: tf.all(tf.isFinite(rows)).dataSync()[0] === 1,
    }
  })
}

/** C16: the largest |∂ output_i / ∂ x_j| for j ≠ i, next to the largest for j = i, on up to `k` samples. */
export function crossSampleDependence(trainee: Trainee, x: tf.Tensor, k = 4): { leak: number; own: number } {
  const n = Math.min(k, x.shape[0]!)
  if (n < 2) return { leak: 0, own: 0 }
  return tf.tidy(() => {
    const xs = tf.slice(x, 0, n)
    let leak = 0
    let own = 0
    for (let i = 0; i < n; i++) {
      const g = tf.grad((input: tf.Tensor) => tf.sum(tf.slice(trainee.predict(input), i, 1)))(xs)
      const perSample = tf.max(tf.abs(tf.reshape(g, [n, -1])), 1).dataSync()
      perSample.forEach((v, j) => {
        if (j === i) own = Math.max(own, v)
        else leak = Math.max(leak, v)
      })
    }
    return { leak, own }
  })
}
