import { count, fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'

/** The C8 title for a training set whose samples all have the same input: a cause, never a symptom (order.ts). */
export const SAME_INPUT = 'every sample has the same input'

/**
 * C8: inputs that do not vary across samples while the targets do. Whatever the model and its weights, it maps one
 * input to one output, so it predicts the same for every sample and can fit nothing the targets vary by; dead units
 * (every sample lands on the same side of every ReLU), a plateau and a loss that cannot reach the goal follow from it.
 */
export function sameInput({ record, stats }: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  if (!evidence?.identicalInputs || reachedGoal) return []
  const last = record.losses[record.losses.length - 1]
  return [{
    // Ranked after the curve's "gradients ≈ 0" C8 when both are seen (its score is 3): the same cause, said two ways.
    id: 'C8', title: SAME_INPUT, severity: 'error', score: 2,
    evidence: `all ${stats.samples} training samples have the same x, value for value (no entry varies across samples), while their targets differ: the model can only give one output for all of them` +
      (last === undefined ? '' : `; the loss ended at ${fmt(last)} after ${count(record.losses.length, 'epoch')}`),
    fix: 'check how x is built: a fresh array for every row (not one object filled and pushed again), float division of integer pixels, a vocabulary lookup that finds the words',
  }]
}
