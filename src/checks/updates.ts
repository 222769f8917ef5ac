import { count } from '../format.js'
import { openSession } from '../run.js'
import { weightChangeFindings } from '../findings/model.js'
import type { RunOptions } from '../types.js'
import { defineCheck } from './define.js'
import { probedRun } from './probed.js'

export interface UpdateOptions extends RunOptions {
  /** Optimizer steps to take. Default 5. */
  steps?: number
}

/**
 * C15: after a few optimizer steps every trainable variable has changed and no frozen one has
 * (batch-normalization moving statistics excepted), and a custom trainable lists no non-trainable variable its loss
 * depends on (optimizers skip it, so it never learns).
 *
 * @example
 * await expect(buildModel).toUpdateAllTrainableWeights(data, { steps: 3 })
 */
export const updateAllTrainableWeights = defineCheck<UpdateOptions>()({
  matcher: 'toUpdateAllTrainableWeights',
  ids: ['C15'],
  dataset: 'optional',
  defaults: { steps: 5 },
  options: { kinds: { steps: { kind: 'number', integer: true, min: 1, example: 5 } } },
  goal: 'update every trainable weight',
  verify: true,
  async run(subject, data, options) {
    const { steps } = options
    const session = await openSession(subject, options)
    const outcome = await probedRun(session, { dataset: data, maxEpochs: steps, timeoutMs: options.timeoutMs })
    const weights = outcome.evidence.weights
    const stale = weights.filter((w) => w.trainable && !w.changed)
    const moved = weights.filter((w) => !w.trainable && w.changed)
    const untrainable = outcome.evidence.untrainable
    const pass = stale.length === 0 && moved.length === 0 && untrainable.length === 0
    const trainable = weights.filter((w) => w.trainable).length
    const details = [`${trainable - stale.length} of ${trainable} trainable variables changed after ${count(outcome.record.epochs, 'step')}`]
    if (stale.length) details.push(`unchanged: ${stale.map((w) => w.name).join(', ')}`)
    if (moved.length) details.push(`frozen but changed: ${moved.map((w) => w.name).join(', ')}`)
    if (untrainable.length) details.push(`non-trainable but listed in variables and used by the loss: ${untrainable.join(', ')}`)
    const own = weightChangeFindings(outcome.evidence, count(outcome.record.epochs, 'step'))
    return {
      pass,
      expectation: `update every trainable weight, and no frozen one, within ${steps} steps`,
      details,
      record: outcome.record,
      outcome,
      own,
    }
  },
})
