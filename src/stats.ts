import * as tf from '@tensorflow/tfjs'
import { finish, type Steps } from './pace.js'
import { slabRows } from './slabs.js'

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

/**
 * Statistics of x as the model sees it (the labels are read by the config's C4 rules). Integer ids (`ids`) have no
 * scale: their feature statistics stay empty. Bounded work whatever the size: the median and MAD come from at most
 * STATS_SAMPLE rows; the extremes, far shares, means and stds read every row, slab by slab.
 */
export function dataStats(x: tf.Tensor, ids = false): DataStats {
  return finish(statsSteps(x, ids))
}

/** dataStats as steps: the event loop may get a turn between two slabs of the pass over every row (see Pacer). */
export function* statsSteps(x: tf.Tensor, ids = false): Steps<DataStats> {
  const n = x.shape[0]!
  if (ids) return { samples: n, means: [], stds: [], robustZ: [], farShare: [], concentrated: [] }
  const width = x.size / n
  const flat = tf.reshape(x, [n, width])
  try {
    const rows = sampleRows(n)
    const whole = rows.length === n
    const sample = whole ? flat.dataSync() : gathered(flat, rows)
    const [medians, mads] = centres(sample, rows.length, width)
    let tails: Tails
    if (whole) (tails = new Tails(medians, mads)).add(sample)
    else if (tf.getBackend() === 'cpu') {
      // The CPU backend hands out the values it holds, not a copy: read in place, a slab between two turns.
      const values = flat.dataSync()
      tails = new Tails(medians, mads)
      const step = slabRows(n, width) * width
      for (let start = 0; start < values.length; start += step) {
        yield
        tails.add(values.subarray(start, start + step))
      }
    } else {
      // Elsewhere (native TensorFlow) a read is a copy, and 40 MB of copies read slab by slab wait in the heap for the
      // next full collection: reduce each slab with tf ops instead, and read back only the reductions.
      tails = new Tails(medians.map(Math.fround), mads)
      const centre = tf.tensor1d(Float32Array.from(tails.medians))
      const limit = tf.tensor1d(Float32Array.from(tails.limits))
      try {
        // A slab's deviations, their absolute values, squares and far flags are alive at once: a quarter slab each.
        const step = Math.max(1, slabRows(n, width) >> 2)
        for (let start = 0; start < n; start += step) {
          yield
          const [extremes, sums] = tf.tidy(() => {
            const slab = tf.slice(flat, [start, 0], [Math.min(step, n - start), width])
            const d = tf.sub(slab, centre)
            const far = tf.sum(tf.cast(tf.greater(tf.abs(d), limit), 'float32'), 0)
            return [tf.stack([tf.min(slab, 0), tf.max(slab, 0), far]), tf.concat([partialSums(d), partialSums(tf.square(d))])]
          })
          tails.addReduced(extremes.dataSync(), sums.dataSync())
          tf.dispose([extremes, sums])
        }
      } finally {
        tf.dispose([centre, limit])
      }
    }
    // A small set keeps the float32 moments it always had; a large one has them from the stream, totalled in float64.
    const [means, stds] = whole ? moments(flat) : tails.moments(n)
    return { samples: n, means, stds, ...tails.robust(n) }
  } finally {
    flat.dispose()
  }
}

/**
 * Column sums of every SUM_ROWS rows of `rows` (and of the rows left over), as rows of one tensor. A float32 sum of k
 * values carries a rounding error up to about k·2⁻²⁴ of their magnitude: over a whole slab of 100k deviations of ~1000
 * that moved a mean by 1e-4 of itself; over 1024 rows it stays near 6e-5 at worst, and the partial sums are totalled
 * in float64.
 */
function partialSums(rows: tf.Tensor): tf.Tensor {
  const [m, width] = rows.shape as [number, number]
  const whole = Math.floor(m / SUM_ROWS) * SUM_ROWS
  const parts: tf.Tensor[] = []
  if (whole > 0) parts.push(tf.sum(tf.reshape(tf.slice(rows, 0, whole), [whole / SUM_ROWS, SUM_ROWS, width]), 1))
  if (whole < m) parts.push(tf.sum(tf.slice(rows, whole), 0, true))
  return parts.length === 1 ? parts[0]! : tf.concat(parts)
}

