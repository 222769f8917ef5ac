import fc from 'fast-check'
import { describe, rangeError, typeError } from '../errors.js'
import { isArbitrary, perFeature, type GeneratedDataset } from './shape.js'

export interface ShiftedOptions {
  /** Range of the offset added to a feature. Default `{ min: -100, max: 100 }`; shrinks toward 0. */
  offsets?: { min: number; max: number }
}

/** A dataset whose features were moved by `offsets` (one per feature, as applied). */
export type Shifted<D extends GeneratedDataset> = D & { offsets: number[] }

/**
 * Adds an offset to each feature (uncentered data, C1). Up to 8 distinct offsets cycle over the features;
 * shrinking moves toward one offset, then toward 0. Labels are unchanged.
 *
 * @example
 * const data = arbitraries.shifted(arbitraries.linearlySeparable({ features: 2 }), { offsets: { min: -1e3, max: 1e3 } })
 */
export function shifted<D extends GeneratedDataset>(arb: fc.Arbitrary<D>, options: ShiftedOptions = {}): fc.Arbitrary<Shifted<D>> {
  if (!isArbitrary(arb)) throw typeError(`shifted(arb): arb must be a fast-check arbitrary of datasets, received ${describe(arb)}`)
  const { min, max } = options.offsets ?? { min: -100, max: 100 }
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw rangeError(`shifted(options.offsets) must be finite { min, max } with min ≤ max, received { min: ${min}, max: ${max} }; e.g. { min: -100, max: 100 }`)
  }
  const offset = fc.double({ min, max, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v))
  return fc.tuple(arb, fc.array(offset, { minLength: 1, maxLength: 8 })).map(([data, chosen]) => {
    const width = data.x[0]?.length ?? 0
    const offsets = Array.from({ length: width }, (_, j) => perFeature(chosen, j))
    return { ...data, x: data.x.map((row) => row.map((v, j) => v + offsets[j]!)), offsets }
  })
}
