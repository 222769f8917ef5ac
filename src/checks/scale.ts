import * as tf from '@tensorflow/tfjs'
import { cause } from '../findings/catalogue.js'
import { finalLoss } from '../record.js'
import { rank } from '../findings/index.js'
import { fmt } from '../format.js'
import { stoppedAfter } from '../message.js'
import { openSession, type RunOutcome } from '../run.js'
import type { Finding, RunOptions } from '../types.js'
import { percent } from './args.js'
import { defineCheck } from './define.js'
import { causes, probedRun, type ProbedOutcome } from './probed.js'

export interface ScaleOptions extends RunOptions {
  /** Factors the raw features are multiplied by. Default [1e-3, 1e3]. */
  factors?: number[]
  /** Also run with each feature scaled by a different factor (cycling through `factors`). Default true. */
  mixed?: boolean
  /** Also run with `shift` added to every raw feature; 0 skips it. Default 100. */
  shift?: number
  /** Allowed relative change of the final loss, and absolute change of accuracy, against the unscaled run. Default 0.05. */
  tolerance?: number
}

interface Variant {
  label: string
  transform?: (x: tf.Tensor) => tf.Tensor
}

/**
 * C1: the training outcome does not depend on the units of the raw features. Retrains with the features
 * rescaled and shifted and compares final loss and accuracy with the unscaled run, which must itself train (end at
 * most (1 − tolerance)·chance loss): a model that fails at every scale is not scale invariant, it is broken.
 *
 * @example
 * await expect({ model: build, preprocess: scalers.standard() }).toBeScaleInvariant(data)
 */
export const scaleInvariance = defineCheck<ScaleOptions>()({
  matcher: 'toBeScaleInvariant',
  ids: ['C1'],
  dataset: 'required',
  needs: 'with the features in their raw units',
  defaults: { tolerance: 0.05, shift: 100, maxEpochs: 100 },
  runs: (o) => 1 + (Array.isArray(o.factors) ? o.factors.length : 2) + (o.mixed === false ? 0 : 1) + (o.shift === 0 ? 0 : 1),
  options: {
    kinds: {
      factors: { kind: 'array', of: { kind: 'number', nonZero: true }, items: 'scale factors', example: [1e-3, 1e3] },
      tolerance: { kind: 'number', min: 0, example: 0.05 },
      shift: { kind: 'number', example: 100 },
      mixed: { kind: 'boolean', example: true },
    },
  },
  goal: 'train alike on rescaled features',
  verify: true,
  async run(subject, dataset, options) {
    const factors = options.factors ?? [1e-3, 1e3]
    const { tolerance } = options
    const { shift } = options
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    const variants: Variant[] = [
      { label: 'unscaled' },
      ...factors.map((f) => ({ label: `×${fmt(f)}`, transform: (x: tf.Tensor) => tf.mul(x, f) })),
    ]
    if (options.mixed ?? true) {
      variants.push({
        label: 'mixed',
        transform: (x) => tf.tidy(() => {
          const width = x.shape.slice(1).reduce((a, b) => a * b, 1)
          const perFeature = tf.tensor(Array.from({ length: width }, (_, i) => factors[i % factors.length]!), x.shape.slice(1))
          return tf.mul(x, perFeature)
        }),
      })
    }
    if (shift !== 0) variants.push({ label: `+${fmt(shift)}`, transform: (x) => tf.add(x, shift) })

    // The runs share the check's budget. The unscaled run gets a fair share (the time left over the runs); the rescaled
    // runs then train the epochs it trained, each with all the time left, so they compare at equal epochs. A run the
    // budget cuts shorter still is compared with the unscaled loss at its own last epoch; one with no time is not run.
    // Only the unscaled run carries probes: it is the one whose causes the message explains.
    const base = await probedRun(session, { dataset, maxEpochs, timeoutMs: Math.max(0, session.budget.left()) / variants.length })
    const epochs = base.record.epochs
    const baseCut = base.record.stoppedBy === 'timeout'
    const outcomes: (RunOutcome | undefined)[] = [base]
    for (const variant of variants.slice(1)) {
      const left = session.budget.left()
      const run = left > 0 && !(baseCut && epochs === 0)
      outcomes.push(run ? await session.run({ dataset, transformX: variant.transform, maxEpochs: baseCut ? epochs : maxEpochs, timeoutMs: left }) : undefined)
    }
    const baseFinal = final(base)
    const classification = base.record.task !== 'regression'
    const rows = outcomes.map((o, i) => {
      const label = variants[i]!.label
      const ran = o?.record.epochs ?? 0
      const cut = o?.record.stoppedBy === 'timeout'
      if (!o || (cut && ran === 0)) return { label, outcome: o, lossShift: Number.NaN, accShift: Number.NaN, ok: false, compared: false, at: ran, short: false }
      // Cut shorter than the unscaled run: its loss against the unscaled loss at the same epoch; accuracy is only at the end.
      const short = cut && ran < epochs
      const reference = short ? base.record.losses[ran - 1]! : baseFinal
      const lossShift = relativeChange(final(o), reference)
      const accShift = short || o.record.accuracy === undefined ? 0 : Math.abs(o.record.accuracy - (base.record.accuracy ?? 0))
      const ok = Number.isFinite(final(o)) && lossShift <= tolerance && accShift <= tolerance
      return { label, outcome: o, lossShift, accShift, ok, compared: true, at: ran, short }
    })
    const uncompared = rows.filter((r) => !r.compared)
    const broken = rows.filter((r) => r.compared && !r.ok)
    // Runs that all fail to learn agree at every scale, so agreement means something only when the unscaled run
    // trains. Its own notion of training, in the check's own unit: the final loss must sit below the loss of a model
    // that ignores its input (the chance loss: ln 2, ln C, var(y); else the first epoch's loss) by more than the
    // `tolerance` the runs may differ by, i.e. final ≤ (1 − tolerance)·chance. A run within `tolerance` of chance is
    // indistinguishable, by this check's own yardstick, from one that learned nothing.
    const reference = base.evidence.chance ?? base.record.losses[0]
    const goal = reference === undefined ? undefined : (1 - tolerance) * reference
    const trains = goal === undefined || baseFinal <= goal
    // A rescaled run the budget left uncompared is not verified: the check claims only what it compared.
    const pass = broken.length === 0 && uncompared.length === 0 && trains
    const details = rows.map((r) => {
      if (!r.compared) return `✗ ${r.label.padEnd(8)} ${r.outcome ? 'cut short by the budget before its first epoch ended' : 'not run'}: not compared`
      const o = r.outcome!
      return `${r.ok ? ' ' : '✗'} ${r.label.padEnd(8)} final loss ${fmt(final(o))}` +
        (classification && !r.short ? `, accuracy ${percent(o.record.accuracy)}` : '') +
        (r.label === 'unscaled' ? '' : `  (Δ loss ${fmt(r.lossShift * 100)}%${classification && !r.short ? `, Δ accuracy ${percent(r.accShift)}` : ''}` +
          `${r.short ? `, at epoch ${r.at}: cut short by the budget` : ''})`)
    })
    if (!trains) {
      const how = `final loss ${fmt(baseFinal)}, above ${fmt(goal!)} (${fmt((1 - tolerance) * 100)}% of the ` +
        `${base.evidence.chance === undefined ? 'first epoch\'s loss' : 'chance loss'} ${fmt(reference!)})`
      details.unshift(baseCut
        ? `✗ the unscaled run had not trained when the budget stopped it: ${how}; runs that learn nothing agree at any scale`
        : `✗ the unscaled run does not train: ${how}; runs that learn nothing agree at any scale`)
    }
    const worst = broken.reduce<(typeof rows)[number] | undefined>((a, b) => (!a || b.lossShift + b.accShift > a.lossShift + a.accShift ? b : a), undefined)
    const findings = pass ? [] : worst ? scaleFindings(worst.label, worst.lossShift, worst.accShift, worst.outcome!, base) : causes(base)
    const perRun = epochs < maxEpochs && baseCut ? `${epochs} of ${maxEpochs} epochs per run (the unscaled run's share of the budget)` : `${maxEpochs} epochs per run`
    return {
      pass,
      expectation: `train, and train the same with its features rescaled (${variants.slice(1).map((v) => v.label).join(', ')}), within ${fmt(tolerance * 100)}% of the unscaled run`,
      details: [perRun, ...details],
      record: base.record,
      outcome: base,
      findings,
      budget: budgetStop(rows, epochs, baseCut),
      curves: rows.filter((r) => r.outcome).map((r) => ({ label: r.label, losses: r.outcome!.record.losses })),
    }
  },
})

