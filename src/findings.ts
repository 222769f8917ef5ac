import type { RunOutcome } from './run.js'
import { outputsLogits } from './task.js'
import type { Finding, Severity } from './types.js'
import { fmt } from './format.js'

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

/** Likely causes a single run shows evidence for, most likely first. */
export function findingsOf(outcome: RunOutcome, reachedGoal: boolean): Finding[] {
  const found = [
    ...learningRate(outcome, reachedGoal),
    ...featureScale(outcome),
    ...lossActivation(outcome),
  ]
  return rank(found)
}

export function rank(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.score - a.score)
}

/** C5 and C6, read from the loss curve. */
function learningRate({ record }: RunOutcome, reachedGoal: boolean): Finding[] {
  const { losses, learningRate: lr } = record
  const at = lr === undefined ? '' : ` at lr ${fmt(lr)}`
  const first = losses[0]
  if (first === undefined) return []
  const bad = losses.findIndex((l) => !Number.isFinite(l))
  if (bad >= 0) {
    return [{
      id: 'C5', title: 'learning rate too high', severity: 'error', score: 3,
      evidence: `loss became ${losses[bad]} at epoch ${bad + 1}${at}`,
      fix: lr === undefined ? 'lower the learning rate' : `try lr ${fmt(lr / 10)}`,
    }]
  }
  const last = losses[losses.length - 1]!
  const rises = losses.slice(1).filter((l, i) => l > losses[i]!).length
  const riseShare = losses.length > 1 ? rises / (losses.length - 1) : 0
  const lower = lr === undefined ? 'lower the learning rate' : `try lr ${fmt(lr / 100)} to ${fmt(lr / 10)}`
  if (losses.length > 2 && last > first * 1.05) {
    return [{
      id: 'C5', title: 'learning rate too high', severity: 'error', score: 2,
      evidence: `loss rose from ${fmt(first)} to ${fmt(last)} over ${losses.length} epochs${at}`, fix: lower,
    }]
  }
  if (losses.length > 4 && riseShare >= 0.25) {
    return [{
      id: 'C5', title: 'learning rate too high', severity: 'error', score: 1 + riseShare,
      evidence: `loss rose in ${rises} of ${losses.length - 1} epochs (oscillating)${at}`, fix: lower,
    }]
  }
  if (reachedGoal || losses.length < 5) return []
  const moved = (first - last) / Math.abs(first || 1)
  if (moved < 0.05) {
    return [{
      id: 'C6', title: 'learning rate too low', severity: 'error', score: 1 - moved,
      evidence: `loss moved ${fmt(moved * 100)}% over ${losses.length} epochs${at}`,
      fix: lr === undefined ? 'raise the learning rate or train longer' : `${raise(lr)}, or train longer`,
    }]
  }
  return []
}

function raise(lr: number): string {
  const lo = Math.min(lr * 100, 1)
  const hi = Math.min(lr * 1000, 1)
  return lo === hi ? `try lr ${fmt(lo)}` : `try lr ${fmt(lo)} to ${fmt(hi)}`
}

/** C1: features far from unit scale, or on very different scales. */
function featureScale({ stats }: RunOutcome): Finding[] {
  if (stats.samples < 2) return []
  const spread = stats.stds.map((s, i) => ({ i, s, m: Math.abs(stats.means[i]!) })).filter((f) => f.s > 0)
  if (spread.length === 0) return []
  const largest = spread.reduce((a, b) => (b.s > a.s ? b : a))
  const smallest = spread.reduce((a, b) => (b.s < a.s ? b : a))
  const offCenter = spread.reduce((a, b) => (b.m / b.s > a.m / a.s ? b : a))
  const reasons: string[] = []
  if (largest.s > 10) reasons.push(`feature ${largest.i} std ${fmt(largest.s)}`)
  if (smallest.s < 0.1) reasons.push(`feature ${smallest.i} std ${fmt(smallest.s)}`)
  if (largest.s / smallest.s > 100 && reasons.length < 2) reasons.push(`std ratio ${fmt(largest.s / smallest.s)} between features ${largest.i} and ${smallest.i}`)
  if (offCenter.m > 10 * offCenter.s && offCenter.m > 1) reasons.push(`feature ${offCenter.i} mean ${fmt(stats.means[offCenter.i]!)} is ${fmt(offCenter.m / offCenter.s)} std from 0`)
  if (reasons.length === 0) return []
  return [{
    id: 'C1', title: 'unscaled features', severity: 'warning', score: reasons.length,
    evidence: reasons.join(', '),
    fix: 'standardize the features: { model, preprocess: scalers.standard() }',
  }]
}

/** C3 and C4: the loss does not fit the output activation or the labels. */
function lossActivation({ info, record, stats }: RunOutcome): Finding[] {
  const loss = info.lossName
  const act = info.outputActivation
  const out: Finding[] = []
  const classification = record.task !== 'regression'
  if (/mean(Squared|Absolute)|^mse$|^mae$/i.test(loss) && classification) {
    out.push({
      id: 'C3', title: 'loss does not match the task', severity: 'warning', score: 1,
      evidence: `${loss} on ${record.task} labels ${fmt(stats.labelMin)}..${fmt(stats.labelMax)}`,
      fix: record.task === 'binary'
        ? "use loss 'binaryCrossentropy' with a sigmoid output"
        : "use loss 'categoricalCrossentropy' with a softmax output",
    })
  }
  if ((act === 'sigmoid' || act === 'softmax') && outputsLogits({ ...info, outputActivation: 'linear' })) {
    out.push({
      id: 'C3', title: 'loss/activation mismatch', severity: 'error', score: 2,
      evidence: `${act} output fed to ${loss}, which expects logits`,
      fix: `use activation 'linear', or a loss on probabilities`,
    })
  }
  if ((act === 'linear' || act === undefined) && info.kind === 'layers' && /^(binary|categorical)Crossentropy$/i.test(loss)) {
    out.push({
      id: 'C3', title: 'loss/activation mismatch', severity: 'error', score: 2,
      evidence: `linear output fed to ${loss}, which expects probabilities`,
      fix: `add activation '${/binary/i.test(loss) ? 'sigmoid' : 'softmax'}' to the output layer`,
    })
  }
  if (act === 'softmax' && info.outputUnits === 1) {
    out.push({
      id: 'C3', title: 'softmax over one unit', severity: 'error', score: 3,
      evidence: 'softmax over a single output unit always outputs 1',
      fix: "use activation 'sigmoid' for one output unit",
    })
  }
  if (/crossentropy/i.test(loss) && !/sparse/i.test(loss) && (stats.labelMin < 0 || stats.labelMax > 1)) {
    out.push({
      id: 'C4', title: 'labels in the wrong format', severity: 'error', score: 2,
      evidence: `${loss} needs labels in [0, 1], got ${fmt(stats.labelMin)}..${fmt(stats.labelMax)}`,
      fix: stats.labelsIntegral ? "one-hot encode the labels with tf.oneHot, or use 'sparseCategoricalCrossentropy'" : 'rescale the labels into [0, 1]',
    })
  }
  return out
}
