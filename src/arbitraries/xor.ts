import fc from 'fast-check'
import { rangeError } from '../errors.js'
import { size, unit, vector, type GeneratedDataset, type Size } from './shape.js'

export interface XorOptions {
  /** Features per sample, at least 2; the first two carry the pattern, the rest are noise. Default 2. */
  features?: Size
  /** Samples per dataset, at least 4 (one per quadrant). Default `{ min: 4, max: 16 }`. */
  samples?: Size
  /** Smallest distance of a point to either axis, in (0, 1). Default 0.25. */
  margin?: number
}

/**
 * The XOR pattern: label 1 when the first two features have opposite signs. No linear model fits it, a
 * one-hidden-layer MLP does. Every quadrant is present; shrinks toward 4 samples, 2 features, points near the axes' margin.
 *
 * @example
 * await fc.assert(fc.asyncProperty(arbitraries.xor(), async (data) => {
 *   await expect(buildMlp).toOverfitTinyDataset(data)
 * }), { numRuns: 10 })
 */
export function xor(options: XorOptions = {}): fc.Arbitrary<GeneratedDataset> {
  const features = size('xor(options.features)', options.features ?? 2, 2)
  const samples = size('xor(options.samples)', options.samples ?? { min: 4, max: 16 }, 4)
  const margin = options.margin ?? 0.25
  if (!(margin > 0 && margin < 1)) throw rangeError(`xor(options.margin) must be in (0, 1), received ${margin}; try 0.25`)
  const sample = fc.record({ quadrant: fc.nat(3), z: vector(unit(), features.max) })
  return fc
    .record({ features: fc.integer(features), samples: fc.array(sample, { minLength: samples.min, maxLength: samples.max }) })
    .map(({ features: f, samples: rows }) => {
      const x = rows.map((s, i) => {
        const q = i < 4 ? i : s.quadrant
        const signs = [q & 1 ? -1 : 1, q & 2 ? -1 : 1]
        return s.z.slice(0, f).map((v, j) => (j < 2 ? signs[j]! * (margin + (1 - margin) * Math.abs(v)) : v))
      })
      return { x, y: x.map((row) => (Math.sign(row[0]!) !== Math.sign(row[1]!) ? 1 : 0)) }
    })
}
