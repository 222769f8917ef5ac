import { count, fmt } from '../format.js'
import { cause } from '../findings/catalogue.js'
import { typeError } from '../errors.js'
import { openSession } from '../run.js'
import type { Finding, RunOptions } from '../types.js'
import { SATURATION } from '../probes/activations.js'
import { samplesRead } from '../probes/sample.js'
import { defineCheck } from './define.js'
import { probedRun } from './probed.js'

export interface DeadUnitOptions extends RunOptions {
  /** Largest healthy share of dead ReLU (or saturated sigmoid/tanh) units in a layer. Default 0.5. */
  maxFraction?: number
}

/**
 * C9: after training, the share of hidden ReLU units never active on the data, and of sigmoid/tanh units
 * saturated (local derivative averaged over the samples below 1% of its peak, at either bound), stays below
 * `maxFraction` in every layer; names the layer. Without a dataset it
 * trains on 32 random inputs.
 *
 * @example
 * await expect(buildModel).toHaveNoDeadUnits(data, { maxFraction: 0.25 })
 */
export const noDeadUnits = defineCheck<DeadUnitOptions>()({
  matcher: 'toHaveNoDeadUnits',
  ids: ['C9'],
  dataset: 'optional',
  defaults: { maxFraction: 0.5, maxEpochs: 50 },
  options: { kinds: { maxFraction: { kind: 'number', min: 0, max: 1, example: 0.5 } } },
  goal: 'train without dead or saturated units',
  verify: true,
  async run(subject, data, options) {
    const { maxFraction } = options
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    const outcome = await probedRun(session, { dataset: data, defaultData: 'random', maxEpochs, timeoutMs: options.timeoutMs })
    if (outcome.info.kind !== 'layers') throw typeError('toHaveNoDeadUnits looks inside layers models; a custom trainable has no layers to inspect')
    const layers = outcome.evidence.activations.final
    const share = (l: (typeof layers)[number]): number => Math.max(l.dead, l.saturated)
    const bad = layers.filter((l) => share(l) > maxFraction).sort((a, b) => share(b) - share(a))
    const pass = bad.length === 0
    const details = layers.length
      ? layers.map((l) => `${l.layer} (${l.activation}, ${l.units} units): ${fmt(l.dead * 100)}% dead, ${fmt(l.saturated * 100)}% saturated`)
      : ['no hidden relu, sigmoid or tanh layers to inspect']
    const worst = bad[0]
    const own: Finding[] = []
    if (worst) {
      const seen = `${fmt(share(worst) * 100)}% of the ${worst.units} units of ${worst.layer} ${worst.dead > 0 ? 'never activate' : `are saturated (mean ${worst.activation === 'tanh' ? '1 − y²' : '4·y(1 − y)'} below ${SATURATION}: under 1% of the gradient passes)`} on ${samplesRead(outcome.evidence.probed, outcome.stats.samples)} after ${count(outcome.record.epochs, 'epoch')}`
      own.push(worst.dead > 0 ? cause.deadRelu(seen) : cause.saturatedUnits(seen, { activation: worst.activation }))
    }
    return {
      pass,
      expectation: `keep dead or saturated units below ${fmt(maxFraction * 100)}% of every hidden layer after ${maxEpochs} epochs`,
      details,
      record: outcome.record,
      outcome,
      own,
    }
  },
})
