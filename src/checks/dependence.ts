import { count, fmt } from '../format.js'
import { cause } from '../findings/catalogue.js'
import { openSession } from '../run.js'
import type { Finding, RunOptions } from '../types.js'
import type { Sensitivity } from '../probes/sensitivity.js'
import { sampled, samplesRead } from '../probes/sample.js'
import { defineCheck } from './define.js'
import { probedRun } from './probed.js'

const INPUT_GRADIENT_FLOOR = 1e-6

/** The gradient as measured: w.r.t. the input, the embedding vectors of token ids, or not at all. */
function gradientText(o: Sensitivity): string {
  if (o.gradientOf === 'none') return 'input gradient not measured (integer inputs)'
  return `mean ‖∂output/∂${o.gradientOf === 'embedding' ? 'embedding' : 'input'}‖₁ ${fmt(o.inputGradient)} per output unit`
}

export interface DependenceOptions extends RunOptions {
  /** Smallest healthy spread (std across samples) of an output. Default 1e-4. */
  minSpread?: number
}

/**
 * C8: after training, predictions vary across inputs (not one class for everything) and the gradient of
 * each output unit with respect to the input is not ~0 (with token ids: with respect to their embedding vectors).
 *
 * @example
 * await expect(buildModel).toDependOnInput(data)
 */
export const dependOnInput = defineCheck<DependenceOptions>()({
  matcher: 'toDependOnInput',
  ids: ['C8'],
  dataset: 'optional',
  defaults: { minSpread: 1e-4, maxEpochs: 100 },
  options: { kinds: { minSpread: { kind: 'number', min: 0, example: 1e-4 } } },
  goal: 'depend on its input',
  verify: true,
  async run(subject, data, options) {
    const { minSpread } = options
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    const outcome = await probedRun(session, { dataset: data, maxEpochs, timeoutMs: options.timeoutMs })
    const o = outcome.evidence.outputs!
    const classification = outcome.record.task !== 'regression'
    const oneClass = classification && o.classes === 1
    // Measured one output unit at a time, a model cut off from its input reads exactly 0 (the chain rule multiplies by an
    // exact zero); rounding leaves residues only where a quantity cancels by construction, of the order of float32's
    // epsilon 2^-23 ≈ 1.2e-7 times the O(1) terms that cancel. 1e-6 sits above that and orders of magnitude below a
    // model that uses its input (trained, iris reads 0.34 and mnist's dense model 0.017).
    const measured = o.gradientOf !== 'none'
    const flat = measured && !(o.inputGradient > INPUT_GRADIENT_FLOOR)
    const pass = o.finite && !oneClass && o.spread >= minSpread && !flat
    const details = [
      `after ${count(outcome.record.epochs, 'epoch')}: output spread ${fmt(o.spread)}, ${gradientText(o)}` +
        (classification ? `, ${o.classes} distinct predicted class${o.classes === 1 ? '' : 'es'}` : '') +
        (outcome.evidence.probed ? ` on ${sampled(outcome.evidence.probed)}` : ''),
    ]
    const seen = oneClass ? `one class predicted for all ${samplesRead(outcome.evidence.probed, outcome.stats.samples)} (output spread ${fmt(o.spread)})` : `output spread ${fmt(o.spread)}, ${gradientText(o)}`
    const own: Finding[] = pass ? [] : [o.inputGradient <= 1e-6 ? cause.inputCutOff(seen) : cause.sameOutput(seen, { oneClass })]
    return {
      pass,
      expectation: `depend on its input: varied predictions (spread ≥ ${fmt(minSpread)}) and a non-zero input gradient per output unit`,
      details,
      record: outcome.record,
      outcome,
      own,
    }
  },
})
