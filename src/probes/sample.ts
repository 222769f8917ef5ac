import * as tf from '@tensorflow/tfjs'
import { sampleRows } from '../stats.js'

/**
 * Rows the probes read on a large set. Each probe is a forward pass (and for the input gradient a backward pass) over
 * the rows it reads, before and after training: on every row of 200k that is seconds, and a tape as large as the data.
 * On a fixed, stratified sample of k rows (stats.ts sampleRows: the same rows whatever the seed, spread evenly over the
 * set) what each probe can get wrong is bounded:
 * - C9 dead ReLU units (never active on the rows read): a unit active on a share p of the data is missed by k rows with
 *   probability ≈ e^(−pk): at k = 1024, 0.6% for p = 0.5%, 3.6e-5 for p = 1%. The rule needs over half of a layer dead,
 *   so a false C9 needs most of a layer firing on under 1 sample in 200: units that learn from almost nothing.
 * - C9 saturation (the mean local slope, in [0, 1], below 1% of its peak): the mean of k values in [0, 1] with mean μ
 *   has a standard error of at most √(μ(1 − μ)/k): 0.0022 at μ = 0.5%, 0.0044 at μ = 2%, so only units within a
 *   factor of 2 of the bound can read on its other side (2.3 standard errors) — the bound itself judges a factor of 100.
 * - C8 output spread and input gradient: a standard deviation and a mean over k rows, ±2.2% (1/√(2k)) and alike; the
 *   rules compare them with 1e-4 and 1e-6, orders of magnitude below a model that uses its input.
 * - C8 one predicted class: a class the model gives a share p of the data is absent from k rows with probability
 *   ≈ e^(−pk): 0.6% at p = 0.5%. The evidence then says how many rows were read ("on 1024 of 200000 samples").
 * - C15 variables a custom loss depends on: a dependence in the graph, the same on any rows.
 * - C3 probabilities scored as logits: cross-entropy and loss on the same rows, compared as a ratio.
 * A set of at most k rows is read whole, so every small-data result is unchanged. 1024 rows of 50 features are 51k
 * values, a twentieth of one slab (slabs.ts): one forward pass each, well under the event loop's 100 ms.
 */
export const PROBE_SAMPLE = 1024

/** How many samples the probes read, of how many, when they read a sample; absent when they read every one. */
export interface Probed {
  samples: number
  of: number
}

/** The rows of (x, y) the probes read: both themselves up to PROBE_SAMPLE rows, else the fixed sample. Dispose it. */
export function probeRows(x: tf.Tensor, y: tf.Tensor): { x: tf.Tensor; y: tf.Tensor; probed?: Probed; dispose(): void } {
  const n = x.shape[0]!
  if (n <= PROBE_SAMPLE) return { x, y, dispose: () => undefined }
  const rows = sampleRows(n, PROBE_SAMPLE)
  const [sx, sy] = tf.tidy(() => {
    const indices = tf.tensor1d(rows, 'int32')
    return [tf.gather(x, indices), tf.gather(y, indices)]
  })
  return { x: sx, y: sy, probed: { samples: rows.length, of: n }, dispose: () => tf.dispose([sx, sy]) }
}

/** `1024 of 200000 samples`: what a probe's claim covers when it read a sample. */
export function sampled(probed: Probed): string {
  return `${probed.samples} of ${probed.of} samples`
}

/** `200 samples` when every one of them was read, else what the probes read (`1024 of 200000 samples`). */
export function samplesRead(probed: Probed | undefined, samples: number): string {
  return probed ? sampled(probed) : `${samples} samples`
}
