import { fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import { FAR_Z } from '../stats.js'
import type { Finding } from '../types.js'
import { cause } from './catalogue.js'

/** Losses whose gradient grows with the residual: a far target pulls in proportion to how far it is. */
const SQUARED = /^(mean_?squared_?error_?|mse)$/i

/**
 * C2 on the targets: a few regression targets far from the rest (beyond FAR_Z robust standard deviations, at most one
 * sample in ten, the contamination bound C2 uses for features) under a squared error. The gradient of a squared error
 * is 2·(ŷ − y) per sample, so near the bulk's centre each target pulls in proportion to |y − median|: when the far few
 * hold more than half of Σ|y − median|, they pull harder than all the other samples together, and the fit chases
 * them. Robust losses (absolute error, Huber) cap that pull and are left alone.
 */
export function targetOutliers({ info }: RunOutcome, evidence?: Evidence): Finding[] {
  const t = evidence?.targets
  if (!t || !SQUARED.test(info.lossName)) return []
  if (!(t.z >= FAR_Z) || t.far > Math.max(0.1 * t.samples, 1) || !(t.pull > 0.5)) return []
  return [cause.targetOutliers(
    `${t.far} of ${t.samples} targets${t.column > 0 ? ` of output ${t.column}` : ''} lie up to ${fmt(t.z)} robust standard deviations from the median ` +
      `and hold ${fmt(t.pull * 100)}% of the targets' absolute deviation: under ${info.lossName} they pull on the gradient harder than all other samples together`,
  )]
}