const SUM_ROWS = 1024

/** The values of `rows` of `flat`. Read outside a tidy: tidy walks every entry of a typed array it returns. */
function gathered(flat: tf.Tensor, rows: Int32Array): Float32Array | Int32Array | Uint8Array {
  const picked = tf.tidy(() => tf.gather(flat, tf.tensor1d(rows, 'int32')))
  try {
    return picked.dataSync() as Float32Array
  } finally {
    picked.dispose()
  }
}

function moments(flat: tf.Tensor): [number[], number[]] {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(flat, 0)
    return [Array.from(mean.dataSync()), Array.from(tf.sqrt(variance).dataSync())]
  })
}

/** Per-feature median and MAD of a [n, width] tensor, from its sampleRows (every row when n ≤ STATS_SAMPLE), as dataStats reads them. */
export function sampledCentres(flat: tf.Tensor): [Float64Array, Float64Array] {
  const [n, width] = flat.shape as [number, number]
  const rows = sampleRows(n)
  return centres(rows.length === n ? flat.dataSync() : gathered(flat, rows), rows.length, width)
}

/** Per-feature median and MAD (1.4826 × the median absolute deviation) of `rows` rows of `width` values. */
function centres(values: ArrayLike<number>, rows: number, width: number): [Float64Array, Float64Array] {
  const medians = new Float64Array(width)
  const mads = new Float64Array(width)
  const column = new Float64Array(rows)
  for (let f = 0; f < width; f++) {
    for (let i = 0; i < rows; i++) column[i] = values[i * width + f]!
    const median = middle(column)
    for (let i = 0; i < rows; i++) column[i] = Math.abs(column[i]! - median)
    medians[f] = median
    mads[f] = middle(column) * 1.4826
  }
  return [medians, mads]
}

/** Z-scores far from the bulk: 20 robust standard deviations, beyond which a value dominates any gradient it enters. */
export const FAR_Z = 20

/**
 * Rows the per-feature median and MAD are estimated from; every row is read for the extremes and the far share, and
 * the means and stds are exact. Whatever the distribution, the median of k evenly drawn rows sits at a population
 * quantile within ±√(0.5·0.5/k) of 50% (one standard error): ±0.78% at k = 4096, and the MAD likewise at the 50 ± 0.78%
 * quantile of |x − median|. For a normal feature that moves the MAD by 1.8% (the half-normal's quantile slope at 50%,
 * 1/(2φ(0.674)) = 1.57, × 0.0078 / 0.674) and a robust z-score with it: C2's FAR_Z = 20 reads as 20 ± 0.4 at one
 * standard error, 20 ± 0.7 at two, far inside the gap between a planted outlier (hundreds of MADs out) and the bulk
 * (a normal sample of 200k reaches 5σ = 3.4 MADs). C1's `concentrated` (half the rows share one value) has the same
 * ±0.78% band around its 50% boundary. Smaller sets are read whole, so their statistics are exact.
 */
export const STATS_SAMPLE = 4096

/**
 * The rows the median and MAD are estimated from: all of them up to `k`, else one from each of `k` equal strata at a
 * fixed pseudo-random offset. Stratified, so sorted data is covered evenly; the offsets vary, so a period in the rows
 * (classes interleaved 0, 1, 0, 1…) cannot alias with the stride; fixed, so the statistics do not depend on the seed.
 */
export function sampleRows(n: number, k = STATS_SAMPLE): Int32Array {
  if (n <= k) return Int32Array.from({ length: n }, (_, i) => i)
  const rows = new Int32Array(k)
  for (let j = 0; j < k; j++) {
    const start = Math.floor((j * n) / k)
    rows[j] = start + (mix(j) % (Math.floor(((j + 1) * n) / k) - start))
  }
  return rows
}

/** A fixed 32-bit integer hash (lowbias32): a deterministic stand-in for a random offset, untouched by the seed. */
function mix(j: number): number {
  let h = j + 0x9e3779b9
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad)
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97)
  return (h ^ (h >>> 15)) >>> 0
}

