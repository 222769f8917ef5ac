import * as tf from '@tensorflow/tfjs'

/** What the diagnosis needs to know about the features and labels the model was trained on. */
export interface DataStats {
  samples: number
  /** Per-feature mean and standard deviation of x as the model saw it (after preprocess). */
  means: number[]
  stds: number[]
  labelMin: number
  labelMax: number
  labelsIntegral: boolean
}

export function dataStats(x: tf.Tensor, y: tf.Tensor): DataStats {
  const [means, stds] = tf.tidy(() => {
    const flat = tf.reshape(x, [x.shape[0]!, -1])
    const { mean, variance } = tf.moments(flat, 0)
    return [Array.from(mean.dataSync()), Array.from(tf.sqrt(variance).dataSync())]
  })
  const labels = y.dataSync()
  let labelMin = Infinity
  let labelMax = -Infinity
  let labelsIntegral = true
  for (const v of labels) {
    labelMin = Math.min(labelMin, v)
    labelMax = Math.max(labelMax, v)
    if (!Number.isInteger(v)) labelsIntegral = false
  }
  return { samples: x.shape[0]!, means: means!, stds: stds!, labelMin, labelMax, labelsIntegral }
}
