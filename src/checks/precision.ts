import * as tf from '@tensorflow/tfjs'
import { cause } from '../findings/catalogue.js'
import { finalLoss } from '../record.js'
import { fmt } from '../format.js'
import { halfStepAt, roundActivation, roundToFloat16 } from '../precision.js'
import { openSession, type RunContext } from '../run.js'
import type { Finding } from '../types.js'
import { stoppedAfter } from '../message.js'
import { causes } from './probed.js'
import { OVERFIT_KINDS, overfitGoal, overfitMarks, overfitSummary, overfitTrial, type OverfitHooks, type OverfitOptions, type OverfitTrial } from './overfit.js'

import { defineCheck } from './define.js'

export interface PrecisionOptions extends OverfitOptions {
  /** Bits per float: 16 emulates IEEE float16 (default); 32 is plain float32, a control. */
  bits?: 16 | 32
}

/** What rounding did to the weight updates, epoch by epoch. */
interface Rounding {
  /** Per epoch: weight entries the optimizer changed, and how many of those changes rounding undid. */
  epochs: { changed: number; lost: number; largestLost?: { variable: string; at: number; step: number } }[]
  /** Whether layer outputs (and their gradients) were rounded too; only layers models expose their layers. */
  activations: boolean
}

/**
 * C12: the overfit test (C7) still passes when weights and activations are kept at reduced precision. tfjs has no
 * float16, so it is emulated: weights are rounded to the nearest float16 at the start and after every epoch (every
 * step when training full-batch), and each layer's output and the gradient flowing back through it are rounded too
 * (layers models). Optimizer state and the loss stay float32, as in mixed-precision training. On failure a float32
 * run of the same seed tells a precision limit from a model that fails anyway.
 *
 * @example
 * await expect(buildModel).toSurviveReducedPrecision(twoPoints, { bits: 16 })
 */
export const reducedPrecision = defineCheck<PrecisionOptions>()({
  matcher: 'toSurviveReducedPrecision',
  ids: ['C12'],
  dataset: 'optional',
  defaults: { bits: 16 },
  runs: (o) => (o.bits === 32 ? 1 : 2), // float16, and the float32 control when it fails
  options: { kinds: { ...OVERFIT_KINDS, bits: { kind: 'enum', values: [16, 32], example: 16, note: '16 emulates float16, 32 is plain float32' } } },
  goal: 'overfit its training samples in float16',
  // Not verified: its own fix, float32, is the control it already ran, and a fix of another cause does not make float16 keep small updates.
  async run(subject, data, options) {
    const { bits } = options
    const session = await openSession(subject, options)
    const rounding: Rounding = { epochs: [], activations: false }
    const trial = await overfitTrial(session, data, options, bits === 16 ? float16Hooks(rounding) : {})
    // The float32 control shares the check's budget: it gets what the float16 run left, and is not run when nothing is.
    const wanted = !trial.pass && bits === 16
    const control = wanted && session.budget.left() > 0 ? await overfitTrial(session, data, options) : undefined
    // A control the budget stopped before it passed tells nothing about precision.
    const controlCut = control !== undefined && !control.pass && control.outcome.record.stoppedBy === 'timeout'
    const name = bits === 16 ? 'float16' : 'float32'
    const details = [`${name}: ${overfitSummary(trial)}`]
    if (control) details.push(`float32: ${overfitSummary(control)}${control.pass ? '' : controlCut ? ' (cut short by the budget: no verdict on precision)' : ' (fails too: not a precision problem)'}`)
    else if (wanted) details.push('float32: not run (the budget ran out in the float16 run), so precision is neither blamed nor cleared')
    const stuck = stuckWeights(rounding)
    if (!trial.pass && stuck) details.push(stuck.summary)
    const emulated = bits === 32 ? 'in float32' : `with weights${rounding.activations ? ' and activations' : ''} in float16 (emulated)`
    const trialCut = trial.outcome.record.stoppedBy === 'timeout'
    const budget = controlCut
      ? `${trialCut ? `in float16 ${stoppedAfter(trial.outcome.record.epochs)} and ` : ''}in the float32 control ${stoppedAfter(control.outcome.record.epochs)}`
      : wanted && !control ? `${trialCut ? `in float16 ${stoppedAfter(trial.outcome.record.epochs)}` : 'after the float16 run'}: the float32 control not run` : undefined
    return {
      pass: trial.pass,
      expectation: `${overfitGoal(trial)} ${emulated}`,
      details,
      record: trial.outcome.record,
      findings: trial.pass ? [] : precisionFindings(trial, controlCut ? undefined : control, stuck),
      budget,
      curves: control ? [{ label: name, losses: trial.outcome.record.losses }, { label: 'float32', losses: control.outcome.record.losses }] : undefined,
      ...overfitMarks(trial),
    }
  },
})

