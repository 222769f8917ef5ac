import { cause } from '../findings/catalogue.js'
import { count, fmt } from '../format.js'
import { noiseBand } from '../probes/noise.js'
import { openSession } from '../run.js'
import { defineCheck } from './define.js'
import { causes, probedRun } from './probed.js'
import type { Finding, RunOptions } from '../types.js'

export interface MonotonicOptions extends RunOptions {
  /** Largest rise allowed from one epoch to the next, as a fraction of the earlier loss. Default 0.001. */
  tolerance?: number
  /** Trailing moving-average window over the loss curve before comparing. Default 1 (raw curve). */
  window?: number
}

/**
 * C5: at a sane learning rate, full-batch loss goes down epoch after epoch and ends below where it started.
 * A model with layers that act only in training (Dropout, GaussianNoise, an RNN's dropout…) draws fresh noise at every
 * step, so its training loss jitters by design: for it the loss measured in inference mode before training and after
 * each epoch is judged instead, and the message says which curve was.
 *
 * @example
 * await expect(buildModel).toReduceLossMonotonically(data, { maxEpochs: 100 })
 */
export const monotonic = defineCheck<MonotonicOptions>()({
  matcher: 'toReduceLossMonotonically',
  ids: ['C5'],
  dataset: 'required',
  defaults: { tolerance: 1e-3, window: 1, maxEpochs: 100 },
  options: { kinds: { tolerance: { kind: 'number', min: 0, example: 1e-3 }, window: { kind: 'number', integer: true, min: 1, example: 3 } } },
  goal: 'reduce its loss at every epoch',
  verify: true,
  async run(subject, dataset, options) {
    const { tolerance } = options
    const { window } = options
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    const outcome = await probedRun(session, { dataset, maxEpochs, timeoutMs: options.timeoutMs })
    const { record } = outcome
    const { noisy, losses: inferenceLosses } = outcome.evidence.inference ?? { noisy: [], losses: [] }
    // The inference curve starts before training (epoch 0); the training curve's first loss is epoch 1's, taken before its step.
    const judged = noisy.length > 0 ? inferenceLosses : record.losses
    const offset = noisy.length > 0 ? 0 : 1
    const curve = smooth(judged, window)
    const epochOf = (i: number): number => i + window - 1 + offset
    const first = curve[0] ?? Number.NaN
    const last = curve[curve.length - 1] ?? Number.NaN
    const rising = (i: number, allowance: number): boolean => i > 0 && !(curve[i]! - curve[i - 1]! <= tolerance * Math.abs(curve[i - 1]!) + allowance)
    // A noisy model's step follows the training-mode loss, which at the same weights differs from the judged loss by
    // |training − inference|: a rise within that gap is the noise the step followed, not divergence. Summed over the
    // steps a moving average spans and divided by its width, like the rise itself.
    const band = noisy.length > 0 ? smooth(noiseBand(record.losses, inferenceLosses), window) : undefined
    const rises = curve.flatMap((_, i) => (rising(i, band?.[i] ?? 0) ? [i] : []))
    const withinNoise = band ? curve.filter((_, i) => rising(i, 0) && !rising(i, band[i]!)).length : 0
    const trainingBad = record.losses.findIndex((v) => !Number.isFinite(v))
    const finite = curve.every(Number.isFinite) && (noisy.length === 0 || trainingBad < 0)
    const pass = finite && rises.length === 0 && last < first
    const name = noisy.length > 0 ? 'inference-mode loss' : 'loss'
    const details = [`${name} ${fmt(first)} → ${fmt(last)} over ${count(record.epochs, 'epoch')}${window > 1 ? ` (smoothed over ${window})` : ''}`]
    if (noisy.length > 0) {
      details.push(
        `judged the loss in inference mode before training and after each epoch: ${noisy.join(', ')} draw${noisy.length === 1 ? 's' : ''} fresh noise at every ` +
          `training step, so its training loss (${fmt(record.losses[0] ?? Number.NaN)} → ${fmt(record.losses[record.losses.length - 1] ?? Number.NaN)}) is noisy by design and not judged`,
      )
    }
    const firstRise = rises[0]
    const badAt = curve.findIndex((v) => !Number.isFinite(v))
    let own: Finding[] = []
    if (!finite) {
      const what = badAt >= 0 ? `${name} became ${curve[badAt]} at epoch ${epochOf(badAt)}` : `training loss became ${record.losses[trainingBad]} at epoch ${trainingBad + 1}`
      details.push(what)
      if (noisy.length > 0) own = [cause.divergedLoss(`${what}${at(record.learningRate)}`, { lr: record.learningRate })]
    } else if (firstRise !== undefined) {
      const from = curve[firstRise - 1]!
      const to = curve[firstRise]!
      const beyond = band ? ` beyond the training noise (±${fmt(band[firstRise]!)})` : ''
      details.push(`first rise at epoch ${epochOf(firstRise)}: ${fmt(from)} → ${fmt(to)} (+${fmt(((to - from) / Math.abs(from)) * 100)}%)${beyond}, ${rises.length} rises in all`)
      if (noisy.length > 0) {
        const evidence = `${name} rose in ${rises.length} of ${curve.length - 1} epochs, first at epoch ${epochOf(firstRise)} (${fmt(from)} → ${fmt(to)})${at(record.learningRate)}`
        own = [cause.oscillatingLoss(evidence, { lr: record.learningRate, share: rises.length / Math.max(curve.length - 1, 1) })]
      }
    } else if (!(last < first)) details.push(`${name} did not end below where it started`)
    if (withinNoise > 0) details.push(`${count(withinNoise, 'smaller rise')} within the training noise (|training − inference| loss at the same weights) not counted`)
    const findings = pass ? [] : causes(outcome, own)
    return {
      pass,
      expectation: `reduce its ${noisy.length > 0 ? 'inference-mode ' : ''}loss at every epoch (rise ≤ ${fmt(tolerance * 100)}%) over ${maxEpochs} epochs`,
      details,
      record,
      findings,
      outcome,
      curves: noisy.length > 0 ? [{ label: 'inference', losses: inferenceLosses }, { label: 'training', losses: record.losses }] : undefined,
      // Where the verdict was read: the first non-finite loss, else the first rise, else the run's end.
      decidedEpoch: !finite && badAt >= 0 ? epochOf(badAt) : !finite ? trainingBad + 1 : firstRise !== undefined ? epochOf(firstRise) : record.epochs,
    }
  },
})

const at = (lr: number | undefined): string => (lr === undefined ? '' : ` at lr ${fmt(lr)}`)

/** Trailing moving average; the first `window - 1` epochs have no full window and are dropped. */
function smooth(values: readonly number[], window: number): number[] {
  if (window === 1) return [...values]
  const out: number[] = []
  for (let i = window - 1; i < values.length; i++) {
    let sum = 0
    for (let j = i - window + 1; j <= i; j++) sum += values[j]!
    out.push(sum / window)
  }
  return out
}
