import * as tf from '@tensorflow/tfjs'
import { chanceLoss } from '../chance.js'
import { describe, rangeError, typeError } from '../errors.js'
import { fmt } from '../format.js'
import { checkResult } from '../message.js'
import { openSession, type RunContext } from '../run.js'
import type { CheckResult, Dataset, Finding, RunOptions, Subject } from '../types.js'
import { causes } from './probed.js'

export interface GeneralizeOptions extends RunOptions {
  /** Largest validation − training loss allowed at any epoch, in the model's loss units. Replaces `maxRelativeGap`. */
  maxGap?: number
  /**
   * Largest validation − training loss allowed at any epoch, as a share of the chance loss on the training labels
   * (ln 2, ln C, var(y); the untrained model's training loss for other losses). Default 0.1.
   */
  maxRelativeGap?: number
}

/**
 * The default gap, in units of the chance loss (the loss of a model that ignores its input). toBeatBaseline asks a
 * trained model to remove at least 10% of that loss (training loss ≤ 0.9·chance); allowing validation to give back at
 * most the same 10% means a model that passes both is no worse than chance on data it has not seen. A share of chance
 * reads alike across tasks: 0.069 on a balanced binary problem (ln 2), 0.11 on iris (ln 3), about 8 on Boston housing,
 * whose prices in $1000s have var(y) ≈ 84 and a mean squared error near 22 when trained.
 */
const DEFAULT_RELATIVE_GAP = 0.1

/** The two datasets `toGeneralize` compares. */
export interface TrainValidation {
  train: Dataset
  validation: Dataset
}

/** Both losses before training (index 0) and after every epoch, measured alike: inference mode, no regularization. */
interface Curves {
  train: number[]
  validation: number[]
}

/**
 * C13: trained on `train`, the model does about as well on `validation`: after every epoch the validation loss exceeds
 * the training loss by at most `maxRelativeGap` (0.1) of the chance loss, or by `maxGap` in loss units when given. Both are measured the same way (inference mode, without regularization, so
 * dropout does not inflate the training loss), before training too: a gap the untrained model already shows points at
 * the data (C14) rather than at overfitting (C13). The message draws both learning curves.
 *
 * @example
 * await expect(buildModel).toGeneralize({ train, validation }, { maxGap: 0.05, maxEpochs: 200 })
 */
export async function generalization(subject: Subject, data: TrainValidation, options: GeneralizeOptions = {}): Promise<CheckResult> {
  const { train, validation } = checkData(data)
  if (options.maxGap !== undefined && options.maxRelativeGap !== undefined) {
    throw rangeError('options.maxGap (loss units) and options.maxRelativeGap (share of the chance loss) both given; pass one of them')
  }
  for (const key of ['maxGap', 'maxRelativeGap'] as const) {
    const value = options[key]
    if (value !== undefined && (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))) {
      throw rangeError(`options.${key} must be a finite number ≥ 0, received ${String(value)}; pass e.g. 0.1`)
    }
  }
  const relative = options.maxGap === undefined ? options.maxRelativeGap ?? DEFAULT_RELATIVE_GAP : undefined
  let chance: number | undefined
  const maxEpochs = options.maxEpochs ?? 100
  const session = await openSession(subject, options)
  const curves: Curves = { train: [], validation: [] }
  let held: ReturnType<RunContext['prepare']> | undefined
  const measure = (ctx: RunContext): void => {
    curves.train.push(evaluate(ctx, ctx.x, ctx.y))
    curves.validation.push(evaluate(ctx, held!.x, held!.y))
  }
  let outcome
  try {
    outcome = await session.run({
      dataset: train,
      maxEpochs,
      timeoutMs: options.timeoutMs ?? 20_000,
      before(ctx) {
        held = ctx.prepare(validation, 'validation')
        chance = chanceLoss(ctx.trainee.info, ctx.y)
        measure(ctx)
      },
      afterEpoch(_epoch, ctx) {
        measure(ctx)
      },
      after(ctx) {
        measure(ctx) // an epoch that ends non-finite stops the run without calling afterEpoch
        held?.dispose()
        held = undefined
      },
    })
  } finally {
    held?.dispose() // training threw before `after`
  }
  if (curves.train.length > outcome.record.epochs + 1) {
    curves.train.pop()
    curves.validation.pop()
  }
  // Relative: the chance loss on the training labels, else the untrained model's training loss, which starts near it.
  const reference = chance ?? curves.train[0]
  const maxGap = relative === undefined ? options.maxGap! : relative * (reference ?? Number.NaN)
  const limitText = relative === undefined
    ? `${maxGap}`
    : `${fmt(maxGap)} (${fmt(relative * 100)}% of the ${chance === undefined ? 'untrained training loss' : 'chance loss'} ${fmt(reference ?? Number.NaN)})`
  const gaps = curves.validation.map((v, i) => v - curves.train[i]!)
  // The rule reads the trained epochs; the untrained point (index 0) only tells a data difference from overfitting.
  // Overfitting needs fitting. In units of chance, the rule counts from the first epoch whose training loss is below
  // chance: before that the model predicts little more than an offset, and on targets far from 0 (prices in $1000s)
  // a mean that differs by 1 between the two sets already moves the untrained gap by 2·22.5 — noise, not overfitting.
  // A model that never gets below chance is judged on every epoch, as in loss units.
  const learned = relative === undefined || reference === undefined ? -1 : curves.train.findIndex((t, i) => i > 0 && t < reference)
  const from = learned > 0 ? learned : 1
  const widest = gaps.reduce((w, g, i) => (i >= from && Number.isFinite(g) && !(g <= gaps[w]!) ? i : w), from)
  const pass = gaps.length > from && gaps.slice(from).every((g) => g <= maxGap)
  const last = gaps.length - 1
  const details = [
    ...(from > 1 ? [`gap counted from ${at(from)}, the first with a training loss below chance (${fmt(curves.train[from]!)})`] : []),
    `${at(last)}: validation ${fmt(curves.validation[last]!)}, training ${fmt(curves.train[last]!)} (gap ${fmt(gaps[last]!)})`,
    `widest gap ${fmt(gaps[widest]!)} ${at(widest)} (${fmt(gaps[0]!)} before training); validation lowest ${fmt(Math.min(...curves.validation))} ${at(argMin(curves.validation))}`,
  ]
  const diverged = gaps.findIndex((g) => !Number.isFinite(g))
  if (diverged >= 0) details.push(`not finite ${at(diverged)}: validation ${curves.validation[diverged]}, training ${curves.train[diverged]}`)
  return checkResult({
    pass,
    expectation: `generalize: validation loss at most ${limitText} above training loss at every epoch of ${maxEpochs}`,
    details,
    record: outcome.record,
    findings: pass ? [] : causes(outcome, gapFindings(curves, gaps, widest, maxGap)),
    curves: [{ label: 'training', losses: curves.train }, { label: 'validation', losses: curves.validation }],
  })
}

