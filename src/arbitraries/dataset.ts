import fc from 'fast-check'
import { encodeLabels, resolveShape, unit, vector, type GeneratedDataset, type ShapeOptions } from './shape.js'

/**
 * Valid datasets of a model's shape with no structure: coordinates in [-1, 1], random labels (every class
 * present) or random regression targets. Not necessarily learnable; use `linearlySeparable` or `xor` for that.
 * Shrinks toward fewer samples, fewer features and values near 0.
 *
 * @example
 * fc.assert(fc.property(arbitraries.dataset({ features: 3, classes: 4 }), (data) => data.x.length >= 4))
 */
export function dataset(options: ShapeOptions): fc.Arbitrary<GeneratedDataset> {
  const shape = resolveShape('dataset', options)
  const sample = fc.record({
    x: vector(unit(), shape.features.max),
    label: fc.nat(Math.max(shape.classes, 1) - 1),
    target: vector(unit(), shape.outputs),
  })
  return fc
    .record({
      features: fc.integer(shape.features),
      samples: fc.array(sample, { minLength: shape.samples.min, maxLength: shape.samples.max }),
    })
    .map(({ features, samples }) => {
      const x = samples.map((s) => s.x.slice(0, features))
      if (shape.classes === 0) return { x, y: samples.map((s) => s.target) }
      return { x, y: encodeLabels(samples.map((s, i) => (i < shape.classes ? i : s.label)), shape.classes) }
    })
}
