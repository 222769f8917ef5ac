import * as tf from '@tensorflow/tfjs'
import { describe, rangeError, typeError } from './errors.js'
import { finish, type Steps } from './pace.js'
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
  return finish(tensorSteps(dataset, info, arg))
}

/** toTensors as steps: the walk over nested arrays lets the event loop turn every WALK_STEP values (see Pacer). */
export function* tensorSteps(dataset: unknown, info: ModelInfo, arg = 'dataset'): Steps<Tensors> {
  if (typeof dataset !== 'object' || dataset === null || !('x' in dataset) || !('y' in dataset)) {
    throw typeError(`${arg} must be { x, y }, received ${describe(dataset)}; ${HELP}`)
  }
  const { x: rawX, y: rawY } = dataset as Dataset
  const ids = info.integerInput === true
  const limit = info.vocabulary ?? Infinity
  // Nested arrays are validated and copied into one typed array in a single walk: no flattened JS array in between.
  const xRead = yield* read(rawX, `${arg}.x`, ids ? limit : undefined)
  const yRead = yield* read(rawY, `${arg}.y`)
  const xShape = xRead.shape
  const yShape = yRead.shape
  const n = xShape[0] ?? 0
  if (n === 0) throw rangeError(`${arg}.x is empty; ${HELP}`)
  if ((yShape[0] ?? 0) !== n) {
    throw rangeError(`${arg}.y has ${yShape[0] ?? 0} samples but ${arg}.x has ${n}; give one target per sample`)
  }
  const xFeatures = fitInput(xShape, info, arg)
  const target = fitTarget(yShape.slice(1), info, arg)
  const x = toTensor(xRead, [n, ...xFeatures], ids ? 'int32' : 'float32')
  const y = toTensor(yRead, [n, ...target.shape], 'float32')
  try {
    assertFinite(x, xRead, `${arg}.x`)
    assertFinite(y, yRead, `${arg}.y`)
    if (ids) assertIds(rawX, xRead, limit, `${arg}.x`)
  } catch (error) {
    x.dispose()
    y.dispose()
    throw error
  }
  handOver(x, xRead)
  return { x, y, classIndices: target.classIndices, dispose: () => tf.dispose([x, y]) }
}

type Held = { tensorMap?: { get(dataId: object): { values?: unknown } | undefined } }

/**
 * Holds nested features once. tfjs-node keeps the typed array a tensor is made from until an op first reads the
 * tensor, copies it into TensorFlow then, and drops it; by then the array (40 MB for 200k × 50) has outlived a few
 * young garbage collections and its memory waits for a full one, the whole run long. So x is read once now, and where
 * the backend shows it let go of the array (tfjs-node's tensorMap entry without values; the CPU backend keeps the
 * array as the tensor's data and is left alone) the array is detached: structuredClone's transfer hands its memory to
 * a clone nothing keeps, which the next young collection frees.
 */
function handOver(t: tf.Tensor, read: Read): void {
  const backend = tf.backend() as unknown as Held
  if (!read.values || read.values.byteLength < HAND_OVER_BYTES || typeof backend.tensorMap?.get !== 'function') return
  tf.tidy(() => tf.slice(t, 0, 1))
  if (backend.tensorMap.get(t.dataId)?.values !== null) return
  structuredClone(undefined, { transfer: [read.values.buffer as ArrayBuffer] })
}

/** Arrays smaller than a slab (slabs.ts) are left to the garbage collector. */
const HAND_OVER_BYTES = 4 << 20

/** A tensor or nested array, validated: its shape and, for an array, its values already in the dtype they train in. */
interface Read {
  shape: number[]
  tensor?: tf.Tensor
  values?: Float32Array | Int32Array
  /** Nested token ids: the first entry that is not a whole number below the limit. */
  badId?: { value: number }
  /** Nested numbers: where `values` holds its first value that is not finite in float32, if any. */
  nonFinite?: number
}

function toTensor(read: Read, shape: number[], dtype: 'float32' | 'int32'): tf.Tensor {
  const { tensor, values } = read
  if (!tensor) return tf.tensor(values!, shape, dtype)
  return tf.tidy(() => tf.reshape(tensor.dtype === dtype ? tensor.clone() : tf.cast(tensor, dtype), shape))
}

/** Token ids must be whole numbers below the Embedding's inputDim: anything else no embedding can look up. */
function assertIds(raw: tf.Tensor | NestedNumbers, read: Read, limit: number, arg: string): void {
  const bad = raw instanceof tf.Tensor ? badIdIn(raw, limit) : read.badId
  if (!bad) return
  throw rangeError(
    `${arg} holds ${bad.value} where the model's Embedding reads token ids 0..${Number.isFinite(limit) ? limit - 1 : 'inputDim - 1'}; ` +
      'pass whole-number ids below the Embedding\'s inputDim (map unknown tokens to a reserved id)',
  )
}

