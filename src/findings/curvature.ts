import { fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'
import { cause } from './catalogue.js'
import { curveFindings } from './curve.js'
import { featureScale, hasOutliers } from './data.js'

/** Optimizers that divide each step by a running gradient scale: a weight moves about lr per step whatever its gradient. */
const ADAPTIVE = /adam|rmsprop|adagrad|adadelta/i

/**
 * How much shorter C5's own fix makes the step of a diverging run (÷10, curve.ts `divergedFix`). Standardizing the
 * input shortens the step along the first layer's weights by the input's scale factor below; when that factor is at
 * least this one, unscaled inputs account for the overshoot as fully as the rate does, and are its root.
 */
const STEP_FACTOR = 10

/**
 * C1 behind a C5: inputs far enough off unit scale that they alone put the step past stability. Gradient descent on a
 * loss of curvature λ is stable for lr < 2/λ; along the first layer's weights the curvature is the input's second
 * moment E[x²] times what the layers above pass back (the Gauss–Newton term J'HJ, J ∝ x), so a feature with
 * E[x²] = mean² + std² multiplies it by that much over the standardized feature (E[x²] = 1). An adaptive optimizer
 * moves each weight about lr per step, so the first layer's output moves by lr·|x|: the factor is √E[x²]. A diverging
 * or rising loss with a factor ≥ STEP_FACTOR names C1 as the cause, which verification tests by standardizing (fixes.ts)
 * and order.ts puts before its C5. Features with outliers are C2's; features featureScale already calls unscaled are its.
 */
export function inputCurvature(outcome: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  const { stats, info, record } = outcome
  if (info.integerInput || stats.samples < 2 || stats.means.length === 0) return []
  if (!curveFindings(outcome, evidence, reachedGoal).some((f) => f.id === 'C5' && f.severity === 'error')) return []
  if (featureScale(outcome).length > 0) return []
  const adaptive = ADAPTIVE.test(record.optimizer)
  let worst = { i: -1, moment: 0 }
  stats.means.forEach((m, i) => {
    const moment = m * m + stats.stds[i]! ** 2
    if (stats.stds[i]! > 0 && !hasOutliers(stats, i) && moment > worst.moment) worst = { i, moment }
  })
  const factor = adaptive ? Math.sqrt(worst.moment) : worst.moment
  if (worst.i < 0 || !(factor >= STEP_FACTOR)) return []
  const { i } = worst
  return [cause.inputsOffUnitScale(
    `feature ${i} has mean ${fmt(stats.means[i]!)} and std ${fmt(stats.stds[i]!)}: E[x²] = ${fmt(worst.moment)} ` +
      (adaptive
        ? `makes each ${record.optimizer} step move the first layer's output ${fmt(factor)}× as far as on standardized input`
        : `multiplies the curvature along the first layer's weights ${fmt(factor)}× over standardized input`) +
      `, more than the ÷${STEP_FACTOR} on the rate that stops a diverging loss`,
  )]
}
