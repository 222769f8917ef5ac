import { fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'
import type { OwnStandardized } from '../probes/own-scaled.js'
import { cause } from './catalogue.js'

/**
 * C13 or C14 in diagnose(): a trained gap worth explaining, explained by the same two-sample tests toGeneralize reads
 * (`gapFindings`). The gap worth explaining is diagnose's C13 rule: validation loss at least twice the training loss
 * (gap > train) and more than 0.25 above it, so `maxGap` = max(0.25, train). A gap within it has nothing to explain,
 * so a chance shift of a healthy split (about 0.3% of splits for two 3-standard-error tests) raises nothing.
 */
export function overfitting(_: RunOutcome, evidence?: Evidence): Finding[] {
  const measured = evidence?.generalization
  if (!measured) return []
  const { curves, untrained } = measured
  const last = curves.train.length - 1
  const train = curves.train[last]
  const validation = curves.validation[last]
  if (last < 1 || train === undefined || validation === undefined || !Number.isFinite(train)) return []
  const maxGap = Math.max(DIAGNOSE_GAP, train)
  if (Number.isFinite(validation) && !(validation - train > maxGap)) return []
  return gapFindings(curves, untrained, maxGap)
}

/** The least validation − training loss diagnose() calls a gap, in loss units (see `overfitting`). */
const DIAGNOSE_GAP = 0.25

/** Mean, sample variance and count of one per-sample quantity on one set. */
export interface SampleStats {
  mean: number
  variance: number
  n: number
}

/** Validation − training mean of a per-sample quantity, in standard errors of that difference (Welch). */
export interface TwoSample {
  train: SampleStats
  validation: SampleStats
  difference: number
  standardError: number
  /** difference / standardError; ±Infinity when the quantity is constant within each set but differs between them. */
  z: number
}

/**
 * How many standard errors apart the two sets may score before they are said to differ (C14). Derivation: let qᵢ be a
 * per-sample quantity computed by a fixed function, here the untrained model's loss ℓ(f₀(xᵢ), yᵢ) (f₀ comes from the
 * seed, before it sees either set) or a sample's distance from the training mean. If train and validation are samples
 * of one distribution, the q of both sets are independent draws of one variable with mean μ and variance σ², so the
 * difference of the set means m_v − m_t has mean 0 and variance σ²/n_v + σ²/n_t, estimated (Welch) by
 * s_v²/n_v + s_t²/n_t with the sample variances s². By the central limit theorem z = (m_v − m_t) / √(s_v²/n_v + s_t²/n_t)
 * is close to N(0, 1): P(z > 3) ≈ 0.13%, so a random split of one dataset is blamed on its data about once in 740
 * splits, while a shift of the features or the labels larger than sampling noise explains is caught. (Fitting the
 * preprocess and the training mean on train makes train slightly more typical than validation: a bias of order 1/n_t
 * per feature, well inside 3 standard errors at the sizes we train on.)
 */
export const SHIFT_Z = 3

function stats(values: ArrayLike<number>): SampleStats | undefined {
  const n = values.length
  if (n < 2) return undefined
  let sum = 0
  for (let i = 0; i < n; i++) sum += values[i]!
  const mean = sum / n
  let squares = 0
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2
  const variance = squares / (n - 1)
  return Number.isFinite(mean) && Number.isFinite(variance) ? { mean, variance, n } : undefined
}

/**
 * The two-sample z of a per-sample quantity; undefined when a set has fewer than 2 samples or a non-finite value.
 *
 * @example
 * twoSample([1, 2, 3], [2, 3, 4]).z // (3 − 2) / √(1/3 + 1/3) ≈ 1.22
 */
export function twoSample(train: ArrayLike<number>, validation: ArrayLike<number>): TwoSample | undefined {
  const t = stats(train)
  const v = stats(validation)
  if (!t || !v) return undefined
  const difference = v.mean - t.mean
  const standardError = Math.sqrt(t.variance / t.n + v.variance / v.n)
  const z = standardError > 0 ? difference / standardError : difference === 0 ? 0 : difference * Number.POSITIVE_INFINITY
  return { train: t, validation: v, difference, standardError, z }
}

/** What the untrained model and the features show before training, each as a two-sample test of validation vs train. */
export interface UntrainedComparison {
  /** Per-sample losses of the untrained model. */
  loss?: TwoSample
  /** Per-sample distance from the training mean, in training standard deviations (root mean square over features). */
  features?: TwoSample
  /** The validation set as the model sees it is standardized on its own statistics (probes/own-scaled.ts). */
  ownStandardized?: OwnStandardized
}

/** Both losses before training (index 0) and after every epoch, measured alike: inference mode, no regularization. */
export interface GapCurves {
  train: number[]
  validation: number[]
}

/** Why exact standardization of the validation set says it was scaled with its own statistics (see own-scaled.ts). */
function ownScaledText(own: OwnStandardized): string {
  return `the validation set, as the model sees it, has mean 0 and std 1 in all ${own.features} varying features to float32 rounding ` +
    `(|mean| ≤ ${fmt(own.mean)}, |std − 1| ≤ ${fmt(own.std)}), where ${own.samples} samples scaled with the training statistics would be off by about ` +
    `1/√${own.samples} = ${fmt(1 / Math.sqrt(own.samples))}: it was standardized with its own statistics`
}

/** Index 0 is the untrained model. */
export function atEpoch(index: number): string {
  return index === 0 ? 'before training' : `after epoch ${index}`
}

function argMin(values: number[]): number {
  return values.reduce((best, v, i) => (v < values[best]! ? i : best), 0)
}

/**
 * Why a trained model's validation loss exceeds its training loss by more than `maxGap`. C14 when the sets differ
 * beyond sampling noise (`SHIFT_Z` standard errors) before training: the untrained model scores validation worse, or
 * validation samples lie farther from (or nearer to) the training mean than training samples do; or validation is
 * standardized on its own statistics (own-scaled.ts). C13 when training opened the gap (beyond a shift, by more than
 * `maxGap`). C14 too when only validation goes non-finite.
 */
export function gapFindings(curves: GapCurves, untrained: UntrainedComparison, maxGap: number): Finding[] {
  const out: Finding[] = []
  const gaps = curves.validation.map((v, i) => v - curves.train[i]!)
  const last = gaps.length - 1
  const first = gaps[0]!
  const final = gaps[last]!
  const { loss, features, ownStandardized: own } = untrained
  // One-sided for the loss: only a validation set the untrained model finds harder explains a positive gap. Two-sided
  // for the features: validation squeezed toward the mean is as much another distribution as validation spread out.
  const lossShifted = loss !== undefined && loss.z > SHIFT_Z
  const featuresShifted = features !== undefined && Math.abs(features.z) > SHIFT_Z
  const shifted = lossShifted || featuresShifted || own !== undefined
  if (shifted) {
    const sem = (t: TwoSample): string => `${fmt(t.z)} standard errors of ${fmt(t.standardError)}`
    const evidence = [
      ...(lossShifted ? [`the untrained model already scores validation ${fmt(loss.validation.mean)} vs training ${fmt(loss.train.mean)} per sample (gap ${fmt(loss.difference)}: ${sem(loss)})`] : []),
      ...(featuresShifted
        ? [`validation samples lie ${fmt(features.validation.mean)} training standard deviations from the training mean vs ${fmt(features.train.mean)} for training samples (${sem(features)})`]
        : []),
    ]
    if (lossShifted || featuresShifted) evidence.push(`two samples of the same data stay within ${SHIFT_Z}`)
    if (own) evidence.push(ownScaledText(own))
    out.push(cause.validationShifted(evidence.join('; ')))
  }
  // Without a shift, whatever gap the trained model keeps is training's doing; with one, only what training added to it.
  if (final > maxGap && (!shifted || final - first > maxGap)) {
    const best = argMin(curves.validation)
    const alike = shifted || loss === undefined ? undefined : `both sets scored alike (${fmt(loss.z)} standard errors apart)`
    const trained = `${atEpoch(last)} while training loss fell to ${fmt(curves.train[last]!)}`
    // With the sets shown to differ, the gap training opened is what a model fitted on one distribution scores on
    // another: overfitting is not separable from the shift, so it ranks after C14, as its likely consequence.
    out.push(cause.overfitting((final > first
        ? `the gap grew from ${fmt(first)} before training${alike ? `, when ${alike},` : ''} to ${fmt(final)} ${trained}`
        : `the gap is ${fmt(final)} ${trained}, ${fmt(first)} before training${alike ? ` when ${alike}` : ''}`) +
        `; validation was lowest (${fmt(curves.validation[best]!)}) ${atEpoch(best)}` +
        (shifted ? '; likely a consequence of the data difference (C14)' : ''),
      { shifted, stopAt: best > 0 && best < last ? best : undefined },
    ))
  }
  // A training loss that diverges is the run's C5 (with a learning rate to try); a validation loss alone is the data.
  const bad = gaps.findIndex((g, i) => !Number.isFinite(g) && Number.isFinite(curves.train[i]!))
  if (bad >= 0) {
    out.push(cause.validationOutOfRange(`validation loss ${curves.validation[bad]} ${atEpoch(bad)} while training loss is ${fmt(curves.train[bad]!)}`))
  }
  return out
}
