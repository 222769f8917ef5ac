import { count } from '../format.js'
import { checkResult } from '../message.js'
import { openSession } from '../run.js'
import type { CheckResult, Dataset, Finding, RunOptions, Subject } from '../types.js'
import { datasetAndOptions } from './args.js'
import { causes, probedRun } from './probed.js'

export interface UpdateOptions extends RunOptions {
  /** Optimizer steps to take. Default 5. */
  steps?: number
}

/**
 * C15: after a few optimizer steps every trainable variable has changed and no frozen one has
 * (batch-normalization moving statistics excepted).
 *
 * @example
 * await expect(buildModel).toUpdateAllTrainableWeights(data, { steps: 3 })
 */
export async function updateAllTrainableWeights(subject: Subject, dataset?: Dataset | UpdateOptions, maybeOptions?: UpdateOptions): Promise<CheckResult> {
  const [data, options] = datasetAndOptions(dataset, maybeOptions)
  const steps = options.steps ?? 5
  const session = await openSession(subject, options)
  const outcome = await probedRun(session, { dataset: data, maxEpochs: steps, timeoutMs: options.timeoutMs ?? 20_000 })
  const weights = outcome.evidence.weights
  const stale = weights.filter((w) => w.trainable && !w.changed)
  const moved = weights.filter((w) => !w.trainable && w.changed)
  const pass = stale.length === 0 && moved.length === 0
  const trainable = weights.filter((w) => w.trainable).length
  const details = [`${trainable - stale.length} of ${trainable} trainable variables changed after ${count(outcome.record.epochs, 'step')}`]
  if (stale.length) details.push(`unchanged: ${stale.map((w) => w.name).join(', ')}`)
  if (moved.length) details.push(`frozen but changed: ${moved.map((w) => w.name).join(', ')}`)
  const own: Finding[] = []
  if (stale.length) {
    const names = new Set(stale.map((w) => w.name))
    const reached = outcome.evidence.gradients.last.filter((g) => g.connected)
    const noGradient = stale.filter((w) => !reached.some((g) => w.name.startsWith(g.layer)))
    own.push({
      id: 'C15', title: 'trainable weights never change', severity: 'error', score: 6,
      evidence: `${[...names].join(', ')} unchanged after ${count(outcome.record.epochs, 'step')}` +
        (noGradient.length ? `; no gradient reaches ${noGradient.map((w) => w.name).join(', ')}` : ''),
      fix: 'make the loss depend on them, or mark them non-trainable on purpose',
    })
  }
  if (moved.length) {
    own.push({
      id: 'C15', title: 'frozen weights change', severity: 'error', score: 6,
      evidence: `${moved.map((w) => w.name).join(', ')} changed although not trainable`,
      fix: 'check layer.trainable and whatever assigns these variables',
    })
  }
  return checkResult({
    pass,
    expectation: `update every trainable weight, and no frozen one, within ${steps} steps`,
    details,
    record: outcome.record,
    findings: pass ? [] : causes(outcome, own),
  })
}
