import { count, fmt } from '../format.js'
import type { Evidence } from '../probes/evidence.js'
import { noiseBand } from '../probes/noise.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'
import { asNote, cause } from './catalogue.js'
import { ignoresInput, vanishingRatio } from './model.js'

/**
 * Share of the loss curve's epoch-to-epoch moves that go up by more than float jitter (0.1%) and, for a model with
 * training-only noise, by more than the noise the step followed (`band[i]` for the move into epoch i).
 */
function riseShare(losses: readonly number[], band?: readonly number[]): { rises: number; share: number } {
  const rises = losses.slice(1).filter((l, i) => l > losses[i]! + 1e-3 * Math.abs(losses[i]!) + (band?.[i + 1] ?? 0)).length
  return { rises, share: losses.length > 1 ? rises / (losses.length - 1) : 0 }
}

function lastGradient(evidence?: Evidence): number | undefined {
  const last = evidence?.gradients.last
  return last?.length ? Math.sqrt(last.reduce((s, g) => s + g.norm * g.norm, 0)) : undefined
}

/** The tail of the curve did not move at all: every loss identical, bit for bit. */
function frozenTail(losses: readonly number[]): number {
  let n = 1
  for (let i = losses.length - 2; i >= 0 && Object.is(losses[i], losses[losses.length - 1]); i--) n++
  return n
}

/** C5, C6, C7 and C12, read from the loss curve and the last gradients. */
export function curveFindings(outcome: RunOutcome, evidence: Evidence | undefined, reachedGoal: boolean): Finding[] {
  const { record, steps } = outcome
  const { learningRate: lr } = record
  // A model with dropout or noise layers is read on its inference-mode loss after each epoch: its training loss
  // jitters with every fresh mask, which is not oscillation.
  const inference = evidence?.inference
  const trainingBad = record.losses.findIndex((l) => !Number.isFinite(l))
  const losses = inference && trainingBad < 0 ? inference.losses.slice(1) : record.losses
  const band = inference && trainingBad < 0 ? noiseBand(record.losses, inference.losses).slice(1) : undefined
  const at = lr === undefined ? '' : ` at lr ${fmt(lr)}`
  const first = losses[0]
  if (first === undefined) return []
  const bad = losses.findIndex((l) => !Number.isFinite(l))
  if (bad >= 0) {
    return [cause.divergedLoss(`loss became ${losses[bad]} at epoch ${bad + 1}${at}`, { lr })]
  }
  const last = losses[losses.length - 1]!
  const { rises, share } = riseShare(losses, band)
  if (losses.length > 2 && last > first * 1.05) {
    return [cause.risingLoss(`loss rose from ${fmt(first)} to ${fmt(last)} over ${count(losses.length, 'epoch')}${at}`, { lr })]
  }
  if (losses.length > 4 && share >= 0.25) {
    return [cause.oscillatingLoss(`loss rose in ${rises} of ${losses.length - 1} epochs (oscillating)${at}`, { lr, share })]
  }
  if (reachedGoal || losses.length < 5) return []
  const gradient = lastGradient(evidence)
  const tail = frozenTail(losses)
  const moved = (first - last) / Math.abs(first || 1)
  const precision = reducedPrecision(losses, tail, moved, gradient, evidence, at)
  if (moved < 0.05 && gradient !== undefined && cannotMove(last, gradient, lr, steps)) {
    // Not the rate: no rate C6 would suggest moves this loss (see cannotMove). What holds the gradient at 0, if the
    // probes saw it, is reported by its own rule (dead or saturated units, an input cut off, variables that cannot learn).
    if (precision.length || explainedElsewhere(evidence)) return precision
    const layered = outcome.info.kind === 'layers' && (evidence?.gradients.last.filter((g) => g.connected).length ?? 0) > 1
    const seen = `loss moved ${fmt(moved * 100)}% over ${count(losses.length, 'epoch')} while the gradient norm is ${fmt(gradient)}: ` +
      `${steps} steps at 1000× lr ${fmt(lr!)} would move a loss of ${fmt(last)} by ${fmt(steps * 1000 * lr! * gradient * gradient)}, less than its float32 spacing ${fmt(spacing(last))}`
    return [layered ? cause.noGradientThroughDepth(seen) : cause.noGradient(seen)]
  }
  if (moved < 0.05) {
    return [...precision, cause.rateTooLow(`loss moved ${fmt(moved * 100)}% over ${count(losses.length, 'epoch')}${at}`, { lr, moved })]
  }
  const initialGradient = evidence?.gradients.first.length ? Math.sqrt(evidence.gradients.first.reduce((s, g) => s + g.norm * g.norm, 0)) : undefined
  const recent = losses.slice(-Math.max(5, Math.floor(losses.length / 5)))
  const stalled = (recent[0]! - last) / Math.abs(recent[0]! || 1) < 0.01
  if (!stalled) {
    // Still falling when the budget ran out: more epochs or a larger step would have got further.
    const tail = (recent[0]! - last) / Math.abs(recent[0]! || 1)
    return [...precision, cause.stillFalling(`loss still falling when training stopped: −${fmt(tail * 100)}% over the last ${count(recent.length, 'epoch')}, ${fmt(last)} at epoch ${losses.length}${at}`, { lr })]
  }
  const settled = gradient !== undefined && initialGradient !== undefined && gradient < initialGradient * 0.05
  if (record.accuracy === 1 && settled) {
    // Every sample right, the gradient gone, the loss well above 0: a cross-entropy only floors above 0 when its
    // probabilities cannot reach 1, as when a softmax is applied before a loss that applies its own.
    return [...precision, cause.lossFloor(`every sample is classified right, yet the loss settled at ${fmt(last)} while the gradient fell to ${fmt(gradient!)} (from ${fmt(initialGradient!)})`)]
  }
  if (record.accuracy !== undefined && record.accuracy < 1 && settled) {
    return [...precision, cause.cannotOverfit(`loss settled at ${fmt(last)} with accuracy ${fmt(record.accuracy * 100)}% while the gradient fell to ${fmt(gradient!)} (from ${fmt(initialGradient!)}): a minimum that does not fit the data`)]
  }
  const chance = evidence?.chance
  if (!settled && gradient !== undefined && initialGradient !== undefined && chance !== undefined && chance > 0 && last > HALF * chance) {
    // Stalled far from fitted while the gradient is as large as ever (not settled): no minimum holds the loss there, the
    // steps are too short to move it, as an Adagrad whose rate decays or a rate far below the curvature's scale make them.
    const drop = (recent[0]! - last) / Math.abs(recent[0]! || 1)
    return [...precision, cause.crawlingLoss(
      `loss crawls: −${fmt(drop * 100)}% over the last ${count(recent.length, 'epoch')}, still ${fmt((last / chance) * 100)}% of the chance loss ${fmt(chance)} at epoch ${losses.length}, ` +
        `while the gradient norm is ${fmt(gradient)} (${fmt((gradient / initialGradient) * 100)}% of its initial ${fmt(initialGradient)})${at}`,
      { lr, moved },
    )]
  }
  return precision
}

