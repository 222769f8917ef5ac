import { count, fmt } from '../format.js'
import { checkResult } from '../message.js'
import { openSession } from '../run.js'
import { typeError } from '../errors.js'
import { causes, probedRun } from './probed.js'
import type { CheckResult, Dataset, RunOptions, Subject } from '../types.js'

export interface MonotonicOptions extends RunOptions {
  /** Largest rise allowed from one epoch to the next, as a fraction of the earlier loss. Default 0.001. */
  tolerance?: number
  /** Trailing moving-average window over the loss curve before comparing. Default 1 (raw curve). */
  window?: number
}

/**
 * C5: at a sane learning rate, full-batch loss goes down epoch after epoch and ends below where it started.
 *
 * @example
 * await expect(buildModel).toReduceLossMonotonically(data, { maxEpochs: 100 })
 */
export async function monotonic(subject: Subject, dataset: Dataset, options: MonotonicOptions = {}): Promise<CheckResult> {
  if (dataset === undefined) throw typeError('toReduceLossMonotonically needs a dataset: pass { x, y }')
  const tolerance = options.tolerance ?? 1e-3
  const window = options.window ?? 1
  if (!Number.isInteger(window) || window < 1) throw typeError(`options.window must be a positive integer, received ${String(window)}`)
  const maxEpochs = options.maxEpochs ?? 100
  const session = await openSession(subject, options)
  const outcome = await probedRun(session, { dataset, maxEpochs, timeoutMs: options.timeoutMs ?? 20_000 })
  const { record } = outcome
  const curve = smooth(record.losses, window)
  const first = curve[0] ?? Number.NaN
  const last = curve[curve.length - 1] ?? Number.NaN
  const rises = curve.flatMap((v, i) => (i > 0 && !(v - curve[i - 1]! <= tolerance * Math.abs(curve[i - 1]!)) ? [i] : []))
  const finite = curve.every(Number.isFinite)
  const pass = finite && rises.length === 0 && last < first
  const details = [`loss ${fmt(first)} → ${fmt(last)} over ${count(record.epochs, 'epoch')}${window > 1 ? ` (smoothed over ${window})` : ''}`]
  const firstRise = rises[0]
  if (!finite) details.push(`loss became ${curve.find((v) => !Number.isFinite(v))} at epoch ${curve.findIndex((v) => !Number.isFinite(v)) + window}`)
  else if (firstRise !== undefined) {
    const from = curve[firstRise - 1]!
    const to = curve[firstRise]!
    details.push(`first rise at epoch ${firstRise + window}: ${fmt(from)} → ${fmt(to)} (+${fmt(((to - from) / Math.abs(from)) * 100)}%), ${rises.length} rises in all`)
  } else if (!(last < first)) details.push('loss did not end below where it started')
  const findings = pass ? [] : causes(outcome)
  return checkResult({
    pass,
    expectation: `reduce its loss at every epoch (rise ≤ ${fmt(tolerance * 100)}%) over ${maxEpochs} epochs`,
    details,
    record,
    findings,
  })
}

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
