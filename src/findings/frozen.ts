import { count, fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import type { RunOutcome } from '../run.js'
import type { Finding, TrainingRecord } from '../types.js'
import { cause } from './catalogue.js'
import { ignoresInput } from './model.js'

/**
 * The run did not learn: its loss ended above half the chance loss (it did not even halve what a model ignoring its
 * input scores, the least a model that learned does: test/corpus/plain.ts judges "learns" by the same half), or, where
 * no chance loss is known, moved less than 5% (the plateau C6 reads as "barely moved", curve.ts). A model that learned
 * is no evidence that its frozen weights are a defect: freezing a pretrained base is how transfer learning is done.
 */
function didNotLearn(record: TrainingRecord, evidence: Evidence): string | undefined {
  const losses = record.losses
  const first = losses[0]
  const last = losses[losses.length - 1]
  if (losses.length < 2 || first === undefined || last === undefined || !Number.isFinite(first) || !Number.isFinite(last)) return undefined
  const chance = evidence.chance
  if (chance !== undefined && chance > 0) return last > chance / 2 ? `the loss ended at ${fmt(last)}, above half the chance loss ${fmt(chance)}` : undefined
  const moved = (first - last) / Math.abs(first || 1)
  return moved < 0.05 ? `the loss moved ${fmt(moved * 100)}% over ${count(record.epochs, 'epoch')}` : undefined
}

/**
 * C15 as a candidate: weights of a layers model that are not trainable (a layer declared `trainable: false`, or a custom
 * layer's `addWeight(…, trainable = false)`), in a run that did not learn. Frozen on purpose or by mistake cannot be
 * told from the config; whether they are why it did not learn is: verification re-runs it with them trainable
 * (frozen-fixes.ts), and unverified the finding is a note (candidates.ts). Batch-norm statistics, updated by
 * design, are not weights the optimizer trains (probes/weights.ts leaves them out).
 */
export function frozenWeights({ record, info }: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  if (reachedGoal || !evidence || info.kind !== 'layers') return []
  const frozen = evidence.weights.filter((w) => !w.trainable && !w.changed)
  if (frozen.length === 0 || !evidence.weights.some((w) => w.trainable)) return [] // nothing trainable at all is config.ts's C15
  // An input cut off from the output from the start is C8's finding, whose fix names frozen or zeroed layers: frozen
  // weights are then how it is cut off, not a second cause.
  if (evidence.initialOutputs !== undefined && ignoresInput(evidence.initialOutputs)) return []
  const failed = didNotLearn(record, evidence)
  if (!failed) return []
  return [cause.frozenWeights(`${frozen.map((w) => w.name).join(', ')} ${frozen.length === 1 ? 'is' : 'are'} not trainable and never changed, and ${failed}`)]
}

/** C15 as a candidate: a custom trainable's loss reads trainable variables its `variables` leave out (probes/unlisted.ts). */
export function unlistedVariables({ record }: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  const unlisted = evidence?.unlisted ?? []
  if (reachedGoal || !evidence || unlisted.length === 0) return []
  const failed = didNotLearn(record, evidence) ?? steeper(unlisted, evidence)
  if (!failed) return []
  return [cause.unlistedVariables(`the loss depends on ${unlisted.map((v) => `${v.name} (gradient norm ${fmt(v.gradient)})`).join(', ')}, not in variables, so no optimizer step updates ${unlisted.length === 1 ? 'it' : 'them'}; ${failed}`)]
}

/**
 * The loss is steeper along the unlisted variables than along every trained one together at the last step: what is
 * left of the loss lies in the direction no step takes. Read where no chance loss is known (a custom loss).
 */
function steeper(unlisted: readonly { gradient: number }[], evidence: Evidence): string | undefined {
  const trained = Math.sqrt(evidence.gradients.last.reduce((s, g) => s + g.norm * g.norm, 0))
  const left = Math.sqrt(unlisted.reduce((s, v) => s + v.gradient * v.gradient, 0))
  return left > trained ? `the loss is steeper along ${unlisted.length === 1 ? 'it' : 'them'} than along every trained variable together (gradient norm ${fmt(trained)})` : undefined
}
