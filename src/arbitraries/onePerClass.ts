import fc from 'fast-check'
import { encodeLabels, resolveShape, unit, vector, type GeneratedDataset, type Size } from './shape.js'
import { separablePoints } from './separable.js'

export interface OnePerClassOptions {
  features: Size
  /** Number of classes. Default 2 unless `regression` is set. */
  classes?: number
  /** Two points with real-valued targets instead: `true` for one output, or the number of outputs. */
  regression?: boolean | number
}

/**
 * The smallest dataset a healthy model must memorize: one sample per class (two for regression), distinct
 * and linearly separable. Shrinks toward fewer features and coordinates near 0.
 *
 * @example
 * await fc.assert(fc.asyncProperty(arbitraries.onePerClass({ features: 4, classes: 3 }), async (data) => {
 *   await expect(buildClassifier).toOverfitTinyDataset(data)
 * }), { numRuns: 10 })
 */
export function onePerClass(options: OnePerClassOptions): fc.Arbitrary<GeneratedDataset> {
  const shape = resolveShape('onePerClass', { ...options, samples: undefined })
  const count = Math.max(shape.classes, 2)
  const points = separablePoints({ ...shape, samples: { min: count, max: count } }, 0.25)
  if (shape.classes > 0) return points.map(({ x, labels }) => ({ x, y: encodeLabels(labels, shape.classes) }))
  return fc
    .tuple(points, vector(vector(unit(), shape.outputs), 2))
    .map(([{ x }, targets]) => ({ x, y: targets }))
}
