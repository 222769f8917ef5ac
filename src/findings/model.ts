import { count, fmt } from '../format.js'
import { cause } from './catalogue.js'
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
  return [cause.initialLossAboveChance(
    `initial loss ${fmt(initial)} vs chance ${fmt(chance)}` + (best < chance ? `; training got below chance (${fmt(best)})` : ''),
    { task: record.task, trainedBelowChance: best < chance },
  )]
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
  const seen = `after ${count(record.epochs, 'epoch')} ${constantClass ? `one class is predicted for all ${read}` : `outputs do not vary${evidence?.probed ? ` on ${read}` : ''}`}: output spread ${fmt(o.spread)}, ∂output/∂${o.gradientOf === 'embedding' ? 'embedding' : 'input'} ${fmt(o.inputGradient)} per output unit` +
    (cutOff ? ', and the input did not reach the output even at initialization' : '')
  return [cutOff ? cause.inputCutOff(seen) : cause.sameOutput(seen, { oneClass: constantClass })]
}

/** C9: hidden ReLU units that never fire, or sigmoid/tanh units saturated at a bound. */
export function deadUnits(_: RunOutcome, evidence?: Evidence): Finding[] {
  const layers = evidence?.activations.final ?? []
  const dead = layers.filter((l) => l.dead > 0.5).sort((a, b) => b.dead - a.dead)[0]
  const saturated = layers.filter((l) => l.saturated > 0.5).sort((a, b) => b.saturated - a.saturated)[0]
  const out: Finding[] = []
  if (dead) {
    out.push(cause.deadRelu(`${fmt(dead.dead * 100)}% of the ${dead.units} units of ${dead.layer} never activate on ${evidence?.probed ? sampled(evidence.probed) : 'the data'}`))
  }
  if (saturated) {
    out.push(cause.saturatedUnits(
      `${fmt(saturated.saturated * 100)}% of the ${saturated.units} units of ${saturated.layer} are saturated: their mean local derivative is below 1% of its peak` +
        (evidence?.probed ? ` on ${sampled(evidence.probed)}` : ''),
      { activation: saturated.activation },
    ))
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
    return [cause.explodingGradients(`gradient norm ${fmt(biggest.norm)} in ${biggest.layer} at the first step`)]
  }
  if (!vanishingRatio(finite)) return []
  const smallest = finite.reduce((a, b) => (b.norm < a.norm ? b : a))
  return [cause.vanishingGradients(`gradient norm ${fmt(smallest.norm)} in ${smallest.layer} vs ${fmt(biggest.norm)} in ${biggest.layer} at the first step (ratio ${fmt(smallest.norm / biggest.norm)})`)]
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
  return [cause.symmetricInit(`all ${layer.units} units of ${layer.layer} have identical weights after training, so they learn the same thing`)]
}

/** C15: trainable weights that never changed, frozen weights that did. */
export function staleWeights({ record }: RunOutcome, evidence?: Evidence): Finding[] {
  if (record.epochs === 0 || !evidence) return []
  // When nothing moved at all the cause lies elsewhere (precision, learning rate): that is not C15's pattern.
  const trainable = evidence.weights.filter((w) => w.trainable)
  const allStale = trainable.length > 0 && trainable.every((w) => !w.changed)
  return weightChangeFindings(evidence, count(record.epochs, 'epoch')).filter((f) => !(allStale && f.kind === 'staleWeights'))
}

/** The C15 findings of a run's weight deltas, naming the variables no gradient reached. */
export function weightChangeFindings(evidence: Evidence, after: string): Finding[] {
  const unchanged = evidence.weights.filter((w) => w.trainable && !w.changed)
  const moved = evidence.weights.filter((w) => !w.trainable && w.changed)
  const reached = evidence.gradients.last.filter((g) => g.connected)
  const noGradient = unchanged.filter((w) => !reached.some((g) => w.name.startsWith(g.layer)))
  const out: Finding[] = []
  if (unchanged.length) {
    out.push(cause.staleWeights(`${unchanged.map((w) => w.name).join(', ')} unchanged after ${after}` +
      (noGradient.length ? `; no gradient reaches ${noGradient.map((w) => w.name).join(', ')}` : '')))
  }
  const untrainable = evidence.untrainable ?? []
  if (untrainable.length) {
    out.push(cause.untrainableVariables(`the loss depends on ${untrainable.join(', ')}, listed in variables but created non-trainable (tf.variable(value, false)), so no optimizer updates ${untrainable.length === 1 ? 'it' : 'them'}`))
  }
  if (moved.length) {
    out.push(cause.frozenWeightsChange(`${moved.map((w) => w.name).join(', ')} changed although not trainable`))
  }
  return out
}

/** C16: an output depends on other samples of the batch. */
export function batchMixing(_: RunOutcome, evidence?: Evidence): Finding[] {
  const c = evidence?.crossSample
  if (!c || !(c.leak > 1e-6 * Math.max(c.own, 1e-3))) return []
  return [cause.batchMixing(`|∂output_i/∂x_j| reaches ${fmt(c.leak)} for j ≠ i (own input: ${fmt(c.own)})`)]
}

/**
 * C3 in a custom trainable: predict returns probabilities, yet the loss reports much more than their cross-entropy, as
 * when a softmax (or sigmoid) output is fed to a loss that applies its own. A loss that scores probabilities agrees with
 * their cross-entropy up to rounding and a regularization term; more than 10% above it, the loss is scoring something else.
 */
export function probabilitiesScoredAsLogits(_: RunOutcome, evidence?: Evidence): Finding[] {
  const p = evidence?.probabilityLoss
  if (!p || !Number.isFinite(p.loss) || !(p.loss > 1.1 * p.crossEntropy + 1e-3)) return []
  return [cause.probabilitiesScoredAsLogits(`predict(x) returns probabilities whose cross-entropy is ${fmt(p.crossEntropy)}, but the loss reports ${fmt(p.loss)} on the same data: it squashes them again`)]
}
