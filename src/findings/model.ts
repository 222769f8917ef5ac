import { count, fmt } from '../format.js'
import { CUT_OFF } from './order.js'
import type { Evidence } from '../probes/evidence.js'
import { sampled } from '../probes/sample.js'
import type { RunOutcome } from '../run.js'
import type { Finding } from '../types.js'

/**
 * C3: the untrained model's loss sits far above what a model ignoring its input would score (3× chance: well past the
 * spread of a random initialization). A cause only while training has not got below chance; the config's own C3
 * findings (src/findings/config.ts) say why when the output does not fit the loss.
 */
export function initialLoss({ record }: RunOutcome, evidence?: Evidence): Finding[] {
  const initial = record.losses[0]
  const chance = evidence?.chance
  if (chance === undefined || initial === undefined || !(initial > 3 * chance + 0.1)) return []
  const best = Math.min(...record.losses.filter(Number.isFinite))
  return [{
    id: 'C3', title: 'initial loss far above chance', severity: best < chance ? 'info' : 'warning', score: 2,
    evidence: `initial loss ${fmt(initial)} vs chance ${fmt(chance)}` + (best < chance ? `; training got below chance (${fmt(best)})` : ''),
    fix: record.task === 'regression'
      ? 'start the output bias at mean(y), or standardize the targets'
      : 'start the output bias at the label prior or zero, and check the output activation',
  }]
}

export const ignoresInput = (o: { spread: number; inputGradient: number }): boolean => o.spread < 1e-4 && o.inputGradient < 1e-6

/** C8: after training the outputs ignore the inputs; cut off from the start, or collapsed while training. */
export function collapse({ record }: RunOutcome, evidence?: Evidence): Finding[] {
  const o = evidence?.outputs
  if (!o || !o.finite) return []
  const constantClass = record.task !== 'regression' && o.classes === 1
  if (!constantClass && !ignoresInput(o)) return []
  const start = evidence?.initialOutputs
  const cutOff = start !== undefined && ignoresInput(start)
  // A model that already gave one answer at initialization and barely moved did not collapse.
  const collapsed = start !== undefined && !cutOff && (record.task === 'regression' || start.classes > 1)
  if (!cutOff && !collapsed) return []
  // A sample of a large set was read (probes/sample.ts): the evidence says which rows the claim is about.
  const read = evidence?.probed ? sampled(evidence.probed) : 'samples'
  return [{
    id: 'C8', title: cutOff ? CUT_OFF : 'predicts the same output for every input', severity: 'error', score: cutOff ? 4 : 2,
    evidence: `after ${count(record.epochs, 'epoch')} ${constantClass ? `one class is predicted for all ${read}` : `outputs do not vary${evidence?.probed ? ` on ${read}` : ''}`}: output spread ${fmt(o.spread)}, ∂output/∂${o.gradientOf === 'embedding' ? 'embedding' : 'input'} ${fmt(o.inputGradient)} per output unit` +
      (cutOff ? ', and the input did not reach the output even at initialization' : ''),
    fix: cutOff ? 'connect the input to the output: look for frozen or zeroed layers' : 'try a lower learning rate; check the labels are not all one class',
  }]
}

/** C9: hidden ReLU units that never fire, or sigmoid/tanh units saturated at a bound. */
export function deadUnits(_: RunOutcome, evidence?: Evidence): Finding[] {
  const layers = evidence?.activations.final ?? []
  const dead = layers.filter((l) => l.dead > 0.5).sort((a, b) => b.dead - a.dead)[0]
  const saturated = layers.filter((l) => l.saturated > 0.5).sort((a, b) => b.saturated - a.saturated)[0]
  const out: Finding[] = []
  if (dead) {
    out.push({
      id: 'C9', title: 'dead ReLU units', severity: 'error', score: 6,
      evidence: `${fmt(dead.dead * 100)}% of the ${dead.units} units of ${dead.layer} never activate on ${evidence?.probed ? sampled(evidence.probed) : 'the data'}`,
      fix: "lower the learning rate, use leakyReLU/elu, or initialize biases at 0 (he initializer for the kernel)",
    })
  }
  if (saturated) {
    out.push({
      id: 'C9', title: `saturated ${saturated.activation} units`, severity: 'warning', score: 3,
      evidence: `${fmt(saturated.saturated * 100)}% of the ${saturated.units} units of ${saturated.layer} are saturated: their mean local derivative is below 1% of its peak` +
        (evidence?.probed ? ` on ${sampled(evidence.probed)}` : ''),
      fix: 'standardize the inputs and use a smaller initialization, or switch to relu',
    })
  }
  return out
}

/** C10: gradient norms per layer at the first step, and their spread across depth. */
export function gradientFlow({ info }: RunOutcome, evidence?: Evidence): Finding[] {
  // Depth is known only for layers models; a variable no gradient reaches is C15's to report.
  const norms = info.kind === 'layers' ? (evidence?.gradients.first ?? []).filter((n) => n.connected) : []
  if (norms.length === 0) return []
  const finite = norms.filter((n) => Number.isFinite(n.norm))
  const biggest = finite.reduce((a, b) => (b.norm > a.norm ? b : a), finite[0] ?? norms[0]!)
  if (biggest.norm > 1e3) {
    return [{
      id: 'C10', title: 'exploding gradients', severity: 'error', score: 5,
      evidence: `gradient norm ${fmt(biggest.norm)} in ${biggest.layer} at the first step`,
      fix: 'use a smaller initialization such as glorotUniform, standardize inputs, or clip gradients',
    }]
  }
  if (!vanishingRatio(finite)) return []
  const smallest = finite.reduce((a, b) => (b.norm < a.norm ? b : a))
  {
    return [{
      id: 'C10', title: 'vanishing gradients', severity: 'error', score: 5,
      evidence: `gradient norm ${fmt(smallest.norm)} in ${smallest.layer} vs ${fmt(biggest.norm)} in ${biggest.layer} at the first step (ratio ${fmt(smallest.norm / biggest.norm)})`,
      fix: 'use relu with he initialization, fewer layers, or batch normalization',
    }]
  }
  return []
}

