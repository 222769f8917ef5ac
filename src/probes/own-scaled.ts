import * as tf from '@tensorflow/tfjs'
import { forEachSlab } from '../slabs.js'

/** A set whose every varying feature has mean 0 and standard deviation 1 to float32 rounding: standardized on itself. */
export interface OwnStandardized {
  samples: number
  /** Features that vary, all of them exactly standardized. */
  features: number
  /** The largest |mean| and |std − 1| over them. */
  mean: number
  std: number
}

/**
 * How close a set standardized on its own statistics comes to mean 0 and std 1. Its values are float32, each within
 * 2⁻²⁴ of itself, and standardizing in float32 adds about √n·2⁻²⁴ per moment: 6e-6 at a million rows. A set of n samples
 * of the same distribution standardized with another set's statistics has each mean off 0 by about 1/√n (one standard
 * error) and each std off 1 by about 1/√(2n): both land within EXACT of their target with probability about
 * 0.8·EXACT·√n × 0.8·EXACT·√(2n) ≈ 1e-10·n, under 1e-4 for any n up to a million, and for every feature at once less.
 */
const EXACT = 1e-5

/**
 * C14's fingerprint of a set preprocessed with its own statistics (scaler.fit_transform on validation data): as the
 * model sees it, every varying feature has mean 0 and a standard deviation of 1 (population or sample, n or n − 1)
 * to float32 rounding. Undefined otherwise. Features read in float64, slab by slab. A feature with at most two distinct
 * values is left out of the evidence: a balanced ±1 feature has mean 0 and std 1 by design; at least one feature with
 * more levels must be exact.
 *
 * @example
 * ownStandardized(tf.tensor2d([[-1.2247], [0], [1.2247]]))?.features // 1
 */
export function ownStandardized(x: tf.Tensor): OwnStandardized | undefined {
  const n = x.shape[0]!
  if (!(n >= 3)) return undefined
  const width = x.size / n
  const sum = new Float64Array(width)
  const squares = new Float64Array(width)
  // Per feature: its first value, a second one, and whether a third distinct value was seen.
  const first = new Float64Array(width).fill(Number.NaN)
  const second = new Float64Array(width).fill(Number.NaN)
  const many = new Uint8Array(width)
  const flat = tf.reshape(x, [n, width])
  try {
    forEachSlab(flat, (values) => {
      for (let k = 0; k < values.length; k++) {
        const f = k % width
        const v = values[k]!
        if (Number.isNaN(first[f]!)) first[f] = v
        else if (v !== first[f]) {
          if (Number.isNaN(second[f]!)) second[f] = v
          else if (v !== second[f]) many[f] = 1
        }
        // Sums of deviations from the feature's first value: float64 moments without a second pass.
        const d = v - first[f]!
        sum[f]! += d
        squares[f]! += d * d
      }
    })
    const means = Array.from(sum, (s, f) => first[f]! + s / n)
    const variances = Array.from(squares, (q, f) => Math.max(0, q / n - (sum[f]! / n) ** 2))
    let features = 0
    let leveled = false
    let worstMean = 0
    let worstStd = 0
    for (let f = 0; f < width; f++) {
      if (Number.isNaN(second[f]!)) continue // constant: nothing was scaled
      const population = Math.sqrt(variances[f]!)
      const std = Math.min(Math.abs(population - 1), Math.abs(population * Math.sqrt(n / (n - 1)) - 1))
      const mean = Math.abs(means[f]!)
      if (!(mean <= EXACT && std <= EXACT)) return undefined
      features++
      leveled ||= many[f] === 1
      worstMean = Math.max(worstMean, mean)
      worstStd = Math.max(worstStd, std)
    }
    return features > 0 && leveled ? { samples: n, features, mean: worstMean, std: worstStd } : undefined
  } finally {
    flat.dispose()
  }
}
