import { startNearChance } from '../checks/chance.js'
import { dependOnInput } from '../checks/dependence.js'
import { stayFinite } from '../checks/finite.js'
import { healthyGradients } from '../checks/gradients.js'
import { monotonic } from '../checks/monotonic.js'
import { overfit } from '../checks/overfit.js'
import type { CheckResult, Dataset, RunOptions, Subject } from '../types.js'
import type { Table } from './load-data.js'

/** One line of the doctor's checklist: the matcher a user would write, and the check that runs it. */
export interface ChecklistEntry {
  name: string
  /** The matcher that runs the same check in a test suite. */
  matcher: string
  run(subject: Subject, data: Table, options: RunOptions): Promise<CheckResult>
}

/** A line that runs `check` on the whole table. */
function line(name: string, check: { matcher: string; check(subject: Subject, dataset: Dataset, options?: RunOptions): Promise<CheckResult> }): ChecklistEntry {
  return { name, matcher: check.matcher, run: (s, d, o) => check.check(s, d, o) }
}

/**
 * The doctor's checklist, in the order a person debugging a model would go. Scale invariance is not
 * here: it is a property of model + preprocessing, and a saved model carries no preprocessing.
 *
 * Planned to share runs (src/cache.ts): every line gets the same subject, table and options, and the three
 * 100-epoch checks (stays finite, monotonic, depends on its input) need the same run, so it trains once. `stays finite`
 * comes first of them: its run carries the watch for non-finite weights that only it needs, and the two after it reuse
 * that run; the other way round, the first would train a run without the watch and `stays finite` would train again.
 */
export const CHECKLIST: readonly ChecklistEntry[] = [
  line('starts near chance', startNearChance),
  { name: 'overfits one sample per class', matcher: overfit.matcher, run: (s, d, o) => overfit.check(s, firstOfEachClass(d, o), o) },
  line('stays finite', stayFinite),
  line('reduces loss monotonically', monotonic),
  line('has healthy gradients', healthyGradients),
  line('depends on its input', dependOnInput),
]

/** The first sample of each class (the first two samples for regression): the C7 tiny dataset, taken from the user's table. */
function firstOfEachClass(data: Table, options: RunOptions): Dataset {
  if (options.task === 'regression') return { x: data.x.slice(0, 2), y: data.y.slice(0, 2) as number[] }
  const seen = new Map<string, number>()
  data.y.forEach((label, i) => {
    const key = Array.isArray(label) ? String(label.indexOf(Math.max(...label))) : String(label)
    if (!seen.has(key)) seen.set(key, i)
  })
  const rows = [...seen.values()]
  return { x: rows.map((i) => data.x[i]!), y: rows.map((i) => data.y[i]!) as number[] | number[][] }
}