/** Hooks that keep a run's weights and activations at float16 and record the updates rounding undid. */
function float16Hooks(rounding: Rounding): OverfitHooks {
  let previous: Float32Array[] = []
  return {
    before(ctx: RunContext) {
      for (const v of ctx.trainee.frozen) assignRounded(v, roundToFloat16(v.dataSync()))
      previous = ctx.trainee.variables.map((v) => assignRounded(v, roundToFloat16(v.dataSync())))
      const model = ctx.trainee.model
      if (model) {
        for (const layer of model.layers) roundOutputsOf(layer)
        rounding.activations = true
      }
    },
    afterEpoch(_epoch, ctx) {
      const epoch: Rounding['epochs'][number] = { changed: 0, lost: 0 }
      ctx.trainee.variables.forEach((v, i) => {
        const updated = v.dataSync()
        const rounded = roundToFloat16(updated)
        const before = previous[i]!
        for (let j = 0; j < updated.length; j++) {
          if (updated[j] === before[j]) continue
          epoch.changed++
          if (rounded[j] !== before[j]) continue
          epoch.lost++
          const step = Math.abs(updated[j]! - before[j]!)
          if (!epoch.largestLost || step > epoch.largestLost.step) epoch.largestLost = { variable: `${ctx.trainee.names.variables[i]}[${j}]`, at: before[j]!, step }
        }
        previous[i] = assignRounded(v, rounded)
      })
      rounding.epochs.push(epoch)
    },
  }
}

function assignRounded(v: tf.Variable, values: Float32Array): Float32Array {
  tf.tidy(() => v.assign(tf.tensor(values, v.shape, 'float32')))
  return values
}

/** Wraps a layer's `call` so that its output, and the gradient with respect to it, are rounded to float16. */
function roundOutputsOf(layer: tf.layers.Layer): void {
  const call = layer.call.bind(layer)
  layer.call = (inputs, kwargs) => {
    const out = call(inputs, kwargs)
    return Array.isArray(out) ? out.map(roundActivation) : roundActivation(out)
  }
}

interface Stuck {
  summary: string
  share: number
  window: number
  example?: { variable: string; at: number; step: number }
}

/** Over the last tenth of the run (at least one epoch): how many weight updates rounding threw away. */
function stuckWeights(rounding: Rounding): Stuck | undefined {
  const { epochs } = rounding
  if (epochs.length === 0) return undefined
  const window = Math.max(1, Math.floor(epochs.length / 10))
  const tail = epochs.slice(-window)
  const changed = tail.reduce((s, e) => s + e.changed, 0)
  const lost = tail.reduce((s, e) => s + e.lost, 0)
  if (changed === 0 || lost === 0) return undefined
  const example = tail.reduce<Stuck['example']>((best, e) => (e.largestLost && (!best || e.largestLost.step > best.step) ? e.largestLost : best), undefined)
  const share = lost / changed
  return {
    share,
    window,
    example,
    summary: `last ${window} epochs: ${lost} of ${changed} weight updates (${fmt(share * 100)}%) were under half a float16 step and rounded away`,
  }
}

/** C12 when float32 passes where float16 fails, with the updates rounding lost; else what the float32 run shows. */
function precisionFindings(trial: OverfitTrial, control: OverfitTrial | undefined, stuck: Stuck | undefined): Finding[] {
  if (!control) return causes(trial.outcome)
  if (!control.pass) return causes(control.outcome)
  const lr = trial.outcome.record.learningRate
  const final = finalLoss(trial.outcome.record)
  const example = stuck?.example
  const half = example ? halfStepAt(example.at) : undefined
  const raiseTo = lr !== undefined && example && half ? lr * Math.ceil((2 * half) / example.step) : undefined
  const c12 = cause.reducedPrecision(`float32 reaches ${fmt(finalLoss(control.outcome.record))}, float16 stalls at ${fmt(final)}` +
      (example && half ? `: updates of ${fmt(example.step)} to ${example.variable} = ${fmt(example.at)} are under half a float16 step (${fmt(half)}) and rounded away` : ''),
    { raiseTo },
  )
  // float32 trains at this learning rate, so a C6 "too little movement" reading is the rounding C12 explains.
  return causes(trial.outcome, [c12], ['C6'])
}
