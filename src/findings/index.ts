import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'
import { rank } from './rank.js'
import { rootCausesFirst } from './order.js'
import { fmt } from '../format.js'
import { curveFindings } from './curve.js'
import { overfitting } from './generalization.js'
import { featureScale, outliers, preprocessConsistency } from './data.js'
import { frozenWeights, unlistedVariables } from './frozen.js'
import { capacity } from './capacity.js'
import { sameInput } from './identical.js'
import { learnedDespiteData } from './learned.js'
import { inputCurvature } from './curvature.js'
import { targetOutliers } from './targets.js'
import { batchMixing, collapse, deadUnits, gradientFlow, initialLoss, probabilitiesScoredAsLogits, staleWeights, symmetry } from './model.js'

export { rank }

/** Every rule, in no particular order: each returns the findings its evidence supports. */
type Rule = (outcome: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean) => Finding[]
const RULES: Rule[] = [configWithStart, curveFindings, featureScale, outliers, preprocessConsistency, initialLoss, collapse, deadUnits, gradientFlow, symmetry, staleWeights, batchMixing, overfitting, probabilitiesScoredAsLogits, frozenWeights, unlistedVariables, sameInput, capacity, inputCurvature, targetOutliers]

/** The config's findings (read before training), with what the untrained model scored against chance for C3. */
function configWithStart({ config, record }: RunOutcome, evidence: Evidence | undefined): Finding[] {
  const initial = record.losses[0]
  const chance = evidence?.chance
  if (initial === undefined || chance === undefined) return config
  return config.map((f) => (f.id === 'C3' ? { ...f, evidence: `${f.evidence}; initial loss ${fmt(initial)} vs chance ${fmt(chance)}` } : f))
}

/**
 * Likely causes a run shows evidence for, most likely first. Without probe evidence only the loss curve,
 * the data and the model config are read. `diagnosing`: diagnose()'s question, why the loss did not fall (learned.ts).
 */
export function findingsOf(outcome: RunOutcome, reachedGoal: boolean, evidence?: Evidence, diagnosing = false): Finding[] {
  const found = RULES.flatMap((rule) => rule(outcome, evidence, reachedGoal))
  return rootCausesFirst(rank(diagnosing ? learnedDespiteData(found, outcome.record, evidence) : found))
}
