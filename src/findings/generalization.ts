import { count, fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'

/** C13: the model fits the training set much better than held-out data. */
export function overfitting({ record }: RunOutcome, evidence?: Evidence): Finding[] {
  const validation = evidence?.validationLoss
  const train = record.losses[record.losses.length - 1]
  if (validation === undefined || train === undefined || !Number.isFinite(train)) return []
  const gap = validation - train
  if (!(gap > 0.25 && validation > 2 * train)) return []
  return [{
    id: 'C13', title: 'overfitting: train/validation gap', severity: gap > 1 ? 'error' : 'warning', score: 4,
    evidence: `validation loss ${fmt(validation)} vs training loss ${fmt(train)} after ${count(record.epochs, 'epoch')} (gap ${fmt(gap)})`,
    fix: 'add regularization such as dropout or an L2 kernelRegularizer, get more data, or stop earlier',
  }]
}
