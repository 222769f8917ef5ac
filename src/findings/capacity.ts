import { fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'
import { cause } from './catalogue.js'

const norm = (layers: readonly { norm: number }[]): number => Math.sqrt(layers.reduce((s, g) => s + g.norm * g.norm, 0))

/**
 * C7 as a candidate: training is heading for a minimum that does not fit the data. Heading for a loss of 0, a gradient
 * shrinks no faster than the loss itself (a cross-entropy's gradient is proportional to the loss in its tail, a squared
 * error's to its square root); when it has shrunk by more, the loss is levelling off above 0. Taking the gradient as
 * proportional to the loss's distance from a floor F, the run's first and last loss and gradient give
 * F = (L1 − r·L0) / (1 − r), r = g1/g0: the lowest floor consistent with what the run measured. A candidate when
 * - the gradient at least halved (r ≤ 1/2: the run left its starting region, so a floor can be read; a rate too low
 *   leaves the gradient as it was, C6), and
 * - that floor is over half the chance loss: the model will not even halve what a model ignoring its input scores,
 *   the least a model that learned does (test/corpus/plain.ts judges "learns" by the same half).
 * F ≤ L1, so a model that already halved the chance loss is never one. Verified by re-running with more units
 * (capacity-fix.ts); unverified it is a note (candidates.ts): dead units, a frozen layer or a symmetric start also
 * leave a floor, and their own rules say so.
 */
export function capacity({ record }: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  const chance = evidence?.chance
  if (reachedGoal || !evidence || chance === undefined || !(chance > 0)) return []
  if (record.accuracy === 1) return [] // every sample right and a floor above 0 is the loss's own floor (C3, curve.ts)
  const losses = record.losses
  const L0 = losses[0]
  const L1 = losses[losses.length - 1]
  const g0 = norm(evidence.gradients.first)
  const g1 = norm(evidence.gradients.last)
  if (L0 === undefined || L1 === undefined || !Number.isFinite(L0) || !Number.isFinite(L1) || !(g0 > 0) || !Number.isFinite(g1)) return []
  const r = g1 / g0
  if (!(r <= 0.5)) return []
  const floor = (L1 - r * L0) / (1 - r)
  if (!(floor >= chance / 2)) return []
  return [cause.tooLittleCapacity(
    `the gradient fell to ${fmt(r * 100)}% of its first value while the loss fell only from ${fmt(L0)} to ${fmt(L1)}` +
      (record.accuracy === undefined ? '' : ` (accuracy ${fmt(record.accuracy * 100)}%)`) +
      `: it levels off near ${fmt(floor)} or above, over half the chance loss ${fmt(chance)}`,
  )]
}
