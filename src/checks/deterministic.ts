import { count, fmt } from '../format.js'
import { cause } from '../findings/catalogue.js'
import { stoppedAfter } from '../message.js'
import { openSession } from '../run.js'
import type { Finding, RunOptions, TrainingRecord } from '../types.js'

/**
 * Rule 1 of the design: two runs under one seed give bit-identical loss curves and final weights.
 * Fails when something draws randomness outside the seed (crypto, Date.now, tf.data shuffling, …).
 *
 * @example
 * await expect(buildModel).toTrainDeterministically(data)
 */
import { budgetCut } from './cut.js'
import { defineCheck } from './define.js'

export const determinism = defineCheck<RunOptions>()({
  matcher: 'toTrainDeterministically',
  ids: ['C11'],
  dataset: 'optional',
  defaults: { maxEpochs: 50 },
  runs: () => 2,
  goal: 'train deterministically under one seed',
  // Not verified: nondeterminism has no mechanical fix among the catalogue's.
  async run(subject, data, options) {
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    // Two runs share the check's budget: run 1 gets half of it, and run 2 repeats exactly the epochs run 1 trained with
    // all the time left, so the two compare over the same epochs unless the budget cuts run 2 shorter still.
    const request = { dataset: data, keepWeights: true }
    const a = await session.run({ ...request, maxEpochs, timeoutMs: Math.max(0, session.budget.left()) / 2 })
    const left = session.budget.left()
    const b = left > 0 ? await session.run({ ...request, maxEpochs: a.record.epochs, timeoutMs: left }) : undefined
    const cut = b && budgetCut(a.record, b.record)
    const compared = b === undefined ? 0 : cut ? cut.epochs : Math.max(a.record.epochs, b.record.epochs)
    const bLosses = b?.record.losses ?? []
    const epoch = firstDifference(a.record.losses.slice(0, compared), bLosses.slice(0, compared))
    // Weights are comparable after the same optimizer steps: a run the budget stopped inside an epoch took more.
    const weight = b && a.steps === b.steps ? firstWeightDifference(a.weights ?? [], b.weights ?? []) : undefined
    const weightsCompared = b !== undefined && a.steps === b.steps
    const differs = epoch >= 0 || weight !== undefined
    // Nothing compared (the budget left no epoch, or no equal step count, to both runs) is no evidence either way.
    const evidence = b !== undefined && (compared > 0 || weightsCompared)
    const pass = evidence && !differs
    const details = [
      b === undefined
        ? `one run of ${count(a.record.epochs, 'epoch')} under seed ${session.seed}; run 2 not run`
        : cut
          ? `two runs under seed ${session.seed}, of ${count(a.record.epochs, 'epoch')} and ${count(b.record.epochs, 'epoch')}; compared the ${count(cut.epochs, 'epoch')} both completed`
          : `two runs of ${count(a.record.epochs, 'epoch')} under seed ${session.seed}`,
    ]
    if (epoch >= 0) {
      details.push(`loss curves part at epoch ${epoch + 1}: ${fmt(a.record.losses[epoch] ?? Number.NaN)} vs ${fmt(bLosses[epoch] ?? Number.NaN)}`)
    } else if (compared > 0) details.push('loss curves identical')
    if (weight) details.push(`final weights differ: ${weight.name}[${weight.index}] ${weight.a} vs ${weight.b}`)
    else if (b && !weightsCompared) details.push('final weights not compared: the budget stopped the runs after different numbers of steps')
    else if (b) details.push('final weights identical')
    if (!evidence) details.push('nothing compared: the budget left no common epoch or step count to both runs, so determinism is not shown')
    const findings: Finding[] = !differs
      ? []
      : [cause.unseededRandomness(epoch === 0
            ? `the runs differ from the first epoch (loss ${fmt(a.record.losses[0] ?? Number.NaN)} vs ${fmt(bLosses[0] ?? Number.NaN)}), so the initial weights differ`
            : epoch > 0 ? `identical until epoch ${epoch}, then apart` : `identical losses, different weights (${weight?.name})`,
          { atInitialization: epoch === 0 })]
    return {
      pass,
      expectation: `train deterministically: identical loss curves and weights from seed ${session.seed}`,
      details,
      record: a.record,
      findings,
      budget: budgetStop(a.record, b?.record),
      curves: [{ label: 'run 1', losses: a.record.losses }, ...(b ? [{ label: 'run 2', losses: b.record.losses }] : [])],
    }
  },
})

/** `in run 2 after 3 epochs`, `in run 1 after 7 epochs (half the budget); run 2 not run`. */
function budgetStop(a: TrainingRecord, b: TrainingRecord | undefined): string | undefined {
  const pieces: string[] = []
  if (a.stoppedBy === 'timeout') pieces.push(`in run 1 ${stoppedAfter(a.epochs)} (half the budget)`)
  if (b?.stoppedBy === 'timeout') pieces.push(`in run 2 ${stoppedAfter(b.epochs)}`)
  if (!b) pieces.push('run 2 not run')
  return pieces.length > 0 ? pieces.join('; ') : undefined
}

function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i
  return -1
}

function firstWeightDifference(
  a: { name: string; values: Float32Array }[],
  b: { name: string; values: Float32Array }[],
): { name: string; index: number; a: number; b: number } | undefined {
  for (let v = 0; v < a.length; v++) {
    const va = a[v]!.values
    const vb = b[v]?.values ?? new Float32Array()
    for (let i = 0; i < Math.max(va.length, vb.length); i++) {
      if (!Object.is(va[i], vb[i])) return { name: a[v]!.name, index: i, a: va[i] ?? Number.NaN, b: vb[i] ?? Number.NaN }
    }
  }
  return undefined
}
