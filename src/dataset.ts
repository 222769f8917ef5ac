import * as tf from '@tensorflow/tfjs'
import { describe, rangeError, typeError } from './errors.js'
import type { ModelInfo } from './subject.js'
import type { Dataset, NestedNumbers } from './types.js'

/** A validated dataset as tensors the run owns. */
export interface Tensors {
  x: tf.Tensor
  y: tf.Tensor
  dispose(): void
}

const HELP = 'pass { x, y } with x of shape [samples, ...features] and y of shape [samples, outputs]'

/**
 * Checks `dataset` against the model and returns owned float32 tensors.
 * Throws TypeError/RangeError naming the argument and the fix; a raw tfjs shape error never reaches the user.
 */
export function toTensors(dataset: unknown, info: ModelInfo, arg = 'dataset'): Tensors {
  if (typeof dataset !== 'object' || dataset === null || !('x' in dataset) || !('y' in dataset)) {
    throw typeError(`${arg} must be { x, y }, received ${describe(dataset)}; ${HELP}`)
  }
  const { x: rawX, y: rawY } = dataset as Dataset
  const xShape = shapeOf(rawX, `${arg}.x`)
  const yShape = shapeOf(rawY, `${arg}.y`)
  const n = xShape[0] ?? 0
  if (n === 0) throw rangeError(`${arg}.x is empty; ${HELP}`)
  if ((yShape[0] ?? 0) !== n) {
    throw rangeError(`${arg}.y has ${yShape[0] ?? 0} samples but ${arg}.x has ${n}; give one target per sample`)
  }
  const xFeatures = fitInput(xShape, info, arg)
  const yTarget = fitTarget(yShape, info, arg)
  const x = tf.tidy(() => tf.reshape(toFloat(rawX), [n, ...xFeatures]))
  const y = tf.tidy(() => tf.reshape(toFloat(rawY), [n, ...yTarget]))
  try {
    assertFinite(x, `${arg}.x`)
    assertFinite(y, `${arg}.y`)
  } catch (error) {
    x.dispose()
    y.dispose()
    throw error
  }
  return { x, y, dispose: () => tf.dispose([x, y]) }
}

function toFloat(value: tf.Tensor | NestedNumbers): tf.Tensor {
  if (value instanceof tf.Tensor) return value.dtype === 'float32' ? value.clone() : tf.cast(value, 'float32')
  return tf.tensor(value as number[], undefined, 'float32')
}

/** The shape of a tensor or of a rectangular nested array of numbers. */
function shapeOf(value: unknown, arg: string): number[] {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw typeError(`${arg} is a disposed tensor; pass a live tensor or an array`)
    if (value.dtype === 'string' || value.dtype === 'complex64') throw typeError(`${arg} has dtype ${value.dtype}; pass numbers`)
    if (value.rank === 0) throw rangeError(`${arg} is a scalar; it needs one row per sample`)
    return value.shape
  }
  if (!Array.isArray(value)) throw typeError(`${arg} must be a tf.Tensor or a nested array of numbers, received ${describe(value)}`)
  const shape: number[] = []
  let level: unknown = value
  while (Array.isArray(level)) {
    shape.push(level.length)
    level = level[0]
  }
  walk(value, shape, 0, arg, [])
  return shape
}

function walk(value: unknown, shape: number[], depth: number, arg: string, path: number[]): void {
  const at = path.length ? `${arg}[${path.join('][')}]` : arg
  if (depth === shape.length) {
    if (typeof value !== 'number') throw typeError(`${at} is ${describe(value)}; every entry must be a number`)
    return
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw rangeError(`${at} has ${Array.isArray(value) ? `length ${value.length}` : describe(value)} where length ${shape[depth]} was expected; rows must all have the same shape`)
  }
  value.forEach((item, i) => walk(item, shape, depth + 1, arg, [...path, i]))
}

function fitInput(xShape: number[], info: ModelInfo, arg: string): number[] {
  const features = xShape.slice(1)
  const expected = info.inputShape
  if (!expected) return features
  // A column of scalars for a one-feature model is the usual way to write x = [-1, 1].
  if (features.length === 0 && expected.length === 1 && (expected[0] === 1 || expected[0] === null)) return [1]
  const fits = features.length === expected.length && expected.every((d, i) => d === null || d === features[i])
  if (!fits) {
    throw rangeError(
      `${arg}.x has samples of shape [${features.join(', ')}] but the model expects [${expected.map((d) => d ?? 'any').join(', ')}] ` +
        `(shape [${xShape.join(', ')}] vs [samples, ${expected.map((d) => d ?? 'any').join(', ')}]); reshape x or fix the model's inputShape`,
    )
  }
  return features
}

function fitTarget(yShape: number[], info: ModelInfo, arg: string): number[] {
  const target = yShape.slice(1)
  const units = info.outputUnits
  if (units === undefined) return target.length ? target : [1]
  if (target.length === 0 || (target.length === 1 && target[0] === 1)) {
    if (units === 1) return [1]
    if (/sparse/i.test(info.lossName)) return [1]
    throw rangeError(
      `${arg}.y holds one number per sample but the model outputs ${units} per sample; ` +
        `one-hot encode the labels (tf.oneHot(labels, ${units})) or use loss 'sparseCategoricalCrossentropy'`,
    )
  }
  if (target.length !== 1 || target[0] !== units) {
    throw rangeError(`${arg}.y has targets of shape [${target.join(', ')}] but the model outputs [${units}] per sample; give y the shape [samples, ${units}]`)
  }
  return target
}

function assertFinite(t: tf.Tensor, arg: string): void {
  const values = t.dataSync()
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / (values.length / t.shape[0]!))
      throw rangeError(`${arg} contains ${v} in sample ${row}; remove or impute non-finite values before training`)
    }
  }
}