/** The smallest connected layer's gradient is below 1e-4 of the largest at the first step (C10). */
export function vanishingRatio(norms: readonly { norm: number; connected: boolean }[]): boolean {
  const finite = norms.filter((n) => n.connected && Number.isFinite(n.norm))
  if (finite.length < 2) return false
  const biggest = Math.max(...finite.map((n) => n.norm))
  return biggest > 0 && Math.min(...finite.map((n) => n.norm)) / biggest < 1e-4
}

/** C11: units of a layer that started identical and stayed identical. */
export function symmetry(_: RunOutcome, evidence?: Evidence): Finding[] {
  const layer = evidence?.symmetric[0]
  if (!layer) return []
  return [{
    id: 'C11', title: 'symmetric weight initialization', severity: 'error', score: 7,
    evidence: `all ${layer.units} units of ${layer.layer} have identical weights after training, so they learn the same thing`,
    fix: 'initialize kernels randomly with glorotUniform or heNormal, never with a constant',
  }]
}

/** C15: trainable weights that never changed, frozen weights that did. */
export function staleWeights({ record }: RunOutcome, evidence?: Evidence): Finding[] {
  if (record.epochs === 0 || !evidence) return []
  // When nothing moved at all the cause lies elsewhere (precision, learning rate): that is not C15's pattern.
  const trainable = evidence.weights.filter((w) => w.trainable)
  const allStale = trainable.length > 0 && trainable.every((w) => !w.changed)
  return weightChangeFindings(evidence, count(record.epochs, 'epoch')).filter((f) => !(allStale && f.title === STALE))
}

const STALE = 'trainable weights never change'

/** The C15 findings of a run's weight deltas, naming the variables no gradient reached. */
export function weightChangeFindings(evidence: Evidence, after: string): Finding[] {
  const unchanged = evidence.weights.filter((w) => w.trainable && !w.changed)
  const moved = evidence.weights.filter((w) => !w.trainable && w.changed)
  const reached = evidence.gradients.last.filter((g) => g.connected)
  const noGradient = unchanged.filter((w) => !reached.some((g) => w.name.startsWith(g.layer)))
  const out: Finding[] = []
  if (unchanged.length) {
    out.push({
      id: 'C15', title: STALE, severity: 'error', score: 5,
      evidence: `${unchanged.map((w) => w.name).join(', ')} unchanged after ${after}` +
        (noGradient.length ? `; no gradient reaches ${noGradient.map((w) => w.name).join(', ')}` : ''),
      fix: 'make the loss depend on them, or mark them non-trainable on purpose',
    })
  }
  const untrainable = evidence.untrainable ?? []
  if (untrainable.length) {
    out.push({
      id: 'C15', title: 'listed variables can never learn', severity: 'error', score: 6,
      evidence: `the loss depends on ${untrainable.join(', ')}, listed in variables but created non-trainable (tf.variable(value, false)), so no optimizer updates ${untrainable.length === 1 ? 'it' : 'them'}`,
      fix: 'create it with tf.variable(value) (trainable by default); a constant meant to stay fixed does not belong in variables',
    })
  }
  if (moved.length) {
    out.push({
      id: 'C15', title: 'frozen weights change', severity: 'error', score: 5,
      evidence: `${moved.map((w) => w.name).join(', ')} changed although not trainable`,
      fix: 'check layer.trainable and whatever assigns these variables',
    })
  }
  return out
}

/** C16: an output depends on other samples of the batch. */
export function batchMixing(_: RunOutcome, evidence?: Evidence): Finding[] {
  const c = evidence?.crossSample
  if (!c || !(c.leak > 1e-6 * Math.max(c.own, 1e-3))) return []
  return [{
    id: 'C16', title: 'samples leak into each other', severity: 'error', score: 7,
    evidence: `|∂output_i/∂x_j| reaches ${fmt(c.leak)} for j ≠ i (own input: ${fmt(c.own)})`,
    fix: 'do not reduce over the batch axis in the forward pass: no batch means, norms or reshapes that mix samples',
  }]
}

/**
 * C3 in a custom trainable: predict returns probabilities, yet the loss reports much more than their cross-entropy, as
 * when a softmax (or sigmoid) output is fed to a loss that applies its own. A loss that scores probabilities agrees with
 * their cross-entropy up to rounding and a regularization term; more than 10% above it, the loss is scoring something else.
 */
export function probabilitiesScoredAsLogits(_: RunOutcome, evidence?: Evidence): Finding[] {
  const p = evidence?.probabilityLoss
  if (!p || !Number.isFinite(p.loss) || !(p.loss > 1.1 * p.crossEntropy + 1e-3)) return []
  return [{
    id: 'C3', title: 'loss/activation mismatch', severity: 'error', score: 6,
    evidence: `predict(x) returns probabilities whose cross-entropy is ${fmt(p.crossEntropy)}, but the loss reports ${fmt(p.loss)} on the same data: it squashes them again`,
    fix: 'return logits from predict for tf.losses.softmaxCrossEntropy / sigmoidCrossEntropy, or score the probabilities with a cross-entropy on probabilities',
  }]
}
