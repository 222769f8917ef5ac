import * as checks from '../checks/index.js'
import type { CheckResult, Dataset, RunOptions, Subject } from '../types.js'
import type { Table } from './load-data.js'

/** One line of the doctor's checklist: the matcher a user would write, and the check that runs it. */
export interface ChecklistEntry {
  name: string
  /** The matcher that runs the same check in a test suite. */
  matcher: string
  run(subject: Subject, data: Table, options: RunOptions): Promise<CheckResult>
}

/**
 * The doctor's checklist, in the order a person debugging a model would go. Scale invariance is not
 * here: it is a property of model + preprocessing, and a saved model carries no preprocessing.
 */
export const CHECKLIST: readonly ChecklistEntry[] = [
  { name: 'starts near chance', matcher: 'toStartNearChanceLoss', run: (s, d, o) => checks.startNearChance(s, d, o) },
  { name: 'overfits one sample per class', matcher: 'toOverfitTinyDataset', run: (s, d, o) => checks.overfit(s, onePerClass(d, o), o) },
  { name: 'stays finite', matcher: 'toStayFinite', run: (s, d, o) => checks.stayFinite(s, d, o) },
  { name: 'reduces loss monotonically', matcher: 'toReduceLossMonotonically', run: (s, d, o) => checks.monotonic(s, d, o) },
  { name: 'has healthy gradients', matcher: 'toHaveHealthyGradients', run: (s, d, o) => checks.healthyGradients(s, d, o) },
  { name: 'depends on its input', matcher: 'toDependOnInput', run: (s, d, o) => checks.dependOnInput(s, d, o) },
]

/** The first sample of each class (the first two samples for regression): the C7 tiny dataset. */
export function onePerClass(data: Table, options: RunOptions): Dataset {
  if (options.task === 'regression') return { x: data.x.slice(0, 2), y: data.y.slice(0, 2) as number[] }
  const seen = new Map<string, number>()
  data.y.forEach((label, i) => {
    const key = Array.isArray(label) ? String(label.indexOf(Math.max(...label))) : String(label)
    if (!seen.has(key)) seen.set(key, i)
  })
  const rows = [...seen.values()]
  return { x: rows.map((i) => data.x[i]!), y: rows.map((i) => data.y[i]!) as number[] | number[][] }
}
