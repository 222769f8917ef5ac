import { fmt } from '../format.js'
import { cause } from '../findings/catalogue.js'
import { openSession } from '../run.js'
import type { Finding, RunOptions } from '../types.js'
import { defineCheck } from './define.js'
import { probedRun } from './probed.js'

export interface GradientOptions extends RunOptions {
  /** Smallest healthy per-layer gradient norm. Default 1e-6. */
  min?: number
  /** Largest healthy per-layer gradient norm. Default 1e3. */
  max?: number
  /** Largest healthy ratio between the biggest and the smallest layer norm. Default 1e4. */
  maxRatio?: number
}

/**
 * C10: at the first optimizer step every layer's gradient norm lies in [min, max] and the norms do not
 * spread over more than `maxRatio` across depth; names the layer that vanishes or explodes.
 *
 * @example
 * await expect(buildDeepNet).toHaveHealthyGradients(data, { maxRatio: 1e3 })
 */
export const healthyGradients = defineCheck<GradientOptions>()({
  matcher: 'toHaveHealthyGradients',
  ids: ['C10'],
  dataset: 'optional',
  defaults: { min: 1e-6, max: 1e3, maxRatio: 1e4 },
  options: { kinds: { min: { kind: 'number', min: 0, example: 1e-6 }, max: { kind: 'number', above: 0, example: 1e3 }, maxRatio: { kind: 'number', min: 1, example: 1e4 } }, ordered: [['min', 'max']] },
  goal: 'have healthy gradients in every layer',
  verify: true,
  async run(subject, data, options) {
    const { min } = options
    const { max } = options
    const { maxRatio } = options
    const session = await openSession(subject, options)
    const outcome = await probedRun(session, { dataset: data, maxEpochs: 1, timeoutMs: options.timeoutMs })
    const norms = outcome.evidence.gradients.first.filter((g) => g.connected)
    const low = norms.filter((g) => !(g.norm >= min))
    const high = norms.filter((g) => !(g.norm <= max))
    const finite = norms.filter((g) => Number.isFinite(g.norm) && g.norm > 0)
    const biggest = finite.reduce<(typeof finite)[number] | undefined>((a, b) => (!a || b.norm > a.norm ? b : a), undefined)
    const smallest = finite.reduce<(typeof finite)[number] | undefined>((a, b) => (!a || b.norm < a.norm ? b : a), undefined)
    const ratio = biggest && smallest ? biggest.norm / smallest.norm : 1
    const pass = norms.length > 0 && low.length === 0 && high.length === 0 && ratio <= maxRatio
    const details = [`per-layer gradient norms at the first step: ${norms.map((g) => `${g.layer} ${fmt(g.norm)}`).join(', ')}`]
    if (ratio > maxRatio) details.push(`spread ${fmt(ratio)} between ${biggest!.layer} and ${smallest!.layer}`)
    const own: Finding[] = []
    if (low.length || ratio > maxRatio) {
      const layer = low[0] ?? smallest!
      own.push(cause.vanishingGradients(`${layer.layer} gets a gradient norm of ${fmt(layer.norm)}${biggest ? ` while ${biggest.layer} gets ${fmt(biggest.norm)}` : ''}`))
    }
    if (high.length) {
      own.push(cause.explodingGradients(`${high[0]!.layer} gets a gradient norm of ${fmt(high[0]!.norm)} (> ${fmt(max)})`))
    }
    return {
      pass,
      expectation: `have per-layer gradient norms in [${fmt(min)}, ${fmt(max)}] spreading at most ${fmt(maxRatio)}× across depth`,
      details,
      record: outcome.record,
      outcome,
      own,
    }
  },
})