/** `in the unscaled run after 30 epochs; ×1000 after 12 epochs; mixed, +100 not run`. */
function budgetStop(rows: { label: string; outcome?: RunOutcome; at: number }[], epochs: number, baseCut: boolean): string | undefined {
  const pieces: string[] = []
  if (baseCut) pieces.push(`in the unscaled run ${stoppedAfter(epochs)}`)
  for (const r of rows.slice(1)) if (r.outcome && r.outcome.record.stoppedBy === 'timeout') pieces.push(`${r.label} ${stoppedAfter(r.at)}`)
  const unrun = rows.filter((r) => !r.outcome).map((r) => r.label)
  if (unrun.length > 0) pieces.push(`${unrun.join(', ')} not run`)
  return pieces.length > 0 ? pieces.join('; ') : undefined
}

/** Change of a final loss relative to the larger of the two; below 1e-3 both count as converged. */
function relativeChange(value: number, reference: number): number {
  if (!Number.isFinite(value)) return Number.POSITIVE_INFINITY
  return Math.abs(value - reference) / Math.max(Math.abs(value), Math.abs(reference), 1e-3)
}

function final(outcome: RunOutcome): number {
  return finalLoss(outcome.record)
}

function scaleFindings(label: string, shift: number, accShift: number, worst: RunOutcome, base: ProbedOutcome): Finding[] {
  const seen = causes(base)
  const stats = seen.find((f) => f.id === 'C1')
  const c1 = cause.scaleSensitive(`with features ${label} the final loss ${Number.isFinite(shift) ? `changed by ${fmt(shift * 100)}%` : `became ${fmt(final(worst))}`}` +
      (accShift > 0 ? ` and accuracy by ${percent(accShift)}` : '') +
      (stats ? `; ${stats.evidence}` : ''))
  return rank([c1, ...seen.filter((f) => f.id !== 'C1')])
}
