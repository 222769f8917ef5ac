import { BACKENDS, backendsAvailable } from '../backend.js'
import { cause } from '../findings/catalogue.js'
import { finalLoss } from '../record.js'
import { count, fmt } from '../format.js'
import { stoppedAfter } from '../message.js'
import { openSession, type RunOutcome } from '../run.js'
import type { BackendName, Finding, RunOptions, TrainingRecord } from '../types.js'
import { budgetCut } from './cut.js'
import { defineCheck } from './define.js'

export interface BackendOptions extends Omit<RunOptions, 'backend'> {
  /** Largest relative difference between the two curves at any epoch. Default 1e-3. */
  tolerance?: number
  /** The two backends to compare. Default ['tensorflow', 'cpu']. */
  backends?: [BackendName, BackendName]
}

/**
 * The same seeded run on the native TensorFlow backend and on the CPU backend gives loss curves that agree
 * within `tolerance`; the message shows both curves and the first epoch where they part. A comparison that cannot
 * run is not a pass: when a backend is missing it throws, saying how to get it (skip with `backendsAvailable()`).
 *
 * @example
 * await expect(buildModel).toTrainConsistentlyAcrossBackends(data, { tolerance: 1e-4 })
 */
export const consistentAcrossBackends = defineCheck<BackendOptions>()({
  matcher: 'toTrainConsistentlyAcrossBackends',
  ids: ['C5', 'C11'],
  dataset: 'optional',
  defaults: { tolerance: 1e-3, maxEpochs: 100 },
  runs: () => 2,
  options: {
    kinds: {
      tolerance: { kind: 'number', min: 0, example: 1e-3 },
      backends: { kind: 'array', of: { kind: 'enum', values: BACKENDS }, items: 'backend names', length: 2, example: ['tensorflow', 'cpu'] },
    },
  },
  goal: 'train alike on every backend',
  // Not verified: no mechanical fix makes two backends agree.
  async run(subject, data, options) {
    const { tolerance, maxEpochs } = options
    const [first, second] = options.backends ?? ['tensorflow', 'cpu']
    const available = await backendsAvailable()
    const missing = [first, second].find((name) => !available.includes(name))
    if (missing) throw new Error(missingBackend(missing, available))
    // The two runs share the check's budget: the first gets half of it, and the second repeats exactly the epochs the
    // first trained with all the time left, so the curves cover the same epochs unless the budget cuts the second shorter.
    const runs: RunOutcome[] = []
    for (const backend of [first, second]) {
      const session = await openSession(subject, { ...options, backend })
      const left = session.budget.left()
      if (runs.length > 0 && left <= 0) break
      const epochs = runs.length === 0 ? maxEpochs : runs[0]!.record.epochs
      runs.push(await session.run({ dataset: data, maxEpochs: epochs, timeoutMs: Math.max(0, left) / (runs.length === 0 ? 2 : 1) }))
    }
    const a = runs[0]!.record
    const b = runs[1]?.record
    const cut = b && budgetCut(a, b)
    // Past a budget cut there is nothing to compare; without one, a missing epoch is a difference.
    const compared = b === undefined ? 0 : cut ? cut.epochs : Math.max(a.losses.length, b.losses.length)
    const agree = (l: number | undefined, m: number | undefined): boolean =>
      l !== undefined && m !== undefined && (Object.is(l, m) || Math.abs(l - m) <= tolerance * Math.max(Math.abs(l), Math.abs(m), 1e-8))
    let parts = -1
    for (let i = 0; i < compared && parts === -1; i++) if (!agree(a.losses[i], b!.losses[i])) parts = i
    // No epoch on both backends because the budget ran out is no evidence either way.
    const starved = b === undefined || (compared === 0 && (a.stoppedBy === 'timeout' || b.stoppedBy === 'timeout'))
    const pass = parts === -1 && !starved
    const details = [
      starved
        ? `nothing compared: the budget left no epoch trained on both ${first} and ${second}`
        : parts === -1
          ? `curves agree within ${fmt(tolerance * 100)}% over ${count(compared, 'epoch')}`
          : `curves part at epoch ${parts + 1}: ${fmt(a.losses[parts] ?? Number.NaN)} on ${a.backend} vs ${fmt(b!.losses[parts] ?? Number.NaN)} on ${b!.backend}`,
      ...(cut ? [`${count(a.losses.length, 'epoch')} on ${a.backend}, ${count(b!.losses.length, 'epoch')} on ${b!.backend}; compared the ${count(cut.epochs, 'epoch')} both completed`] : []),
      b ? `final loss ${fmt(finalLoss(a))} on ${a.backend}, ${fmt(finalLoss(b))} on ${b.backend}` : `final loss ${fmt(finalLoss(a))} on ${a.backend}`,
    ]
    const findings: Finding[] = parts === -1 ? [] : [parts === 0
      ? cause.backendInitDiffers('the curves differ from the first epoch, so the starting weights or data differ')
      : cause.numericDrift(`identical start, apart from epoch ${parts + 1}: a chaotic or unstable run (high learning rate, no normalization) magnifies last-digit kernel differences`)]
    return {
      pass,
      expectation: `train the same on ${first} and ${second} (within ${fmt(tolerance * 100)}% per epoch)`,
      details,
      record: a,
      findings,
      budget: budgetStop(a, b, second),
      curves: [{ label: a.backend, losses: a.losses }, ...(b ? [{ label: b.backend, losses: b.losses }] : [])],
    }
  },
})

/** `in the run on tensorflow after 7 epochs (half the budget); the run on cpu not run`. */
function budgetStop(a: TrainingRecord, b: TrainingRecord | undefined, second: BackendName): string | undefined {
  const pieces: string[] = []
  if (a.stoppedBy === 'timeout') pieces.push(`in the run on ${a.backend} ${stoppedAfter(a.epochs)} (half the budget)`)
  if (b?.stoppedBy === 'timeout') pieces.push(`in the run on ${b.backend} ${stoppedAfter(b.epochs)}`)
  if (!b) pieces.push(`the run on ${second} not run`)
  return pieces.length > 0 ? pieces.join('; ') : undefined
}


/** `options.backends`: two names from BACKENDS. */

/** Why the comparison cannot run here, and how to make it run. */
function missingBackend(missing: BackendName, available: BackendName[]): string {
  const here = available.length ? `only ${available.join(' and ')} is available here` : 'no backend is available here'
  const how = missing === 'tensorflow'
    ? 'install @tensorflow/tfjs-node (see the README section "Backends")'
    : `register the ${missing} backend of @tensorflow/tfjs`
  return `toTrainConsistentlyAcrossBackends cannot compare: the ${missing} backend is missing (${here}). To run it, ${how}; ` +
    'to skip it where a backend is missing: test.skipIf((await backendsAvailable()).length < 2)(…), with backendsAvailable from trainability'
}
