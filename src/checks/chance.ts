import * as tf from '@tensorflow/tfjs'
import { cause } from '../findings/catalogue.js'
import { chanceLoss } from '../chance.js'
import { rangeError } from '../errors.js'
import { fmt } from '../format.js'
import { openSession } from '../run.js'
import { lossSteps, predictSteps } from '../slabs.js'
import type { Finding, RunOptions } from '../types.js'
import { defineCheck } from './define.js'
import { causes, probedRun } from './probed.js'

export interface ChanceOptions extends RunOptions {
  /** Allowed distance from the chance loss, as a share of it. Default 0.5. */
  tolerance?: number
  /** The chance loss, for losses trainability does not know. */
  chance?: number
}

/**
 * C3/C4: before any training the loss sits near its chance value (binary cross-entropy ln 2,
 * C-class cross-entropy ln C, MSE the variance of y), and the output activation fits the loss.
 * Catches a sigmoid fed to a from-logits loss, wrongly encoded labels and a bad output bias.
 *
 * @example
 * await expect(buildClassifier).toStartNearChanceLoss(data, { tolerance: 0.25 })
 */
export const startNearChance = defineCheck<ChanceOptions>()({
  matcher: 'toStartNearChanceLoss',
  ids: ['C3', 'C4'],
  dataset: 'optional',
  defaults: { tolerance: 0.5 },
  options: { kinds: { tolerance: { kind: 'number', min: 0, example: 0.5 }, chance: { kind: 'number', above: 0, example: 0.6931 } } },
  goal: 'start near its chance loss with an output that fits its loss',
  // The loss is read before any step: a learning rate cannot move it.
  verify: { skip: ['learningRate'] },
  async run(subject, data, options) {
    const { tolerance } = options
    const session = await openSession(subject, options)
    let initial = Number.NaN
    let chance: number | undefined
    let meanOutput = Number.NaN
    let meanLabel = Number.NaN
    let labelStd = Number.NaN
    const outcome = await probedRun(session, {
      dataset: data,
      maxEpochs: 0,
      timeoutMs: options.timeoutMs,
      async before(ctx) {
        // Every sample, a slab at a time, with the event loop free to turn between slabs.
        initial = await ctx.pace.run(lossSteps(ctx.trainee, ctx.x, ctx.y))
        chance = options.chance ?? chanceLoss(ctx.trainee.info, ctx.y, ctx.trainee.lossOf)
        const output = await ctx.pace.run(predictSteps(ctx.trainee, ctx.x))
        try {
          ;[meanOutput, meanLabel, labelStd] = tf.tidy(() => [
            tf.mean(output).dataSync()[0]!,
            tf.mean(ctx.y).dataSync()[0]!,
            tf.sqrt(tf.moments(ctx.y).variance).dataSync()[0]!,
          ])
        } finally {
          output.dispose()
        }
      },
    })
    if (chance === undefined) {
      throw rangeError(
        `toStartNearChanceLoss knows the chance loss of cross-entropy, MSE and MAE, and of any loss of a layers model, not of the custom trainable's '${outcome.info.lossName}'; pass { chance: <expected initial loss> }`,
      )
    }
    const record = { ...outcome.record, losses: [initial] }
    const off = Math.abs(initial - chance) / chance
    const config = causes({ ...outcome, record }).filter((f) => (f.id === 'C3' || f.id === 'C4') && f.severity === 'error')
    const near = Number.isFinite(initial) && off <= tolerance
    const pass = near && config.length === 0
    // An untrained output sits near 0; targets centered far from it (more than one std away) put the start at about
    // var(y) + mean(y)² instead of var(y), whatever the model: the offset, not the model, is what the rule sees.
    const offCenter = outcome.record.task === 'regression' && Math.abs(meanLabel - meanOutput) > labelStd
    const own: Finding[] = near
      ? []
      : [offCenter
          ? cause.targetsOffCenter(`initial loss ${fmt(initial)} vs chance ${fmt(chance)} (${fmt(off * 100)}% off): targets average ${fmt(meanLabel)} (std ${fmt(labelStd)}) while the untrained output averages ${fmt(meanOutput)}`, { meanLabel })
          : cause.initialLossFromChance(`initial loss ${fmt(initial)} vs chance ${fmt(chance)} (${fmt(off * 100)}% off); mean output ${fmt(meanOutput)} vs mean label ${fmt(meanLabel)}`)]
    // The output/loss fit is part of this rule: those findings are the check's own, ahead of the distance.
    const findings = pass ? [] : causes({ ...outcome, record }, [...config, ...own]).filter((f) => f.id !== 'C8' && f.id !== 'C15')
    return {
      pass,
      expectation: `start near its chance loss ${fmt(chance)} (within ${fmt(tolerance * 100)}%) with an output that fits ${outcome.info.lossName}`,
      details: [`initial loss ${fmt(initial)} (${fmt(off * 100)}% from chance)`, ...config.map((f) => `${f.title}: ${f.evidence}`)],
      record,
      findings,
      outcome,
    }
  },
})
