import { count, fmt } from '../format.js'
import { openSession } from '../run.js'
import type { Finding, RunOptions } from '../types.js'

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
  goal: 'train deterministically under one seed',
  async run(subject, data, options) {
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    const request = { dataset: data, maxEpochs, timeoutMs: options.timeoutMs, keepWeights: true }
    const a = await session.run(request)
    const b = await session.run(request)
    const cut = budgetCut(a.record, b.record)
    const epoch = cut
      ? firstDifference(a.record.losses.slice(0, cut.epochs), b.record.losses.slice(0, cut.epochs))
      : firstDifference(a.record.losses, b.record.losses)
    // Weights after different numbers of steps differ by design; the losses up to the cut are the comparison then.
    const weight = cut ? undefined : firstWeightDifference(a.weights ?? [], b.weights ?? [])
    const pass = epoch === -1 && weight === undefined
    const details = cut
      ? [
          `two runs under seed ${session.seed}: run ${cut.short + 1} stopped by its ${options.timeoutMs} ms budget after ${count(cut.epochs, 'epoch')}, ` +
            `run ${2 - cut.short} after ${count(cut.longer, 'epoch')}; compared the ${count(cut.epochs, 'epoch')} both completed`,
        ]
      : [`two runs of ${count(a.record.epochs, 'epoch')} under seed ${session.seed}`]
    if (epoch >= 0) {
      details.push(`loss curves part at epoch ${epoch + 1}: ${fmt(a.record.losses[epoch] ?? Number.NaN)} vs ${fmt(b.record.losses[epoch] ?? Number.NaN)}`)
    } else details.push('loss curves identical')
    if (weight) details.push(`final weights differ: ${weight.name}[${weight.index}] ${weight.a} vs ${weight.b}`)
    else if (cut) details.push('final weights not compared: the budget stopped the runs at different epochs')
    else details.push('final weights identical')
    const findings: Finding[] = pass
      ? []
      : [{
          id: 'C11',
          title: epoch === 0 ? 'randomness outside the seed at initialization' : 'randomness outside the seed during training',
          severity: 'error',
          score: 1,
          evidence: epoch === 0
            ? `the runs differ from the first epoch (loss ${fmt(a.record.losses[0] ?? Number.NaN)} vs ${fmt(b.record.losses[0] ?? Number.NaN)}), so the initial weights differ`
            : epoch > 0 ? `identical until epoch ${epoch}, then apart` : `identical losses, different weights (${weight?.name})`,
          fix: 'draw all randomness from Math.random or tfjs initializers, not crypto, Date.now or tf.data shuffling',
        }]
    return {
      pass,
      expectation: `train deterministically: identical loss curves and weights from seed ${session.seed}`,
      details,
      record: a.record,
      findings,
      curves: [{ label: 'run 1', losses: a.record.losses }, { label: 'run 2', losses: b.record.losses }],
    }
  },
})

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
