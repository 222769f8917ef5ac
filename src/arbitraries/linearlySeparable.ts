import fc from 'fast-check'
import { rangeError, typeError } from '../errors.js'
import { encodeLabels, resolveShape, type GeneratedDataset, type ShapeOptions } from './shape.js'
import { separablePoints } from './separable.js'

export interface LinearlySeparableOptions extends Omit<ShapeOptions, 'regression'> {
  /** Smallest distance of any point to a class boundary, along the separating direction, in (0, 1). Default 0.25. */
  margin?: number
}

/**
 * Classification datasets a linear model can fit exactly: every point lies at least `margin` from a
 * linear class boundary, and every class is present. Shrinks toward fewer samples, fewer features and
 * coordinates near 0.
 *
 * @example
 * await fc.assert(fc.asyncProperty(arbitraries.linearlySeparable({ features: 2, samples: { min: 2, max: 12 } }), async (data) => {
 *   await expect(buildModel).toOverfitTinyDataset(data)
 * }))
 */
export function linearlySeparable(options: LinearlySeparableOptions): fc.Arbitrary<GeneratedDataset> {
  if (typeof options === 'object' && options !== null && 'regression' in options) {
    throw typeError('linearlySeparable(options.regression): separability is about classes; use arbitraries.dataset({ regression: true }) for real-valued targets')
  }
  const shape = resolveShape('linearlySeparable', options)
  const margin = options.margin ?? 0.25
  if (!(margin > 0 && margin < 1)) throw rangeError(`linearlySeparable(options.margin) must be in (0, 1), received ${margin}; try 0.25`)
  return separablePoints(shape, margin).map(({ x, labels }) => ({ x, y: encodeLabels(labels, shape.classes) }))
}
