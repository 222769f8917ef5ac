import * as tf from '@tensorflow/tfjs'
import { cause } from '../findings/catalogue.js'
import { rangeError } from '../errors.js'
import { fmt } from '../format.js'
import { openSession, type RunContext } from '../run.js'
import { predictInSlabs, predictSteps } from '../slabs.js'
import type { Trainee } from '../subject.js'
import { accuracy, predictedClasses, trueClasses } from '../task.js'
import type { Finding, RunOptions, Task } from '../types.js'
import { percent } from './args.js'

import { defineCheck } from './define.js'

export interface BaselineOptions extends RunOptions {
  /**
   * Share of the baseline's error the model must remove. Classification: error rate ≤ (1 − majority share)·(1 − margin);
   * regression: loss ≤ (loss of predicting mean(y))·(1 − margin). Default 0.1.
   */
  margin?: number
}

/** The input-independent predictor a model must beat, and the score that beats it by the margin. */
interface Baseline {
  /** Majority-class accuracy, or the loss of predicting mean(y). */
  score: number
  /** Accuracy to reach (at least), or loss to get down to (at most). */
  target: number
  /** `the majority-class baseline (always class 0` … */
  name: string
  predictor: string
  metric: string
}

/** How the trained model's outputs spread over the inputs (C8). */
interface Spread {
  /** Classification: the most predicted class and on how many inputs. */
  topClass?: { label: number; count: number }
  samples: number
  /** Largest standard deviation of an output unit across inputs. */
  outputStd: number
  /** Standard deviation of the targets, for regression. */
  targetStd: number
}

/**
 * C7/C8: after training, the model beats the best input-independent predictor on its training data: the majority
 * class for classification (by accuracy), the mean of y for regression (by the model's own loss, without
 * regularization; custom trainables by mean squared error). A model whose outputs collapse to one class or one value
 * only matches it.
 *
 * @example
 * await expect(buildModel).toBeatBaseline(data, { margin: 0.2 })
 */
export const beatsBaseline = defineCheck<BaselineOptions>()({
  matcher: 'toBeatBaseline',
  ids: ['C7', 'C8'],
  dataset: 'required',
  needs: 'with at least two classes or two distinct targets',
  defaults: { margin: 0.1, maxEpochs: 200 },
  options: { kinds: { margin: { kind: 'number', min: 0, below: 1, example: 0.1 } } },
  goal: 'beat the input-independent baseline',
  verify: true,
  async run(subject, dataset, options) {
    const { margin } = options
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    let baseline: Baseline | undefined
    let spread: Spread | undefined
    const scores: number[] = []
    const outcome = await session.run({
      dataset,
      maxEpochs,
      timeoutMs: options.timeoutMs,
      before(ctx) {
        baseline = baselineOf(ctx, margin)
      },
      afterEpoch(_epoch, ctx) {
        scores.push(scoreOf(ctx))
        return beats(scores[scores.length - 1]!, baseline!, ctx.task)
      },
      async after(ctx) {
        const prediction = await ctx.pace.run(predictSteps(ctx.trainee, ctx.x))
        try {
          spread = spreadOf(ctx, prediction)
        } finally {
          prediction.dispose()
        }
      },
    })
    const { record } = outcome
    const base = baseline!
    const classification = record.task !== 'regression'
    const final = scores[scores.length - 1] ?? Number.NaN
    const pass = beats(final, base, record.task)
    const show = (v: number): string => (classification ? percent(v) : fmt(v))
    const best = classification ? Math.max(...scores) : Math.min(...scores)
    // The budget can stop a mini-batch run inside its first epoch: no score to show then.
    const details = [scores.length === 0 ? `${base.metric} not measured: no epoch completed` : `${base.metric} ${show(final)} at epoch ${record.epochs} (best ${show(best)})`]
    if (spread) details.push(spreadSummary(spread, record.task))
    const own = pass || !spread ? [] : collapse(spread, base, record.task)
    return {
      pass,
      expectation: `beat ${base.name} (${base.predictor}: ${base.metric} ${show(base.score)}) by a margin of ${margin} on its training data: ` +
        `${base.metric} ${classification ? '≥' : '≤'} ${show(base.target)} within ${maxEpochs} epochs`,
      details,
      record,
      outcome,
      own,
      // Accuracy is a share, drawn on its own 0–1 axis; a regression's score is a loss, in the loss curve's unit.
      curves: [{ label: 'loss', losses: record.losses }, { label: base.metric, losses: scores, ...(classification && { unit: 'share' as const }) }],
      // The target the score must reach, on the score's own axis; the run stops at the epoch it does.
      goal: { label: `${base.metric} ${classification ? '≥' : '≤'} ${show(base.target)}`, value: base.target, ...(classification && { unit: 'share' as const }) },
      ...(record.epochs > 0 && { decidedEpoch: record.epochs }),
    }
  },
})

