import type { TrainingRecord } from './types.js'

/** The loss of a run's last epoch; NaN when it ran none. */
export function finalLoss(record: Pick<TrainingRecord, 'losses'>): number {
  return record.losses[record.losses.length - 1] ?? Number.NaN
}
