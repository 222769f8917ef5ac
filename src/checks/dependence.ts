import { count, fmt } from '../format.js'
import { checkResult } from '../message.js'
import { openSession } from '../run.js'
import type { CheckResult, Dataset, Finding, RunOptions, Subject } from '../types.js'
import { datasetAndOptions } from './args.js'
import { causes, probedRun } from './probed.js'

export interface DependenceOptions extends RunOptions {
  /** Smallest healthy spread (std across samples) of an output. Default 1e-4. */
  minSpread?: number
}

/**
 * C8: after training, predictions vary across inputs (not one class for everything) and the gradient of
 * the output with respect to the input is not ~0.
 *
 * @example
 * await expect(buildModel).toDependOnInput(data)
 */
export async function dependOnInput(subject: Subject, dataset?: Dataset | DependenceOptions, maybeOptions?: DependenceOptions): Promise<CheckResult> {
  const [data, options] = datasetAndOptions(dataset, maybeOptions)
  const minSpread = options.minSpread ?? 1e-4
  const maxEpochs = options.maxEpochs ?? 100
  const session = await openSession(subject, options)
  const outcome = await probedRun(session, { dataset: data, maxEpochs, timeoutMs: options.timeoutMs ?? 20_000 })
  const o = outcome.evidence.outputs!
  const classification = outcome.record.task !== 'regression'
  const oneClass = classification && o.classes === 1
  const pass = o.finite && !oneClass && o.spread >= minSpread && o.inputGradient > 1e-6
  const details = [
    `after ${count(outcome.record.epochs, 'epoch')}: output spread ${fmt(o.spread)}, mean |∂output/∂input| ${fmt(o.inputGradient)}` +
      (classification ? `, ${o.classes} distinct predicted class${o.classes === 1 ? '' : 'es'}` : ''),
  ]
  const own: Finding[] = pass ? [] : [{
    id: 'C8', title: 'predicts the same output for every input', severity: 'error', score: 5,
    evidence: oneClass ? `one class predicted for all ${outcome.stats.samples} samples (output spread ${fmt(o.spread)})` : `output spread ${fmt(o.spread)}, input gradient ${fmt(o.inputGradient)}`,
    fix: 'lower the learning rate, check the input reaches the output, and check the labels are balanced',
  }]
  return checkResult({
    pass,
    expectation: `depend on its input: varied predictions (spread ≥ ${fmt(minSpread)}) and a non-zero input gradient`,
    details,
    record: outcome.record,
    findings: pass ? [] : causes(outcome, own),
  })
}
