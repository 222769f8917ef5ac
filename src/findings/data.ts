import { fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import { FAR_Z, type DataStats } from '../stats.js'
import type { Finding } from '../types.js'
import { cause } from './catalogue.js'

/** C1: features far from unit scale, or on very different scales, as the model saw them. */
export function featureScale({ stats }: RunOutcome): Finding[] {
  if (stats.samples < 2) return []
  // A feature with outliers is C2's to report: its std measures the outliers, not the scale. A feature where half the
  // samples share one value (constant image borders, sparse counts) is near-constant, not unscaled: its std measures
  // how rare the other values are.
  // A feature is small when its values are, not when a few samples happen to agree: what a weight multiplies is the
  // value, so the small end is measured by the root mean square (std and mean together), the large end by the std.
  const spread = stats.stds
    .map((s, i) => ({ i, s, m: Math.abs(stats.means[i]!), r: Math.hypot(s, stats.means[i]!) }))
    .filter((f) => f.s > 0 && !stats.concentrated[f.i] && !hasOutliers(stats, f.i))
  if (spread.length === 0) return []
  const largest = spread.reduce((a, b) => (b.s > a.s ? b : a))
  const smallest = spread.reduce((a, b) => (b.r < a.r ? b : a))
  const offCenter = spread.reduce((a, b) => (b.m / b.s > a.m / a.s ? b : a))
  const reasons: string[] = []
  let extreme = false
  if (largest.s > 10) reasons.push(`feature ${largest.i} std ${fmt(largest.s)}`)
  if (smallest.r < 0.1) reasons.push(`feature ${smallest.i} ${smallest.m < smallest.s ? `std ${fmt(smallest.s)}` : `rms ${fmt(smallest.r)}`}`)
  if (largest.s / smallest.r > 100 && reasons.length < 2) reasons.push(`std ratio ${fmt(largest.s / smallest.r)} between features ${largest.i} and ${smallest.i}`)
  if (offCenter.m > 10 * offCenter.s && offCenter.m > 1) reasons.push(`feature ${offCenter.i} mean ${fmt(stats.means[offCenter.i]!)} is ${fmt(offCenter.m / offCenter.s)} std from 0`)
  if (largest.s > 100 || smallest.r < 0.01 || largest.s / smallest.r > 1e3 || offCenter.m > 100 * offCenter.s) extreme = true
  if (reasons.length === 0) return []
  return [cause.unscaledFeatures(reasons.join(', '), { problems: reasons.length, extreme })]
}

/**
 * Outliers are a few values far from the bulk: beyond FAR_Z robust standard deviations, and at most one sample in ten
 * (contamination models take up to 10%; or a single sample of a small set). A far tail holding more samples than that
 * is a mode of the feature, as the lit pixels of an image are, not a few bad values.
 */
export function hasOutliers(stats: DataStats, i: number): boolean {
  return stats.robustZ[i]! >= FAR_Z && stats.farShare[i]! <= Math.max(0.1, 1 / stats.samples)
}

/** C2: a few values far outside the bulk of a feature, measured robustly (median and MAD). */
export function outliers({ stats }: RunOutcome): Finding[] {
  if (stats.samples < 8) return [] // a median and MAD of a handful of points cannot tell an outlier
  const worst = stats.robustZ.reduce((a, z, i) => (hasOutliers(stats, i) && z > a.z ? { i, z } : a), { i: -1, z: 0 })
  if (worst.i < 0) return []
  return [cause.outliers(`feature ${worst.i} has a value ${fmt(worst.z)} robust standard deviations from its median`)]
}

/** C14: the fitted preprocess gives a sample different features alone than within the training batch. */
export function preprocessConsistency(_: RunOutcome, evidence?: Evidence): Finding[] {
  if (!evidence || !(evidence.preprocessDrift > 1e-4)) return []
  return [cause.preprocessInconsistent(`the fitted preprocess maps the same sample to values ${fmt(evidence.preprocessDrift)} apart alone and within the training batch`)]
}
