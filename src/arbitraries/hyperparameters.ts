import fc from 'fast-check'
import { rangeError } from '../errors.js'

/** A fixed value, or a range to draw from. */
export type Range = number | { min: number; max: number }

export interface HyperparameterOptions {
  /** Drawn log-uniformly. Default `{ min: 1e-3, max: 1 }`; shrinks toward `max`'s side of the range closest to 1. */
  learningRate?: Range
  /** Default `{ min: 1, max: 32 }`; shrinks toward min. */
  batchSize?: Range
  /** Epoch budget. Default `{ min: 50, max: 500 }`; shrinks toward min. */
  epochs?: Range
}

/** Options a check accepts, ready to spread: `checks.overfit(model, data, { ...hp })`. */
export interface Hyperparameters {
  learningRate: number
  batchSize: number
  maxEpochs: number
}

/**
 * Training settings to quantify over, as options every check accepts.
 *
 * @example
 * await fc.assert(fc.asyncProperty(arbitraries.hyperparameters({ learningRate: { min: 0.01, max: 1 } }), async (hp) => {
 *   await expect(buildModel).toOverfitTinyDataset(twoPoints, hp)
 * }), { numRuns: 10 })
 */
export function hyperparameters(options: HyperparameterOptions = {}): fc.Arbitrary<Hyperparameters> {
  return fc.record({
    learningRate: logUniform('hyperparameters(options.learningRate)', options.learningRate ?? { min: 1e-3, max: 1 }),
    batchSize: integer('hyperparameters(options.batchSize)', options.batchSize ?? { min: 1, max: 32 }),
    maxEpochs: integer('hyperparameters(options.epochs)', options.epochs ?? { min: 50, max: 500 }),
  })
}

function bounds(arg: string, range: Range, positive: boolean): { min: number; max: number } {
  const { min, max } = typeof range === 'number' ? { min: range, max: range } : range
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max && (!positive || min > 0))) {
    throw rangeError(`${arg} must be a ${positive ? 'positive ' : ''}number or { min, max } with min ≤ max, received ${JSON.stringify(range)}`)
  }
  return { min, max }
}

function logUniform(arg: string, range: Range): fc.Arbitrary<number> {
  const { min, max } = bounds(arg, range, true)
  if (min === max) return fc.constant(min)
  // The exponent shrinks toward 0 (rate 1) or the bound closest to it; rounding keeps counterexamples readable.
  return fc.double({ min: Math.log10(min), max: Math.log10(max), noNaN: true })
    .map((e) => Math.min(max, Math.max(min, Number((10 ** e).toPrecision(3)))))
}

function integer(arg: string, range: Range): fc.Arbitrary<number> {
  const { min, max } = bounds(arg, range, true)
  if (!Number.isInteger(min) || !Number.isInteger(max)) throw rangeError(`${arg} must be whole numbers, received ${JSON.stringify(range)}`)
  return fc.integer({ min, max })
}
