import { fmt } from '../format.js'
import { finalLoss } from '../record.js'
import { chanceLoss } from '../chance.js'
import { openSession, type Observer, type RunRequest, type Session } from '../run.js'
import type { Dataset, RunOptions } from '../types.js'
import { percent } from './args.js'
import { defineCheck, DEFAULT_TIMEOUT_MS } from './define.js'
import type { OptionKind } from './options.js'
import { probedRun, type ProbedOutcome } from './probed.js'

export interface OverfitOptions extends RunOptions {
  /** Training loss to reach. Default 0.01; for regression 1% of the chance loss (var(y) for MSE), as loss units are the targets'. */
  lossBelow?: number
}

/** The options of every overfit run (toTrainAcrossSeeds and toSurviveReducedPrecision run it too). */
export const OVERFIT_KINDS = { lossBelow: { kind: 'number', min: 0, example: 0.01 } } as const satisfies Record<string, OptionKind>

/** Share of the chance loss a regressor must get below: memorizing leaves at most 1% of what predicting the mean scores. */
const REGRESSION_GOAL = 0.01

/** Hooks and seed a check adds to one overfit run (a seed sweep, reduced precision). */
export type OverfitHooks = Pick<RunRequest, 'seed' | 'before' | 'afterEpoch' | 'onGradients' | 'after'>

/** One run of the overfit test, with probe evidence, and its verdict. */
export interface OverfitTrial {
  outcome: ProbedOutcome
  pass: boolean
  lossBelow: number
  maxEpochs: number
}

/**
 * C7, the single-sample-per-class test: a healthy model memorizes a tiny dataset.
 * Passes when training loss < `lossBelow` and, for classification, training accuracy is 100%.
 *
 * @example
 * const result = await checks.overfit(buildModel)  // one random sample per class
 */
export const overfit = defineCheck<OverfitOptions>()({
  matcher: 'toOverfitTinyDataset',
  ids: ['C7'],
  dataset: 'optional',
  defaults: {},
  options: { kinds: OVERFIT_KINDS },
  goal: 'overfit its training samples',
  verify: true,
  async run(subject, data, options) {
    const session = await openSession(subject, options)
    const trial = await overfitTrial(session, data, options)
    const { outcome, pass } = trial
    // A run the budget stopped says so in the message's budget line (message.ts).
    return { pass, expectation: overfitGoal(trial), details: [overfitSummary(trial)], record: outcome.record, outcome, ...overfitMarks(trial) }
  },
})

/** Runs the overfit test once in `session`, with the caller's hooks (which may stop the run by returning true). */
export async function overfitTrial(session: Session, data: Dataset | undefined, options: OverfitOptions, hooks: OverfitHooks = {}): Promise<OverfitTrial> {
  let lossBelow = options.lossBelow ?? 0.01
  const maxEpochs = options.maxEpochs ?? 500
  // The check's budget bounds the run too (session.budget): a later trial gets only what earlier ones left.
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // Regression losses are in the targets' units (MSE on prices in $1000s): the default goal scales with them.
  const regressionGoal: Observer = {
    before(ctx) {
      if (options.lossBelow !== undefined || ctx.task !== 'regression') return
      const chance = chanceLoss(ctx.trainee.info, ctx.y, ctx.trainee.lossOf)
      if (chance !== undefined && chance > 0) lossBelow = Number((REGRESSION_GOAL * chance).toPrecision(4))
    },
  }
  const outcome = await probedRun(session, {
    ...hooks,
    dataset: data,
    maxEpochs,
    timeoutMs,
    observers: [regressionGoal],
    goal: ({ loss }, accuracy) => loss < lossBelow && isPerfect(accuracy()),
  })
  const last = finalLoss(outcome.record)
  const pass = last < lossBelow && isPerfect(outcome.record.accuracy ?? Number.NaN)
  return { outcome, pass, lossBelow, maxEpochs }
}

/** Completes "expected model to …": `overfit 2 samples to loss < 0.01 and 100% accuracy within 500 epochs`. */
export function overfitGoal({ outcome, lossBelow, maxEpochs }: OverfitTrial): string {
  const classification = outcome.record.task !== 'regression'
  return `overfit ${outcome.stats.samples} samples to loss < ${lossBelow}${classification ? ' and 100% accuracy' : ''} within ${maxEpochs} epochs`
}

/** The picture's goal line at `lossBelow` and the epoch where the run met it or stopped. */
export function overfitMarks({ outcome, lossBelow }: OverfitTrial): { goal: { label: string; value: number }; decidedEpoch?: number } {
  const { epochs } = outcome.record
  return { goal: { label: `loss < ${lossBelow}`, value: lossBelow }, ...(epochs > 0 && { decidedEpoch: epochs }) }
}

/** Where the run ended: `reached 0.6931 at epoch 500 (best 0.6931), accuracy 50%`. */
export function overfitSummary({ outcome }: OverfitTrial): string {
  const { record } = outcome
  const last = finalLoss(record)
  if (record.epochs === 0) return 'completed no epoch'
  return `reached ${fmt(last)} at epoch ${record.epochs} (best ${fmt(Math.min(...record.losses))})` +
    (record.task !== 'regression' ? `, accuracy ${percent(record.accuracy)}` : '')
}

/** Regression has no accuracy (NaN); classification needs every sample right. */
function isPerfect(accuracy: number): boolean {
  return Number.isNaN(accuracy) || accuracy === 1
}
