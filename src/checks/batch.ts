import { fmt } from '../format.js'
import { cause } from '../findings/catalogue.js'
import { openSession } from '../run.js'
import type { Finding, RunOptions } from '../types.js'
import { defineCheck } from './define.js'
import { probedRun } from './probed.js'

export interface BatchOptions extends RunOptions {
  /** Largest |∂output_i/∂x_j| (j ≠ i) tolerated, relative to the own-sample gradient. Default 1e-6. */
  tolerance?: number
}

/**
 * C16: in inference mode, sample i's output does not depend on sample j ≠ i of the same batch (no
 * batch-axis reductions leaking information). Measured on up to 4 samples by backpropagation.
 *
 * @example
 * await expect(buildModel).toBeBatchIndependent(data)
 */
export const batchIndependent = defineCheck<BatchOptions>()({
  matcher: 'toBeBatchIndependent',
  ids: ['C16'],
  dataset: 'optional',
  defaults: { tolerance: 1e-6 },
  options: { kinds: { tolerance: { kind: 'number', min: 0, example: 1e-6 } } },
  goal: 'treat each sample of a batch independently',
  verify: true,
  async run(subject, data, options) {
    const { tolerance } = options
    const session = await openSession(subject, options)
    const outcome = await probedRun(session, { dataset: data, defaultData: 'random', maxEpochs: options.maxEpochs ?? 0, timeoutMs: options.timeoutMs })
    const { leak, own: self } = outcome.evidence.crossSample
    const limit = tolerance * Math.max(self, 1e-3)
    const pass = leak <= limit
    const own: Finding[] = pass ? [] : [cause.batchMixing(`|∂output_i/∂x_j| reaches ${fmt(leak)} for j ≠ i, against ${fmt(self)} for its own input`)]
    return {
      pass,
      expectation: 'keep samples independent: ∂output_i/∂x_j = 0 for j ≠ i',
      details: [`largest cross-sample gradient ${fmt(leak)}, own-sample ${fmt(self)}, limit ${fmt(limit)}`],
      record: outcome.record,
      outcome,
      own,
    }
  },
})
