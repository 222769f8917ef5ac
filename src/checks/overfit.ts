import { fmt } from '../format.js'
import { checkResult } from '../message.js'
import { openSession } from '../run.js'
import type { CheckResult, Dataset, RunOptions, Subject } from '../types.js'
import { datasetAndOptions, percent } from './args.js'
import { causes, probedRun } from './probed.js'

export interface OverfitOptions extends RunOptions {
  /** Training loss to reach. Default 0.01. */
  lossBelow?: number
}

/**
 * C7, the single-sample-per-class test: a healthy model memorizes a tiny dataset.
 * Passes when training loss < `lossBelow` and, for classification, training accuracy is 100%.
 *
 * @example
 * const result = await checks.overfit(buildModel)  // one random sample per class
 */
export async function overfit(subject: Subject, dataset?: Dataset | OverfitOptions, maybeOptions?: OverfitOptions): Promise<CheckResult> {
  const [data, options] = datasetAndOptions(dataset, maybeOptions)
  const lossBelow = options.lossBelow ?? 0.01
  const maxEpochs = options.maxEpochs ?? 500
  const session = await openSession(subject, options)
  const outcome = await probedRun(session, {
    dataset: data,
    maxEpochs,
    timeoutMs: options.timeoutMs ?? 20_000,
    goal: ({ loss }, accuracy) => loss < lossBelow && isPerfect(accuracy()),
  })
  const { record } = outcome
  const last = record.losses[record.losses.length - 1] ?? Number.NaN
  const pass = last < lossBelow && isPerfect(record.accuracy ?? Number.NaN)
  const classification = record.task !== 'regression'
  const details = [
    `reached ${fmt(last)} at epoch ${record.epochs} (best ${fmt(Math.min(...record.losses))})` +
      (classification ? `, accuracy ${percent(record.accuracy)}` : ''),
  ]
  if (record.stoppedBy === 'timeout') details.push(`stopped by the ${options.timeoutMs ?? 20_000} ms budget`)
  const findings = pass ? [] : causes(outcome)
  return checkResult({
    pass,
    expectation: `overfit ${outcome.stats.samples} samples to loss < ${lossBelow}${classification ? ' and 100% accuracy' : ''} within ${maxEpochs} epochs`,
    details,
    record,
    findings,
  })
}

/** Regression has no accuracy (NaN); classification needs every sample right. */
function isPerfect(accuracy: number): boolean {
  return Number.isNaN(accuracy) || accuracy === 1
}
