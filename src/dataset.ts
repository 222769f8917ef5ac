import * as tf from '@tensorflow/tfjs'
import { describe, rangeError, typeError } from './errors.js'
import type { ModelInfo } from './subject.js'
import type { Dataset, NestedNumbers } from './types.js'

/** A validated dataset as tensors the run owns. */
export interface Tensors {
  x: tf.Tensor
  y: tf.Tensor
  /** y holds one class index per output position where the loss expects one-hot rows (C4: the run does not train). */
  classIndices: boolean
  dispose(): void
}

const HELP = 'pass { x, y } with x of shape [samples, ...features] and y of shape [samples, ...outputs]'

/**
 * Checks `dataset` against the model and returns owned tensors in the shapes the user gave: x float32, or int32
 * when an Embedding reads it; y float32, with a trailing unit axis added only where `model.fit` adds one.
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
  const target = fitTarget(yShape.slice(1), info, arg)
  const x = tf.tidy(() => tf.reshape(toDtype(rawX, info.integerInput ? 'int32' : 'float32'), [n, ...xFeatures]))
  const y = tf.tidy(() => tf.reshape(toDtype(rawY, 'float32'), [n, ...target.shape]))
  try {
    assertFinite(x, `${arg}.x`)
    assertFinite(y, `${arg}.y`)
    if (info.integerInput) assertIds(rawX, info, `${arg}.x`)
  } catch (error) {
    x.dispose()
    y.dispose()
    throw error
  }
  return { x, y, classIndices: target.classIndices, dispose: () => tf.dispose([x, y]) }
}

function toDtype(value: tf.Tensor | NestedNumbers, dtype: 'float32' | 'int32'): tf.Tensor {
  if (value instanceof tf.Tensor) return value.dtype === dtype ? value.clone() : tf.cast(value, dtype)
  return tf.tensor(value as number[], undefined, dtype)
}

/** Token ids must be whole numbers below the Embedding's inputDim: anything else no embedding can look up. */
function assertIds(raw: tf.Tensor | NestedNumbers, info: ModelInfo, arg: string): void {
  const values = raw instanceof tf.Tensor ? raw.dataSync() : (raw as unknown[]).flat(Infinity as 1) as number[]
  const limit = info.vocabulary ?? Infinity
  const bad = Array.from(values).findIndex((v) => !Number.isInteger(v) || v < 0 || v >= limit)
  if (bad === -1) return
  throw rangeError(
    `${arg} holds ${values[bad]} where the model's Embedding reads token ids 0..${Number.isFinite(limit) ? limit - 1 : 'inputDim - 1'}; ` +
      'pass whole-number ids below the Embedding\'s inputDim (map unknown tokens to a reserved id)',
  )
}

/** The shape of a tensor or of a rectangular nested array of numbers. */
function shapeOf(value: unknown, arg: string): number[] {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw typeError(`${arg} is a disposed tensor; pass a live tensor or an array`)
    if (value.dtype === 'string' || value.dtype === 'complex64') throw typeError(`${arg} has dtype ${value.dtype}; pass numbers`)
    if (value.rank === 0) throw rangeError(`${arg} is a scalar; it needs one row per sample`)
    // tf.tensor(raggedRows) outside tfjs's debug mode builds a tensor whose data does not fill its shape: every op on it fails obscurely.
    const held = value.dataSync().length
    if (held !== value.size) {
      throw rangeError(`${arg} is a tensor of shape [${value.shape.join(', ')}] holding ${held} values instead of ${value.size}, as tf.tensor builds from ragged rows; rows must all have the same shape`)
    }
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

const same = (a: readonly number[], b: readonly (number | null)[]): boolean =>
  a.length === b.length && b.every((d, i) => d === null || d === a[i])

/**
 * The shape y trains in. Layers models: the output's own shape, or what `model.fit` accepts for it (a trailing unit
 * axis added, class indices for a sparse loss). Class indices where the loss wants one-hot rows are flagged, not
 * thrown: that is the checklist's C4, a failing model. Custom trainables get y exactly as given.
 */
function fitTarget(target: number[], info: ModelInfo, arg: string): { shape: number[]; classIndices: boolean } {
  const out = info.kind === 'layers' ? info.outputShape : undefined
  if (!out) return { shape: target, classIndices: false }
  if (same(target, out)) return { shape: target, classIndices: false }
  const last = out[out.length - 1]
  const positions = out.slice(0, -1)
  const indices = same(target, positions) || same(target, [...positions, 1])
  const resolved = (o: (number | null)[]): number[] => o.map((d, i) => d ?? target[i] ?? 1)
  if (last === 1 && indices) return { shape: resolved(out), classIndices: false } // fit adds the unit axis too
  if (indices && /sparse/i.test(info.lossName)) return { shape: [...resolved(positions), 1], classIndices: false }
  if (indices) return { shape: [...resolved(positions), 1], classIndices: true }
  const outs = out.map((d) => d ?? 'any').join(', ')
  throw rangeError(
    `${arg}.y has targets of shape [${target.join(', ')}] but the model outputs [${outs}] per sample; give y the shape [samples, ${outs}]` +
      (last !== undefined && last !== null && last > 1 ? ` (or one class index per ${positions.length ? 'position' : 'sample'} with a sparse loss)` : ''),
  )
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
