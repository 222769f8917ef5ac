import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding, Severity } from '../types.js'
import { curveFindings } from './curve.js'
import { overfitting } from './generalization.js'
import { featureScale, labelFormat, outliers, preprocessConsistency } from './data.js'
import { batchMixing, collapse, deadUnits, gradientFlow, lossActivation, staleWeights, symmetry } from './model.js'

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

export function rank(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.score - a.score)
}

/** Every rule, in no particular order: each returns the findings its evidence supports. */
type Rule = (outcome: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean) => Finding[]
const RULES: Rule[] = [curveFindings, featureScale, outliers, labelFormat, preprocessConsistency, lossActivation, collapse, deadUnits, gradientFlow, symmetry, staleWeights, batchMixing, overfitting]

/**
 * Likely causes a run shows evidence for, most likely first. Without probe evidence only the loss curve,
 * the data and the model config are read.
 */
export function findingsOf(outcome: RunOutcome, reachedGoal: boolean, evidence?: Evidence): Finding[] {
  return rank(RULES.flatMap((rule) => rule(outcome, evidence, reachedGoal)))
}
