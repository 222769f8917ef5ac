import * as tf from '@tensorflow/tfjs'
import { forEachSlab } from '../slabs.js'
import { FAR_Z, sampledCentres } from '../stats.js'

/** The regression target column whose far values pull hardest on a squared error (C2 on the targets). */
export interface TargetOutliers {
  /** Which output column. */
  column: number
  samples: number
  /** Targets more than FAR_Z robust standard deviations (1.4826·MAD) from the column's median. */
  far: number
  /** The largest distance from the median, in robust standard deviations. */
  z: number
  /** Share of Σ|y − median| the far targets hold: their share of the squared error's gradient at the bulk's centre. */
  pull: number
}

/**
 * Robust statistics of each regression target column: the column whose far targets hold the largest share of the
 * absolute deviation. Undefined when no column has a far target, or the column's MAD is 0 (half the targets share one
 * value: sparse counts, not outliers). Bounded work whatever the size, as dataStats: the median and MAD come from at most
 * STATS_SAMPLE rows (stats.ts `sampleRows`), the far targets and the sums from every row, read slab by slab.
 *
 * @example
 * targetOutliers(tf.tensor2d([[1], [2], [3], [300]]))?.pull // ≈ 0.99: the one far target
 */
export function targetOutliers(y: tf.Tensor): TargetOutliers | undefined {
  const n = y.shape[0]!
  if (!(n >= 2)) return undefined
  const width = y.size / n
  const flat = tf.reshape(y, [n, width])
  try {
    const [medians, mads] = sampledCentres(flat)
    const far = new Float64Array(width)
    const farSum = new Float64Array(width)
    const sum = new Float64Array(width)
    const z = new Float64Array(width)
    forEachSlab(flat, (values) => {
      for (let k = 0; k < values.length; k++) {
        const c = k % width
        const d = Math.abs(values[k]! - medians[c]!)
        sum[c]! += d
        if (!(mads[c]! > 0)) continue
        z[c] = Math.max(z[c]!, d / mads[c]!)
        if (d > FAR_Z * mads[c]!) {
          far[c]!++
          farSum[c]! += d
        }
      }
    })
    let worst: TargetOutliers | undefined
    for (let c = 0; c < width; c++) {
      if (far[c] === 0) continue
      const found = { column: c, samples: n, far: far[c]!, z: z[c]!, pull: farSum[c]! / sum[c]! }
      if (!worst || found.pull > worst.pull) worst = found
    }
    return worst
  } finally {
    flat.dispose()
  }
}
