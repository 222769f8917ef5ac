import * as tf from '@tensorflow/tfjs'

/** What the diagnosis needs to know about the features the model was trained on. */
export interface DataStats {
  samples: number
  /** Per-feature mean and standard deviation of x as the model saw it (after preprocess). */
  means: number[]
  stds: number[]
  /** Per-feature largest distance from the median in robust standard deviations (1.4826·MAD); 0 for constant features. */
  robustZ: number[]
  /** Per-feature share of samples more than 20 robust standard deviations from the median: outliers are a few of them. */
  farShare: number[]
  /** Per feature: at least half of the samples share one value (MAD 0), as constant image borders or sparse counts do. */
  concentrated: boolean[]
}

/** Statistics of x as the model sees it (the labels are read by the config's C4 rules). Integer ids (`ids`) have no scale: their feature statistics stay empty. */
export function dataStats(x: tf.Tensor, ids = false): DataStats {
  if (ids) return { samples: x.shape[0]!, means: [], stds: [], robustZ: [], farShare: [], concentrated: [] }
  const [means, stds] = tf.tidy(() => {
    const flat = tf.reshape(x, [x.shape[0]!, -1])
    const { mean, variance } = tf.moments(flat, 0)
    return [Array.from(mean.dataSync()), Array.from(tf.sqrt(variance).dataSync())]
  })
  return { samples: x.shape[0]!, means: means!, stds: stds!, ...robustStats(x) }
}

/** Z-scores far from the bulk: 20 robust standard deviations, beyond which a value dominates any gradient it enters. */
export const FAR_Z = 20

function robustStats(x: tf.Tensor): Pick<DataStats, 'robustZ' | 'farShare' | 'concentrated'> {
  const n = x.shape[0]!
  const width = x.size / n
  const values = x.dataSync()
  const robustZ: number[] = []
  const farShare: number[] = []
  const concentrated: boolean[] = []
  for (let f = 0; f < width; f++) {
    const column = Array.from({ length: n }, (_, i) => values[i * width + f]!).sort((a, b) => a - b)
    const median = middle(column)
    const mad = middle(column.map((v) => Math.abs(v - median)).sort((a, b) => a - b)) * 1.4826
    const far = Math.max(Math.abs(column[0]! - median), Math.abs(column[n - 1]! - median))
    robustZ.push(mad > 0 ? far / mad : 0)
    farShare.push(mad > 0 ? column.filter((v) => Math.abs(v - median) > FAR_Z * mad).length / n : 0)
    concentrated.push(mad === 0)
  }
  return { robustZ, farShare, concentrated }
}

function middle(sorted: number[]): number {
  const m = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2
}
