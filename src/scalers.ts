import * as tf from '@tensorflow/tfjs'
import type { FittedScaler, Scaler } from './types.js'

/** Per-feature center and scale, learned on the training features only (fit), then applied unchanged (transform). */
function affineScaler(name: string, stats: (x: tf.Tensor2D) => { center: tf.Tensor; scale: tf.Tensor }): Scaler {
  return {
    name,
    fit(x: tf.Tensor): FittedScaler {
      const { center, scale } = tf.tidy(() => {
        const flat = tf.reshape(x, [x.shape[0]!, -1]) as tf.Tensor2D
        const s = stats(flat)
        // A constant feature keeps its values' spread of 1 instead of dividing by zero.
        const safe = tf.where(tf.greater(s.scale, 0), s.scale, tf.onesLike(s.scale))
        return { center: tf.reshape(s.center, x.shape.slice(1)), scale: tf.reshape(safe, x.shape.slice(1)) }
      })
      return {
        transform: (input) => tf.tidy(() => tf.div(tf.sub(input, center), scale)),
        dispose: () => tf.dispose([center, scale]),
      }
    },
  }
}

/** Column quantile by linear interpolation, as numpy's default. */
function quantile(x: tf.Tensor2D, q: number): tf.Tensor {
  return tf.tidy(() => {
    const n = x.shape[0]
    const sorted = tf.neg(tf.topk(tf.neg(tf.transpose(x)), n).values) // ascending, one row per feature
    const pos = q * (n - 1)
    const lo = Math.floor(pos)
    const hi = Math.min(lo + 1, n - 1)
    const a = tf.slice(sorted, [0, lo], [-1, 1])
    const b = tf.slice(sorted, [0, hi], [-1, 1])
    return tf.reshape(tf.add(a, tf.mul(tf.sub(b, a), pos - lo)), [-1])
  })
}

/**
 * Standardization: zero mean, unit variance per feature (sklearn's StandardScaler).
 * @example await expect({ model: build, preprocess: scalers.standard() }).toBeScaleInvariant(data)
 */
export function standard(): Scaler {
  return affineScaler('standard', (x) => {
    const { mean, variance } = tf.moments(x, 0)
    return { center: mean, scale: tf.sqrt(variance) }
  })
}

/** Median and interquartile range per feature: outliers do not set the scale (sklearn's RobustScaler). */
export function robust(): Scaler {
  return affineScaler('robust', (x) => ({ center: quantile(x, 0.5), scale: tf.sub(quantile(x, 0.75), quantile(x, 0.25)) }))
}

/** Maps each feature's training range onto [0, 1] (sklearn's MinMaxScaler). */
export function minMax(): Scaler {
  return affineScaler('minMax', (x) => {
    const min = tf.min(x, 0)
    return { center: min, scale: tf.sub(tf.max(x, 0), min) }
  })
}
