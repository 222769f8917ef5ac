import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'
import { cause } from './catalogue.js'

/**
 * C8: inputs that do not vary across samples while the targets do. Whatever the model and its weights, it maps one
 * input to one output, so it predicts the same for every sample and can fit nothing the targets vary by; dead units
 * (every sample lands on the same side of every ReLU), a plateau and a loss that cannot reach the goal follow from it.
 */
export function sameInput({ stats }: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  if (!evidence?.identicalInputs || reachedGoal) return []
  return [cause.identicalInputs(`all ${stats.samples} samples have the same input, bit for bit, but different labels: no model can tell them apart`)]
}
