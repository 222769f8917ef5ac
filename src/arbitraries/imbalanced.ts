import fc from 'fast-check'
import { describe, rangeError, typeError } from '../errors.js'
import { isArbitrary, labelsOf, type GeneratedDataset } from './shape.js'

export interface ImbalancedOptions {
  /** Majority-to-minority ratio: every other class keeps at most ⌊majority / ratio⌋ (≥ 1) samples. */
  ratio: number
}

/**
 * Class imbalance: keeps every sample of the most frequent class and thins the others to
 * `majority / ratio` samples each (never below one, so every class stays present). Shrinks with `arb`.
 *
 * @example
 * const data = arbitraries.imbalanced(arbitraries.linearlySeparable({ features: 2, samples: { min: 8, max: 32 } }), { ratio: 5 })
 */
export function imbalanced<D extends GeneratedDataset>(arb: fc.Arbitrary<D>, options: ImbalancedOptions): fc.Arbitrary<D> {
  if (!isArbitrary(arb)) throw typeError(`imbalanced(arb): arb must be a fast-check arbitrary of datasets, received ${describe(arb)}`)
  const ratio = options?.ratio
  if (typeof ratio !== 'number' || !(ratio >= 1) || !Number.isFinite(ratio)) {
    throw rangeError(`imbalanced(options.ratio) must be a finite number ≥ 1, received ${describe(ratio)}; e.g. { ratio: 5 }`)
  }
  return arb.map((data) => {
    const labels = labelsOf(data)
    if (!labels) throw typeError('imbalanced(arb): the datasets have regression targets; imbalance needs class labels (0/1 or one-hot)')
    const counts = new Map<number, number>()
    labels.forEach((k) => counts.set(k, (counts.get(k) ?? 0) + 1))
    const [majority, most] = [...counts].reduce((best, c) => (c[1] > best[1] ? c : best))
    const quota = Math.max(1, Math.floor(most / ratio))
    const kept = new Map<number, number>()
    const keep = labels.map((k) => {
      if (k === majority) return true
      kept.set(k, (kept.get(k) ?? 0) + 1)
      return kept.get(k)! <= quota
    })
    const pick = <T>(rows: T[]): T[] => rows.filter((_, i) => keep[i])
    const extra = Object.fromEntries(
      Object.entries(data).filter(([key]) => key === 'outliers').map(([key]) => [key, [] as number[]]),
    )
    return { ...data, ...extra, x: pick(data.x), y: pick(data.y as (number | number[])[]) as D['y'] }
  })
}