/**
 * Per feature, over the rows added: minimum, maximum, count of values more than FAR_Z MADs from the median (one outlier
 * among millions is what C2 exists to find), and the sums of deviations from the median and of their squares.
 */
class Tails {
  private readonly min: Float64Array
  private readonly max: Float64Array
  private readonly far: Float64Array
  private readonly sum: Float64Array
  private readonly squares: Float64Array
  readonly limits: Float64Array
  constructor(readonly medians: Float64Array, private readonly mads: Float64Array) {
    const width = medians.length
    this.min = new Float64Array(width).fill(Infinity)
    this.max = new Float64Array(width).fill(-Infinity)
    this.far = new Float64Array(width)
    this.sum = new Float64Array(width)
    this.squares = new Float64Array(width)
    this.limits = mads.map((mad) => FAR_Z * mad)
  }

  add(values: ArrayLike<number>): void {
    const { min, max, far, sum, squares, medians, limits } = this
    const width = medians.length
    for (let i = 0; i < values.length; i += width) {
      for (let f = 0; f < width; f++) {
        const v = values[i + f]!
        if (v < min[f]!) min[f] = v
        if (v > max[f]!) max[f] = v
        const d = v - medians[f]!
        if (Math.abs(d) > limits[f]!) far[f]!++
        sum[f]! += d
        squares[f]! += d * d
      }
    }
  }

  /**
   * Adds a slab reduced by tf ops: `extremes` holds its per-feature minima, maxima and far counts, `sums` rows of partial
   * sums of its deviations from the median, then as many rows of partial sums of their squares.
   */
  addReduced(extremes: ArrayLike<number>, sums: ArrayLike<number>): void {
    const { min, max, far, sum, squares } = this
    const width = min.length
    const half = sums.length / 2
    for (let f = 0; f < width; f++) {
      min[f] = Math.min(min[f]!, extremes[f]!)
      max[f] = Math.max(max[f]!, extremes[width + f]!)
      far[f]! += extremes[2 * width + f]!
    }
    for (let i = 0; i < half; i++) {
      sum[i % width]! += sums[i]!
      squares[i % width]! += sums[half + i]!
    }
  }

  /** Means and (population) standard deviations of the `n` rows added, from deviations about the median. */
  moments(n: number): [number[], number[]] {
    const means = Array.from(this.medians, (m, f) => m + this.sum[f]! / n)
    const stds = Array.from(this.sum, (s, f) => Math.sqrt(Math.max(0, this.squares[f]! / n - (s / n) ** 2)))
    return [means, stds]
  }

  robust(n: number): Pick<DataStats, 'robustZ' | 'farShare' | 'concentrated'> {
    const robustZ: number[] = []
    const farShare: number[] = []
    const concentrated: boolean[] = []
    this.mads.forEach((mad, f) => {
      const far = Math.max(Math.abs(this.min[f]! - this.medians[f]!), Math.abs(this.max[f]! - this.medians[f]!))
      robustZ.push(mad > 0 ? far / mad : 0)
      farShare.push(mad > 0 ? this.far[f]! / n : 0)
      concentrated.push(mad === 0)
    })
    return { robustZ, farShare, concentrated }
  }
}

/** The median (the mean of the two middle values for an even count), found by selection: reorders `values`. */
function middle(values: Float64Array): number {
  const m = values.length >> 1
  select(values, m)
  if (values.length % 2) return values[m]!
  let below = -Infinity
  for (let i = 0; i < m; i++) if (values[i]! > below) below = values[i]!
  return (below + values[m]!) / 2
}

/** Hoare's quickselect: afterwards values[k] is the k-th smallest, with nothing larger before it nor smaller after. */
function select(values: Float64Array, k: number): void {
  let lo = 0
  let hi = values.length - 1
  while (hi > lo) {
    const pivot = values[(lo + hi) >> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (values[i]! < pivot) i++
      while (values[j]! > pivot) j--
      if (i <= j) {
        const t = values[i]!
        values[i++] = values[j]!
        values[j--] = t
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return
  }
}
