import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'

/** The C8 title for a training set whose samples all have the same input: a cause, never a symptom (order.ts). */
export const SAME_INPUT = 'every training input is the same'

/**
 * C8: inputs that do not vary across samples while the targets do. Whatever the model and its weights, it maps one
 * input to one output, so it predicts the same for every sample and can fit nothing the targets vary by; dead units
 * (every sample lands on the same side of every ReLU), a plateau and a loss that cannot reach the goal follow from it.
 */
export function sameInput({ stats }: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  if (!evidence?.identicalInputs || reachedGoal) return []
  return [{
    // Scored above every rule that reads the training: all they can see is this cause's consequence.
    id: 'C8', title: SAME_INPUT, severity: 'error', score: 8,
    evidence: `all ${stats.samples} samples have the same input, bit for bit, but different labels: no model can tell them apart`,
    fix: 'check the code that builds x: a lookup that maps every token to one id (case, out-of-vocabulary), one row object pushed repeatedly, a division that rounds every value to 0',
  }]
}
