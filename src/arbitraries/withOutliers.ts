import fc from 'fast-check'
import { describe, rangeError, typeError } from '../errors.js'
import { isArbitrary, labelsOf, type GeneratedDataset } from './shape.js'

export interface OutlierOptions {
  /** Share of samples made outliers, in (0, 1]; at least one sample. Default 0.1. */
  fraction?: number
  /** How far out, in multiples of the data's radius: a number or `{ min, max }` (shrinks toward min). Default `{ min: 10, max: 1000 }`. */
  magnitude?: number | { min: number; max: number }
}

/** A dataset with outliers; `outliers` lists their sample indices. */
export type WithOutliers<D extends GeneratedDataset> = D & { outliers: number[] }

/**
 * Pushes some samples far out (C2, outliers dominate the gradient) while keeping labels consistent:
 * a classification sample moves along its class mean's offset from the overall mean, so for two classes a
 * linearly separable dataset stays separable (the push only increases its margin); a regression sample
 * keeps x and gets a far-away target. Shrinks toward a single outlier at the smallest magnitude.
 *
 * @example
 * const data = arbitraries.withOutliers(arbitraries.linearlySeparable({ features: 2 }), { fraction: 0.2, magnitude: 100 })
 */
export function withOutliers<D extends GeneratedDataset>(arb: fc.Arbitrary<D>, options: OutlierOptions = {}): fc.Arbitrary<WithOutliers<D>> {
  if (!isArbitrary(arb)) throw typeError(`withOutliers(arb): arb must be a fast-check arbitrary of datasets, received ${describe(arb)}`)
  const fraction = options.fraction ?? 0.1
  if (!(fraction > 0 && fraction <= 1)) throw rangeError(`withOutliers(options.fraction) must be in (0, 1], received ${fraction}; e.g. 0.1`)
  const spec = options.magnitude ?? { min: 10, max: 1000 }
  const { min, max } = typeof spec === 'number' ? { min: spec, max: spec } : spec
  if (!(min > 0 && max >= min && Number.isFinite(max))) {
    throw rangeError(`withOutliers(options.magnitude) must be positive with min ≤ max, received ${JSON.stringify(spec)}; e.g. 100`)
  }
  const magnitude = min === max ? fc.constant(min) : fc.double({ min, max, noNaN: true })
  return fc.tuple(arb, fc.nat(), magnitude).map(([data, start, m]) => {
    const n = data.x.length
    const count = Math.min(n, Math.max(1, Math.round(fraction * n)))
    const outliers = Array.from({ length: count }, (_, i) => (start + i) % n).sort((a, b) => a - b)
    const labels = labelsOf(data)
    return { ...(labels ? pushFeatures(data, labels, outliers, m) : pushTargets(data, outliers, m)), outliers }
  })
}

function mean(rows: number[][]): number[] {
  const width = rows[0]?.length ?? 0
  return Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / Math.max(rows.length, 1))
}

function distance(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0))
}

function pushFeatures<D extends GeneratedDataset>(data: D, labels: number[], outliers: number[], m: number): D {
  const center = mean(data.x)
  const radius = Math.max(...data.x.map((r) => distance(r, center))) || 1
  const x = data.x.map((r) => [...r])
  for (const i of outliers) {
    const own = mean(data.x.filter((_, k) => labels[k] === labels[i]))
    const d = distance(own, center)
    // With a single class there is no "other side": any direction keeps the labels consistent.
    const direction = d > 1e-12 ? own.map((v, j) => (v - center[j]!) / d) : own.map((_, j) => (j === 0 ? 1 : 0))
    x[i] = x[i]!.map((v, j) => v + m * radius * direction[j]!)
  }
  return { ...data, x }
}

function pushTargets<D extends GeneratedDataset>(data: D, outliers: number[], m: number): D {
  const rows = (data.y as (number | number[])[]).map((t) => (typeof t === 'number' ? [t] : t))
  const center = mean(rows)
  const radius = Math.max(...rows.map((r) => distance(r, center))) || 1
  const y = data.y.map((t) => (typeof t === 'number' ? t : [...t])) as (number | number[])[]
  for (const i of outliers) {
    const t = y[i]!
    y[i] = typeof t === 'number' ? t + m * radius * (t >= center[0]! ? 1 : -1) : t.map((v, j) => v + m * radius * (v >= center[j]! ? 1 : -1))
  }
  return { ...data, y: y as D['y'] }
}
