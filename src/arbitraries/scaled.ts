import fc from 'fast-check'
import { describe, rangeError, typeError } from '../errors.js'
import { isArbitrary, perFeature, type GeneratedDataset } from './shape.js'

export interface ScaledOptions {
  /**
   * Scale factors: `{ min, max }` draws powers of ten between them (default `{ min: 1e-4, max: 1e4 }`);
   * an array draws from its values. Either way shrinking moves toward the factor closest to 1.
   */
  factors?: { min: number; max: number } | readonly number[]
}

/** A dataset whose features were multiplied by `factors` (one per feature, as applied). */
export type Scaled<D extends GeneratedDataset> = D & { factors: number[] }

/**
 * Multiplies each feature by its own factor, over many orders of magnitude (C1, unscaled features).
 * Up to 8 distinct factors cycle over the features; shrinking moves toward one factor, then toward 1.
 * Labels are unchanged: a scaled separable dataset stays separable.
 *
 * @example
 * const data = arbitraries.scaled(arbitraries.linearlySeparable({ features: 2 }), { factors: { min: 1e-3, max: 1e3 } })
 */
export function scaled<D extends GeneratedDataset>(arb: fc.Arbitrary<D>, options: ScaledOptions = {}): fc.Arbitrary<Scaled<D>> {
  if (!isArbitrary(arb)) throw typeError(`scaled(arb): arb must be a fast-check arbitrary of datasets, received ${describe(arb)}`)
  return fc
    .tuple(arb, fc.array(factor(options.factors ?? { min: 1e-4, max: 1e4 }), { minLength: 1, maxLength: 8 }))
    .map(([data, chosen]) => {
      const width = data.x[0]?.length ?? 0
      const applied = Array.from({ length: width }, (_, j) => perFeature(chosen, j))
      const factors = 'factors' in data && Array.isArray(data.factors) ? applied.map((f, j) => f * (data.factors as number[])[j]!) : applied
      return { ...data, x: data.x.map((row) => row.map((v, j) => v * applied[j]!)), factors }
    })
}

function factor(spec: { min: number; max: number } | readonly number[]): fc.Arbitrary<number> {
  if (Array.isArray(spec)) {
    const values = spec as readonly number[]
    if (values.length === 0 || !values.every((v) => Number.isFinite(v) && v > 0)) {
      throw rangeError(`scaled(options.factors) must be positive finite numbers, received [${values.join(', ')}]; e.g. [1, 1e-3, 1e3]`)
    }
    // constantFrom shrinks toward its first value: put the factor closest to 1 first.
    const sorted = [...values].sort((a, b) => Math.abs(Math.log10(a)) - Math.abs(Math.log10(b)))
    return fc.constantFrom(...sorted)
  }
  const { min, max } = spec as { min: number; max: number }
  if (!(min > 0 && max >= min && Number.isFinite(max))) {
    throw rangeError(`scaled(options.factors) must be { min, max } with 0 < min ≤ max, received { min: ${min}, max: ${max} }; e.g. { min: 1e-4, max: 1e4 }`)
  }
  const lo = Math.ceil(Math.log10(min) - 1e-9)
  const hi = Math.floor(Math.log10(max) + 1e-9)
  if (lo > hi) throw rangeError(`scaled(options.factors) { min: ${min}, max: ${max} } contains no power of ten; widen it or pass an array of factors`)
  // An integer exponent shrinks toward 0 (factor 1) when the range contains it.
  return fc.integer({ min: lo, max: hi }).map((e) => 10 ** e)
}
