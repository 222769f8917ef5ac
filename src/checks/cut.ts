import type { TrainingRecord } from '../types.js'

/** Two runs of one configuration where the wall-clock budget stopped one (`short`, 0 or 1) before the other. */
export interface BudgetCut {
  short: 0 | 1
  /** Epochs both runs completed: the only ones to compare. */
  epochs: number
  /** Epochs of the longer run. */
  longer: number
}

/**
 * When `timeoutMs` ends one of two otherwise identical runs earlier (a slow machine, a busy core), the epochs after it are
 * not a difference between the runs: compare the epochs both completed.
 */
export function budgetCut(a: TrainingRecord, b: TrainingRecord): BudgetCut | undefined {
  if (a.losses.length === b.losses.length) return undefined
  const short = a.losses.length < b.losses.length ? 0 : 1
  const [shorter, longer] = short === 0 ? [a, b] : [b, a]
  if (shorter.stoppedBy !== 'timeout') return undefined
  return { short, epochs: shorter.losses.length, longer: longer.losses.length }
}
