import fc from 'fast-check'
import { unit, vector, type Shape } from './shape.js'

/** Points and their class, before the labels are encoded for a model. */
export interface LabelledPoints {
  x: number[][]
  labels: number[]
}

/**
 * Points of `shape.classes` classes laid out along a random unit direction u: class k sits in the slab
 * u·x ∈ [2k − K + 1 ± (1 − margin)], so the linear scores f_k(x) = p_k·(u·x) − p_k²/2 separate every point
 * with at least `margin` to spare. The first K samples take classes 0…K−1, so every class is present.
 * Built from record/array/integer + map: it shrinks toward fewer samples, fewer features and coordinates near 0.
 */
export function separablePoints(shape: Shape, margin: number): fc.Arbitrary<LabelledPoints> {
  const classes = Math.max(shape.classes, 2)
  const sample = fc.record({ z: vector(unit(), shape.features.max), label: fc.nat(classes - 1), jitter: unit() })
  return fc
    .record({
      features: fc.integer(shape.features),
      direction: vector(unit(), shape.features.max),
      samples: fc.array(sample, { minLength: Math.max(shape.samples.min, classes), maxLength: shape.samples.max }),
    })
    .map(({ features, direction, samples }) => {
      const u = normalized(direction.slice(0, features))
      const x: number[][] = []
      const labels: number[] = []
      samples.forEach((s, i) => {
        const label = i < classes ? i : s.label
        const z = s.z.slice(0, features)
        const along = dot(z, u)
        // A golden-ratio offset keeps samples distinct when jitter shrinks to 0: a shrunk dataset is never a
        // pile of duplicates (whose zero spread is a scaler question, not a separability one).
        const spread = ((i * 0.6180339887) % 1) * 2 - 1
        const position = 2 * label - (classes - 1) + ((s.jitter + spread) / 2) * (1 - margin)
        x.push(z.map((v, j) => v - along * u[j]! + position * u[j]!))
        labels.push(label)
      })
      return { x, labels }
    })
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, v, i) => sum + v * b[i]!, 0)
}

/** `v / |v|`, or the first axis when v shrank to (nearly) zero. */
function normalized(v: number[]): number[] {
  const norm = Math.sqrt(dot(v, v))
  return norm < 1e-6 ? v.map((_, i) => (i === 0 ? 1 : 0)) : v.map((c) => c / norm)
}
