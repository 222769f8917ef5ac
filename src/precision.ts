import * as tf from '@tensorflow/tfjs'

/** IEEE 754 binary16: 1 sign bit, 5 exponent bits, 10 fraction bits. */
export const FLOAT16 = {
  /** Largest finite value. */
  max: 65504,
  /** Smallest positive normal value, 2^-14. */
  minNormal: 2 ** -14,
  /** Smallest positive subnormal value, 2^-24. */
  minSubnormal: 2 ** -24,
  /** Gap between 1 and the next value, 2^-10. */
  epsilon: 2 ** -10,
} as const

const FRACTION_BITS = 10
const MIN_EXPONENT = -14
// Halfway between FLOAT16.max and 2^16: from here on, round-half-to-even goes to 2^16, which overflows.
const OVERFLOW = 65520

const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0 // index of the word holding sign and exponent

/** floor(log2 |value|) for a finite non-zero double, read from its bits (Math.log2 is not exact near powers of 2). */
function exponentOf(value: number): number {
  f64[0] = value
  const biased = (u32[HIGH]! >>> 20) & 0x7ff
  if (biased === 0) return -1023 // double subnormals are far below float16's range; any small exponent rounds them to 0
  return biased - 1023
}

/**
 * The float16 value nearest to `value` (round half to even), as a number: subnormals kept, overflow to ±Infinity,
 * NaN and signed zeros preserved. Exact for any double, so there is no double rounding through float32.
 *
 * @example
 * toFloat16(0.1)          // 0.0999755859375
 * toFloat16(4 - 0.001)    // 3.998046875: float16 steps are 2^-9 in [2, 4)
 * toFloat16(65520)        // Infinity
 */
export function toFloat16(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value
  const magnitude = Math.abs(value)
  if (magnitude >= OVERFLOW) return value > 0 ? Infinity : -Infinity
  // Spacing of float16 values around `value`; below 2^-14 it stays 2^-24 (subnormals).
  const ulp = 2 ** (Math.max(exponentOf(magnitude), MIN_EXPONENT) - FRACTION_BITS)
  const scaled = magnitude / ulp // exact: a power-of-two scaling, and < 2^11
  const floor = Math.floor(scaled)
  const rest = scaled - floor
  const units = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor
  const rounded = units * ulp
  return value < 0 ? -rounded : rounded === 0 ? 0 : rounded
}

/** Every value rounded to float16, as float32 (every float16 value is exactly a float32). */
export function roundToFloat16(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = toFloat16(values[i]!)
  return out
}

/** A new tensor of `t` rounded to float16. Reads the values back, so use it on small models (as our checks do). */
function float16Of(t: tf.Tensor): tf.Tensor {
  return tf.tensor(roundToFloat16(t.dataSync()), t.shape, 'float32')
}

/**
 * Rounds the forward value to float16 and the gradient flowing back through it too, so a layer's activation and
 * the gradient with respect to it are both stored at half precision (the gradient otherwise passes straight through).
 */
export const roundActivation: (x: tf.Tensor) => tf.Tensor = tf.customGrad((x) => {
  return { value: float16Of(x as tf.Tensor), gradFunc: (dy: tf.Tensor) => float16Of(dy) }
}) as (x: tf.Tensor) => tf.Tensor

/** Half the float16 spacing at `value`: a change smaller than this is rounded away. */
export function halfStepAt(value: number): number {
  const magnitude = Math.abs(value)
  if (magnitude === 0 || !Number.isFinite(magnitude)) return FLOAT16.minSubnormal / 2
  return 2 ** (Math.max(exponentOf(magnitude), MIN_EXPONENT) - FRACTION_BITS - 1)
}