function checkData(data: unknown): TrainValidation {
  const d = data as Partial<TrainValidation> | null
  if (typeof d !== 'object' || d === null || typeof d.train !== 'object' || typeof d.validation !== 'object') {
    throw typeError(`toGeneralize needs { train, validation }, two datasets { x, y }; received ${describe(data)}`)
  }
  return d as TrainValidation
}

/** The mean loss without regularization in inference mode; a custom trainable's own loss. */
function evaluate(ctx: RunContext, x: tf.Tensor, y: tf.Tensor): number {
  const { trainee } = ctx
  return tf.tidy(() => (trainee.lossOf ? trainee.lossOf(y, trainee.predict(x)) : trainee.loss(x, y)).dataSync()[0]!)
}

/** Index 0 is the untrained model. */
function at(index: number): string {
  return index === 0 ? 'before training' : `after epoch ${index}`
}

function argMin(values: number[]): number {
  return values.reduce((best, v, i) => (v < values[best]! ? i : best), 0)
}

/** C14 when the untrained model already shows most of the gap or only validation goes non-finite; C13 when training opens the gap. */
function gapFindings(curves: Curves, gaps: number[], widest: number, maxGap: number): Finding[] {
  const out: Finding[] = []
  const first = gaps[0]!
  const top = gaps[widest]!
  const shifted = top > maxGap && first > maxGap && first >= top / 2
  if (shifted) {
    out.push({
      id: 'C14', title: 'validation data differs from training data', severity: 'error', score: 4,
      evidence: `the untrained model already scores validation ${fmt(curves.validation[0]!)} vs training ${fmt(curves.train[0]!)} (gap ${fmt(first)})`,
      fix: 'split train and validation from the same data, and preprocess both alike: { model, preprocess } fits the scaler on train only',
    })
  }
  if (top > maxGap && top - first > (shifted ? maxGap : 0)) {
    const best = argMin(curves.validation)
    out.push({
      id: 'C13', title: 'overfitting: train/validation gap', severity: 'error', score: 5,
      evidence: `the gap grew from ${fmt(first)} before training to ${fmt(top)} ${at(widest)} while training loss fell to ${fmt(curves.train[widest]!)}; ` +
        `validation was lowest (${fmt(curves.validation[best]!)}) ${at(best)}`,
      fix: 'add regularization (dropout, an L2 kernelRegularizer), use more data or a smaller model' +
        (best > 0 && best < curves.validation.length - 1 ? `, or stop near epoch ${best}` : ''),
    })
  }
  // A training loss that diverges is the run's C5 (with a learning rate to try); a validation loss alone is the data.
  const bad = gaps.findIndex((g, i) => !Number.isFinite(g) && Number.isFinite(curves.train[i]!))
  if (bad >= 0) {
    out.push({
      id: 'C14', title: 'validation data outside the training range', severity: 'error', score: 6,
      evidence: `validation loss ${curves.validation[bad]} ${at(bad)} while training loss is ${fmt(curves.train[bad]!)}`,
      fix: 'check the validation data for values far outside the training range, and preprocess it like the training data',
    })
  }
  return out
}