function beats(score: number, base: Baseline, task: Task): boolean {
  return task === 'regression' ? score <= base.target && score < base.score : score >= base.target && score > base.score
}

function baselineOf(ctx: RunContext, margin: number): Baseline {
  if (ctx.task === 'regression') {
    const score = tf.tidy(() => lossOf(ctx.trainee, ctx.y, tf.broadcastTo(tf.mean(ctx.y, 0), ctx.y.shape)).dataSync()[0]!)
    if (!(score > 0)) throw rangeError('dataset.y is the same for every sample, so predicting its mean is already perfect; give targets that vary')
    const metric = ctx.trainee.lossOf ? ctx.trainee.info.lossName : 'meanSquaredError'
    return { score, target: score * (1 - margin), name: 'the mean baseline', predictor: 'predicting mean(y)', metric }
  }
  const counts = classCounts(trueClasses(ctx.y, ctx.task))
  const [label, count] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))
  const n = ctx.y.shape[0]!
  if (counts.size < 2) throw rangeError(`dataset.y holds class ${label} only; toBeatBaseline needs at least two classes`)
  const score = count / n
  return { score, target: 1 - (1 - score) * (1 - margin), name: 'the majority-class baseline', predictor: `always class ${label}`, metric: 'accuracy' }
}

/** Accuracy for classification; for regression the inference-mode loss without regularization. */
function scoreOf(ctx: RunContext): number {
  if (ctx.task !== 'regression') return accuracy(ctx.trainee, ctx.x, ctx.y, ctx.task)
  return tf.tidy(() => lossOf(ctx.trainee, ctx.y, predictInSlabs(ctx.trainee, ctx.x)).dataSync()[0]!)
}

function lossOf(trainee: Trainee, y: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  return trainee.lossOf ? trainee.lossOf(y, prediction) : tf.losses.meanSquaredError(y, tf.reshape(prediction, y.shape))
}

/** Counts per class, in order of first appearance. Disposes `classes`. */
function classCounts(classes: tf.Tensor1D): Map<number, number> {
  const values = classes.dataSync()
  classes.dispose()
  const counts = new Map<number, number>()
  for (const c of values) counts.set(c, (counts.get(c) ?? 0) + 1)
  return counts
}

/** How the trained model's `prediction` for every training input (predicted slab by slab) spreads. */
function spreadOf(ctx: RunContext, prediction: tf.Tensor): Spread {
  const samples = ctx.x.shape[0]!
  const [outputStd, targetStd] = tf.tidy(() => {
    const rows = tf.reshape(prediction, [samples, -1])
    return [tf.max(tf.sqrt(tf.moments(rows, 0).variance)).dataSync()[0]!, tf.max(tf.sqrt(tf.moments(tf.reshape(ctx.y, [samples, -1]), 0).variance)).dataSync()[0]!]
  })
  if (ctx.task === 'regression') return { samples, outputStd: outputStd!, targetStd: targetStd! }
  const task = ctx.task
  const counts = classCounts(tf.tidy(() => predictedClasses(prediction, ctx.trainee.info, task)))
  const [label, count] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))
  return { samples, outputStd: outputStd!, targetStd: targetStd!, topClass: { label, count } }
}

function spreadSummary(spread: Spread, task: Task): string {
  const outputs = `outputs vary by std ${fmt(spread.outputStd)} across inputs`
  if (task === 'regression') return `predictions: ${outputs} (targets: std ${fmt(spread.targetStd)})`
  return `predictions: class ${spread.topClass!.label} for ${spread.topClass!.count} of ${spread.samples} inputs, ${outputs}`
}

/** C8, earned when the outputs barely depend on the input: one class for every input, or a near-constant regression output. */
function collapse(spread: Spread, base: Baseline, task: Task): Finding[] {
  if (task === 'regression') {
    if (!(spread.outputStd < 0.1 * spread.targetStd)) return []
    return [cause.sameOutput(`predictions vary by std ${fmt(spread.outputStd)} while the targets vary by ${fmt(spread.targetStd)}: no better than ${base.predictor}`, { oneClass: false })]
  }
  const top = spread.topClass!
  if (top.count < spread.samples) return []
  return [cause.sameOutput(`class ${top.label} for all ${spread.samples} inputs (outputs vary by std ${fmt(spread.outputStd)})`, { oneClass: true })]
}
