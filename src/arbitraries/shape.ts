import fc from 'fast-check'
import { describe, rangeError, typeError } from '../errors.js'

/** A dataset as the arbitraries produce it: plain arrays, one row of `x` and one target per sample. */
export interface GeneratedDataset {
  x: number[][]
  /** Binary: 0/1 per sample. Multiclass: one-hot rows. Regression: one row of targets per sample. */
  y: number[] | number[][]
}

/** A fixed count, or a range that shrinks toward `min`. */
export type Size = number | { min: number; max: number }

/** The model shape a dataset arbitrary targets. */
export interface ShapeOptions {
  /** Features per sample; a range shrinks toward fewer features. */
  features: Size
  /** Samples per dataset; a range shrinks toward fewer samples. Default `{ min: classes, max: 16 }`. */
  samples?: Size
  /** Number of classes (2 = binary labels 0/1, more = one-hot). Default 2 unless `regression` is set. */
  classes?: number
  /** Regression targets instead of labels: `true` for one output, or the number of outputs. */
  regression?: boolean | number
}

/** The validated, resolved form of ShapeOptions. */
export interface Shape {
  features: { min: number; max: number }
  samples: { min: number; max: number }
  /** 0 for regression. */
  classes: number
  outputs: number
}

/** Validates `options` of `fn` and fills in the defaults; `minSamples` is the fewest samples the generator needs. */
export function resolveShape(fn: string, options: ShapeOptions, minSamples = 1): Shape {
  if (typeof options !== 'object' || options === null) {
    throw typeError(`${fn}(options): options must be { features, samples?, classes? | regression? }, received ${describe(options)}`)
  }
  const regression = options.regression !== undefined && options.regression !== false
  if (regression && options.classes !== undefined) {
    throw typeError(`${fn}(options): pass either classes or regression, not both`)
  }
  const outputs = regression ? (options.regression === true ? 1 : positiveInt(`${fn}(options.regression)`, options.regression as number)) : 1
  const classes = regression ? 0 : options.classes ?? 2
  if (!regression && (!Number.isInteger(classes) || classes < 2)) {
    throw rangeError(`${fn}(options.classes) must be an integer ≥ 2, received ${describe(classes)}; use regression: true for real-valued targets`)
  }
  const features = size(`${fn}(options.features)`, options.features, 1)
  const fewest = Math.max(minSamples, classes)
  const samples = size(`${fn}(options.samples)`, options.samples ?? { min: fewest, max: Math.max(fewest, 16) }, 1)
  if (samples.min < fewest) {
    throw rangeError(`${fn}(options.samples) must allow at least ${fewest} samples (one per class${minSamples > classes ? ` and ${minSamples} for this generator` : ''}), received min ${samples.min}`)
  }
  return { features, samples, classes, outputs }
}

function positiveInt(arg: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw rangeError(`${arg} must be a positive integer, received ${describe(value)}`)
  return value
}

/** A Size as `{ min, max }`, validated. */
export function size(arg: string, value: Size | undefined, least: number): { min: number; max: number } {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < least) throw rangeError(`${arg} must be an integer ≥ ${least}, received ${describe(value)}`)
    return { min: value, max: value }
  }
  if (typeof value !== 'object' || value === null) {
    throw typeError(`${arg} must be a number or { min, max }, received ${describe(value)}`)
  }
  const { min, max } = value
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < least || max < min) {
    throw rangeError(`${arg} must be integers with ${least} ≤ min ≤ max, received { min: ${min}, max: ${max} }`)
  }
  return { min, max }
}

/**
 * A number in [-1, 1] on a grid of 1e-3 that shrinks toward 0: the raw material of every coordinate.
 * The grid keeps counterexamples readable and keeps out the subnormal doubles fc.double favours, which
 * float32 flushes to 0 and which turn any scaler's spread into a division by almost nothing.
 */
export function unit(): fc.Arbitrary<number> {
  return fc.integer({ min: -1000, max: 1000 }).map((v) => v / 1000)
}

/** `length` values of `arb`, exactly. */
export function vector<T>(arb: fc.Arbitrary<T>, length: number): fc.Arbitrary<T[]> {
  return fc.array(arb, { minLength: length, maxLength: length })
}

/** A label per sample as the model expects it: 0/1 for two classes, one-hot rows for more. */
export function encodeLabels(labels: number[], classes: number): number[] | number[][] {
  if (classes === 2) return labels
  return labels.map((k) => Array.from({ length: classes }, (_, j) => (j === k ? 1 : 0)))
}

/** Class index of each sample of a classification dataset, or undefined for regression targets. */
export function labelsOf(data: GeneratedDataset, classes?: number): number[] | undefined {
  const rows = data.y
  if (rows.length === 0) return []
  if (typeof rows[0] === 'number') {
    const flat = rows as number[]
    return flat.every((v) => v === 0 || v === 1) ? flat : undefined
  }
  const matrix = rows as number[][]
  const width = matrix[0]!.length
  const oneHot = width >= 2 && matrix.every((r) => r.every((v) => v === 0 || v === 1) && r.reduce<number>((a, b) => a + b, 0) === 1)
  if (!oneHot || (classes !== undefined && width !== classes)) return undefined
  return matrix.map((r) => r.indexOf(1))
}

/** Cycles per-feature parameters over however many features the dataset has. */
export function perFeature(values: number[], feature: number): number {
  return values[feature % values.length]!
}

/** Duck-typed, so an arbitrary from another copy of fast-check is accepted too. */
export function isArbitrary(value: unknown): value is fc.Arbitrary<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as fc.Arbitrary<unknown>).generate === 'function' &&
    typeof (value as fc.Arbitrary<unknown>).map === 'function'
}