/** Checked with tf ops: the values are read back only to name a bad one. */
function badIdIn(raw: tf.Tensor, limit: number): { value: number } | undefined {
  const ok = tf.tidy(() => {
    if (raw.size === 0) return true
    if (raw.dtype === 'int32') return tf.min(raw).dataSync()[0]! >= 0 && tf.max(raw).dataSync()[0]! < limit
    const v = tf.cast(raw, 'float32')
    return tf.all(tf.logicalAnd(tf.equal(tf.floor(v), v), tf.logicalAnd(tf.greaterEqual(v, 0), tf.less(v, limit)))).dataSync()[0] === 1
  })
  if (ok) return undefined
  const value = Array.from(raw.dataSync()).find((v) => !Number.isInteger(v) || v < 0 || v >= limit)
  return value === undefined ? undefined : { value }
}

/**
 * The shape of a tensor, or of a rectangular nested array of numbers together with its values, copied in one walk
 * into a typed array of the dtype they train in: Int32Array for token ids below `idsBelow` (the walk notes the first
 * bad one), Float32Array otherwise.
 */
function* read(value: unknown, arg: string, idsBelow?: number): Steps<Read> {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw typeError(`${arg} is a disposed tensor; pass a live tensor or an array`)
    if (value.dtype === 'string' || value.dtype === 'complex64') throw typeError(`${arg} has dtype ${value.dtype}; pass numbers`)
    if (value.rank === 0) throw rangeError(`${arg} is a scalar; it needs one row per sample`)
    // tf.tensor(raggedRows) outside tfjs's debug mode builds a tensor whose data does not fill its shape: every op on it fails obscurely.
    const held = value.dataSync().length
    if (held !== value.size) {
      throw rangeError(`${arg} is a tensor of shape [${value.shape.join(', ')}] holding ${held} values instead of ${value.size}, as tf.tensor builds from ragged rows; rows must all have the same shape`)
    }
    return { shape: value.shape, tensor: value }
  }
  if (!Array.isArray(value)) throw typeError(`${arg} must be a tf.Tensor or a nested array of numbers, received ${describe(value)}`)
  const shape: number[] = []
  let level: unknown = value
  while (Array.isArray(level)) {
    shape.push(level.length)
    level = level[0]
  }
  const size = shape.reduce((a, b) => a * b, 1)
  const walk: Walk = { shape, arg, path: [], values: idsBelow === undefined ? new Float32Array(size) : new Int32Array(size), offset: 0, limit: idsBelow }
  if (shape.length === 1) fill(value, 0, walk)
  else {
    // Row by row, as fill would, with a step every WALK_STEP values: 200k rows of 50 take a fifth of a second.
    const every = Math.max(1, Math.floor(WALK_STEP / (size / shape[0]! || 1)))
    for (let i = 0; i < shape[0]!; i++) {
      if (i > 0 && i % every === 0) yield
      walk.path.push(i)
      fill((value as unknown[])[i], 1, walk)
      walk.path.pop()
    }
  }
  return { shape, values: walk.values, badId: walk.badId, nonFinite: walk.nonFinite }
}

/** Values the walk over nested arrays copies between two steps: about 20 ms of it. */
const WALK_STEP = 1 << 20

interface Walk {
  shape: number[]
  arg: string
  /** Indices down to the array being read, for messages. */
  path: number[]
  values: Float32Array | Int32Array
  offset: number
  limit?: number
  badId?: { value: number }
  nonFinite?: number
}

const at = (arg: string, path: number[]): string => (path.length ? `${arg}[${path.join('][')}]` : arg)

function fill(value: unknown, depth: number, walk: Walk): void {
  const { shape, path } = walk
  const length = shape[depth]!
  if (!Array.isArray(value) || value.length !== length) {
    throw rangeError(`${at(walk.arg, path)} has ${Array.isArray(value) ? `length ${value.length}` : describe(value)} where length ${length} was expected; rows must all have the same shape`)
  }
  if (depth < shape.length - 1) {
    for (let i = 0; i < length; i++) {
      path.push(i)
      fill(value[i], depth + 1, walk)
      path.pop()
    }
    return
  }
  const { values, limit } = walk
  for (let i = 0; i < length; i++) {
    const v: unknown = value[i]
    if (typeof v !== 'number') throw typeError(`${at(walk.arg, [...path, i])} is ${describe(v)}; every entry must be a number`)
    if (limit !== undefined && !walk.badId && !(Number.isInteger(v) && v >= 0 && v < limit)) walk.badId = { value: v }
    values[walk.offset] = v
    // Noted as stored (1e39 is Infinity in float32) and reported after the shape checks; no second pass over the values.
    if (limit === undefined && walk.nonFinite === undefined && !Number.isFinite(values[walk.offset]!)) walk.nonFinite = walk.offset
    walk.offset++
  }
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

/** Values that are not finite in float32 (NaN, ±Infinity, beyond ±3.4e38) no model trains on. A tensor is checked with tf ops first. */
function assertFinite(t: tf.Tensor, read: Read, arg: string): void {
  if (t.dtype === 'int32') return
  if (read.values ? read.nonFinite === undefined : tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0] === 1)) return
  const values = read.values ?? t.dataSync()
  for (let i = read.nonFinite ?? 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / (values.length / t.shape[0]!))
      throw rangeError(`${arg} contains ${v} in sample ${row}; remove or impute non-finite values before training`)
    }
  }
}
