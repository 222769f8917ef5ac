import { count, fmt } from '../format.js'
import { cause } from '../findings/catalogue.js'
import { finalLoss } from '../record.js'
import { firstNonFiniteGradient } from '../probes/gradients.js'
import { firstNonFiniteWeight } from '../probes/weights.js'
import type { Watch } from '../cache.js'
import { openSession, type Observer } from '../run.js'
import type { Finding, RunOptions } from '../types.js'
import { defineCheck } from './define.js'
import { probedRun, type ProbedOutcome } from './probed.js'

interface NonFinite {
  gradient?: { epoch: number; name: string }
  weight?: { epoch: number; name: string }
}

/** The first variable whose gradient, and the first whose value, went non-finite; stops the run at a non-finite weight. */
const NON_FINITE: Watch<NonFinite> = {
  name: 'non-finite',
  start() {
    const seen: NonFinite = {}
    const observer: Observer = {
      onGradients(epoch, grads, ctx) {
        const name = seen.gradient ? undefined : firstNonFiniteGradient(ctx.trainee, grads)
        if (name) seen.gradient = { epoch, name }
      },
      afterEpoch(epoch, ctx) {
        const name = firstNonFiniteWeight(ctx.trainee)
        if (name) seen.weight = { epoch, name }
        return seen.weight !== undefined
      },
    }
    return { observer, seen: () => seen }
  },
  /**
   * A run whose every variable is finite at the end never held a non-finite gradient or weight, when its updates are
   * tfjs's own: each built-in optimizer adds to a weight an update that a NaN or ±Infinity gradient makes non-finite, and
   * a non-finite weight stays so under any later update (NaN absorbs, Infinity minus a finite update is Infinity). So
   * this watch would have seen nothing there, nor stopped the run. A custom trainable, an optimizer class of the user's
   * (it may clip) or an afterStep (it rewrites weights) breaks that chain: those runs carry the watch.
   */
  derive(outcome) {
    const { evidence, info } = outcome as ProbedOutcome
    const sure = info.kind === 'layers' && TFJS_OPTIMIZERS.has(info.optimizer) && evidence?.afterStep === false && evidence.weightsFinite === true
    return sure ? {} : undefined
  },
}

/** The class names of tfjs's built-in optimizers, as a run's recipe names the one it built (src/optimizer.ts). */
const TFJS_OPTIMIZERS = new Set(['SGD', 'Momentum', 'Adagrad', 'Adadelta', 'Adam', 'Adamax', 'RMSProp'])

/**
 * C5: loss, weights and gradients stay finite over the run; names the first epoch and variable that
 * went NaN or Infinity.
 *
 * @example
 * await expect(buildModel).toStayFinite(data, { maxEpochs: 200 })
 */
export const stayFinite = defineCheck<RunOptions>()({
  matcher: 'toStayFinite',
  ids: ['C5'],
  dataset: 'optional',
  defaults: { maxEpochs: 100 },
  goal: 'keep its loss, weights and gradients finite',
  verify: true,
  async run(subject, data, options) {
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    const outcome = await probedRun(session, { dataset: data, maxEpochs, timeoutMs: options.timeoutMs }, NON_FINITE)
    const { gradient, weight } = outcome.seen
    const { losses } = outcome.record
    const lossAt = losses.findIndex((l) => !Number.isFinite(l))
    const pass = lossAt === -1 && !gradient && !weight
    const details = [lossAt === -1 ? `loss finite for ${count(losses.length, 'epoch')} (last ${fmt(finalLoss(outcome.record))})` : `loss became ${losses[lossAt]} at epoch ${lossAt + 1}`]
    if (gradient) details.push(`first non-finite gradient: ${gradient.name} at epoch ${gradient.epoch}`)
    if (weight) details.push(`first non-finite weight: ${weight.name} after epoch ${weight.epoch}`)
    const lr = outcome.record.learningRate
    const first = [gradient?.epoch, weight?.epoch, lossAt === -1 ? undefined : lossAt + 1].filter((e): e is number => e !== undefined)
    const own: Finding[] = pass ? [] : [cause.nonFinite(`${gradient?.name ?? weight?.name ?? 'the loss'} went non-finite at epoch ${Math.min(...first)}${lr === undefined ? '' : ` at lr ${fmt(lr)}`}`, { lr })]
    return {
      pass,
      expectation: `keep loss, weights and gradients finite for ${maxEpochs} epochs`,
      details,
      record: outcome.record,
      // The first epoch anything went non-finite; a run that stayed finite was read at its end.
      decidedEpoch: first.length ? Math.min(...first) : outcome.record.epochs,
      outcome,
      own,
    }
  },
})