/**
 * The share of its chance loss a run must get below to have learned: a fix "helped" when it halves the remaining loss
 * (verify.ts), and the corpus calls a model trained when it removes half of the input-independent predictor's error.
 */
const HALF = 0.5

/** The float32 spacing at `value`: the least change of a loss of this size that float32 can show. */
function spacing(value: number): number {
  return Math.abs(value) > 0 ? 2 ** (Math.floor(Math.log2(Math.abs(value))) - 23) : 2 ** -149
}

/**
 * The gradient is ~0 for this loss: first order, a gradient step at rate η lowers the loss by η·|g|², so the `steps`
 * the run took, each at 1000× the rate (the most C6 ever suggests, see `raise`), with the last gradient measured, would
 * lower it by less than one float32 spacing of it. No rate C6 could suggest moves the loss within the same budget.
 * Adaptive optimizers (Adam, RMSprop) rescale the step per entry; the criterion reads the rate as the step a unit
 * gradient gets, which is what it is for them once the gradient has stopped changing.
 */
function cannotMove(loss: number, gradient: number, lr: number | undefined, steps: number): boolean {
  if (lr === undefined || !(steps > 0) || !Number.isFinite(loss)) return false
  return steps * 1000 * lr * gradient * gradient < spacing(loss)
}

/** Dead or saturated units, an input cut off from the output, listed variables that cannot learn: reported by their own rules. */
function explainedElsewhere(evidence: Evidence | undefined): boolean {
  if (!evidence) return false
  const units = evidence.activations.final.some((l) => l.dead > 0.5 || l.saturated > 0.5)
  const cutOff = evidence.initialOutputs !== undefined && ignoresInput(evidence.initialOutputs)
  return units || cutOff || evidence.untrainable.length > 0 || vanishingRatio(evidence.gradients.first)
}

/**
 * C12 as a candidate: a trainable that rewrites its weights after every step (afterStep, where weights are stored at
 * reduced precision) and whose loss stopped moving. Reduced precision is a cause only when float32 under the same seed
 * succeeds, which verification tests by dropping the afterStep (fixes.ts); unverified, diagnose() keeps it as a note
 * (`unverifiedPrecision`). A layers model trains in float32, and a trainable without afterStep has nothing that
 * rounds its weights: a loss that stops at a non-zero value there is not precision.
 */
function reducedPrecision(losses: readonly number[], tail: number, moved: number, gradient: number | undefined, evidence: Evidence | undefined, at: string): Finding[] {
  if (!evidence?.afterStep || gradient === undefined || !(gradient > 0)) return []
  const frozen = tail >= Math.max(5, losses.length / 5)
  const recent = losses.slice(-Math.max(5, Math.floor(losses.length / 5)))
  const stalled = moved < 0.05 || (recent[0]! - recent[recent.length - 1]!) / Math.abs(recent[0]! || 1) < 0.01
  if (!frozen && !stalled) return []
  const last = losses[losses.length - 1]!
  // An error while a candidate, so it is verified before the rate: raising the rate also gets steps past the rounding.
  return [cause.precisionStall((frozen
      ? `loss stuck at exactly ${fmt(last)} for the last ${tail} epochs while the gradient norm is ${fmt(gradient)}${at}`
      : `loss moved ${fmt(moved * 100)}% over ${count(losses.length, 'epoch')} to ${fmt(last)} while the gradient norm is ${fmt(gradient)}${at}`) +
      ', and afterStep rewrites the weights after every step: updates smaller than their rounding step are lost')]
}

/**
 * diagnose()'s C12 is a candidate until float32 under the same seed succeeds: unverified (verification off, out of
 * budget, or inconclusive) it is at most a note, after the causes that stand.
 */
export function unverifiedPrecision(findings: Finding[]): Finding[] {
  const note = (f: Finding): boolean => f.id === 'C12' && f.severity !== 'info' && f.verification?.helped !== true
  return [...findings.filter((f) => !note(f)), ...findings.filter(note).map(asNote)]
}
