import type { Evidence } from '../probes/evidence.js'
import { sampled } from '../probes/sample.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'

/** The C8 title for training inputs that are all one row: a cause, never a symptom of the rate (order.ts). */
export const IDENTICAL_INPUTS = 'every training input is the same'

/**
 * C8 at the source: the training inputs, as the model receives them, are one row repeated while the labels differ
 * (probes/inputs.ts). Whatever it learns, the model gives every sample the same output; the defect is upstream, in
 * whatever built x: a tokenizer that maps every word to one id, a row object reused, images blanked by rounding.
 * Scored above every rule that reads the training: all they can see is its consequence.
 */
export function identicalInputs(_: RunOutcome, evidence?: Evidence): Finding[] {
  const same = evidence?.identicalInputs
  if (!same) return []
  return [{
    id: 'C8', title: IDENTICAL_INPUTS, severity: 'error', score: 8,
    evidence: `all ${evidence?.probed ? sampled(evidence.probed) : `${same.rows} samples`} have the same input, bit for bit, but different labels: no model can tell them apart`,
    fix: 'check the code that builds x: a lookup that maps every token to one id (case, out-of-vocabulary), one row object pushed repeatedly, a division that rounds every value to 0',
  }]
}
