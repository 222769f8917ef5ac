import * as tf from '@tensorflow/tfjs'

/** What the diagnosis needs to know about the features and labels the model was trained on. */
export interface DataStats {
  samples: number
  /** Per-feature mean and standard deviation of x as the model saw it (after preprocess). */
  means: number[]
  stds: number[]
  /** Per-feature largest distance from the median in robust standard deviations (1.4826·MAD); 0 for constant features. */
  robustZ: number[]
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
  const robustZ = robustZScores(x)
  const labels = y.dataSync()
  let labelMin = Infinity
  let labelMax = -Infinity
  let labelsIntegral = true
  for (const v of labels) {
    labelMin = Math.min(labelMin, v)
    labelMax = Math.max(labelMax, v)
    if (!Number.isInteger(v)) labelsIntegral = false
  }
  return { samples: x.shape[0]!, means: means!, stds: stds!, robustZ, labelMin, labelMax, labelsIntegral }
}

function robustZScores(x: tf.Tensor): number[] {
  const n = x.shape[0]!
  const width = x.size / n
  const values = x.dataSync()
  return Array.from({ length: width }, (_, f) => {
    const column = Array.from({ length: n }, (_, i) => values[i * width + f]!).sort((a, b) => a - b)
    const median = middle(column)
    const mad = middle(column.map((v) => Math.abs(v - median)).sort((a, b) => a - b)) * 1.4826
    const far = Math.max(Math.abs(column[0]! - median), Math.abs(column[n - 1]! - median))
    return mad > 0 ? far / mad : 0
  })
}

function middle(sorted: number[]): number {
  const m = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2
}
