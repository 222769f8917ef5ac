import * as tf from '@tensorflow/tfjs'
import { rangeError } from '../errors.js'
import { fmt } from '../format.js'
import { checkResult } from '../message.js'
import { openSession, type RunContext } from '../run.js'
import type { ModelInfo } from '../subject.js'
import { outputsLogits } from '../task.js'
import type { CheckResult, Dataset, Finding, RunOptions, Subject } from '../types.js'
import { datasetAndOptions } from './args.js'
import { causes } from './probed.js'

export interface ProbabilityOptions extends RunOptions {
  /** Largest |row sum − 1| allowed. Default 1e-5. */
  tolerance?: number
  /** Whether each row must sum to 1. Default: when there is more than one output and the output activation is not sigmoid (multi-label). */
  sumToOne?: boolean
}

/** Inputs are also scaled by this much after training: a naive exp(z) / Σexp(z) overflows there. */
const STRESS = 100

/** The worst output seen at one checkpoint. */
interface Checkpoint {
  when: string
  samples: number
  /** Outputs outside [0, 1] (NaN included), and the one farthest out. */
  outside: number
  worstValue?: { sample: number; output: number; value: number }
  /** Row whose sum is farthest from 1, when rows must sum to 1. */
  worstSum?: { sample: number; sum: number }
  sumsBroken: number
}

/**
 * C3: the model's outputs are probabilities: every output in [0, 1] and, for a softmax (more than one output, not
 * sigmoid), each row summing to 1 within `tolerance`. Checked at initialization, after a short training
 * (`maxEpochs`, default 20) and on the training inputs scaled ×100, where a hand-rolled exp(z) / Σexp(z) overflows.
 * Fails for a linear output fed to a probability loss, for a model that outputs logits, and for a softmax that
 * normalizes over the wrong axis, naming the rule and the worst sample.
 *
 * @example
 * await expect(buildClassifier).toOutputValidProbabilities()   // one sample per class, built from the model
 */
export async function probabilities(subject: Subject, dataset?: Dataset | ProbabilityOptions, maybeOptions?: ProbabilityOptions): Promise<CheckResult> {
  const [data, options] = datasetAndOptions(dataset, maybeOptions)
  const tolerance = options.tolerance ?? 1e-5
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) throw rangeError(`options.tolerance must be a number ≥ 0, received ${String(tolerance)}; pass e.g. 1e-5`)
  const maxEpochs = options.maxEpochs ?? 20
  const session = await openSession(subject, options)
  const checkpoints: Checkpoint[] = []
  let sums = false
  let info: ModelInfo | undefined
  const outcome = await session.run({
    dataset: data,
    maxEpochs,
    timeoutMs: options.timeoutMs ?? 20_000,
    before(ctx) {
      info = ctx.trainee.info
      const width = tf.tidy(() => ctx.trainee.predict(ctx.x).size) / ctx.x.shape[0]!
      sums = options.sumToOne ?? (width > 1 && info.outputActivation !== 'sigmoid')
      checkpoints.push(inspect('at initialization', ctx, ctx.x, sums, tolerance))
    },
    after(ctx) {
      checkpoints.push(inspect('after training', ctx, ctx.x, sums, tolerance))
      const stressed = tf.mul(ctx.x, STRESS)
      try {
        checkpoints.push(inspect(`on inputs ×${STRESS}`, ctx, stressed, sums, tolerance))
      } finally {
        stressed.dispose()
      }
    },
  })
  const trained = checkpoints[1]
  if (trained) trained.when = `after ${outcome.record.epochs} epoch${outcome.record.epochs === 1 ? '' : 's'}`
  const broken = checkpoints.filter((c) => c.outside > 0 || c.sumsBroken > 0)
  const pass = broken.length === 0
  const rules = `every output in [0, 1]${sums ? `, each row summing to 1 within ${fmt(tolerance)}` : ''}`
  return checkResult({
    pass,
    expectation: `output valid probabilities (${rules}) at initialization, after ${maxEpochs} epochs of training and on inputs ×${STRESS}`,
    details: checkpoints.map((c) => line(c, sums)),
    record: outcome.record,
    findings: pass ? [] : causes(outcome, probabilityFindings(broken, info!)),
  })
}

/** Reads the predictions for `x` and finds the worst output and the worst row sum. */
function inspect(when: string, ctx: RunContext, x: tf.Tensor, sums: boolean, tolerance: number): Checkpoint {
  const samples = x.shape[0]!
  const values = tf.tidy(() => ctx.trainee.predict(x).dataSync())
  const width = values.length / samples
  const point: Checkpoint = { when, samples, outside: 0, sumsBroken: 0 }
  let farthest = -1
  let worstGap = -1
  for (let i = 0; i < samples; i++) {
    let sum = 0
    for (let j = 0; j < width; j++) {
      const v = values[i * width + j]!
      sum += v
      const distance = Number.isNaN(v) ? Infinity : Math.max(-v, v - 1, 0)
      if (distance > 0 || Number.isNaN(v)) {
        point.outside++
        if (distance > farthest) {
          farthest = distance
          point.worstValue = { sample: i, output: j, value: v }
        }
      }
    }
    if (!sums) continue
    const gap = Number.isNaN(sum) ? Infinity : Math.abs(sum - 1)
    if (gap > tolerance) point.sumsBroken++
    if (gap > worstGap) {
      worstGap = gap
      point.worstSum = { sample: i, sum }
    }
  }
  return point
}

function line(c: Checkpoint, sums: boolean): string {
  const problems: string[] = []
  if (c.worstValue) problems.push(`${c.outside} output${c.outside === 1 ? '' : 's'} outside [0, 1], worst sample ${c.worstValue.sample} output ${c.worstValue.output} = ${fmt(c.worstValue.value)}`)
  if (c.sumsBroken > 0 && c.worstSum) problems.push(`${c.sumsBroken} of ${c.samples} rows do not sum to 1, worst sample ${c.worstSum.sample} sums to ${fmt(c.worstSum.sum)}`)
  if (problems.length > 0) return `✗ ${c.when}: ${problems.join('; ')}`
  return `✓ ${c.when}: all in [0, 1]${sums && c.worstSum ? `, row sums within ${fmt(Math.abs(c.worstSum.sum - 1))} of 1` : ''}`
}

/** C3, worded for what the outputs show and what the model is: a linear layer, a logit model, or a hand-rolled softmax. */
function probabilityFindings(broken: Checkpoint[], info: ModelInfo): Finding[] {
  const out: Finding[] = []
  const range = broken.find((c) => c.worstValue)
  const sum = broken.find((c) => c.sumsBroken > 0)
  const linear = info.outputActivation === undefined || info.outputActivation === 'linear'
  const loss = info.lossName.replace(/_+op$/, '') // tfjs names its op functions `sigmoidCrossEntropy__op`
  if (range?.worstValue) {
    const { sample, output, value } = range.worstValue
    const seen = `sample ${sample} output ${output} is ${fmt(value)} ${range.when}`
    if (Number.isNaN(value)) {
      out.push({
        id: 'C3', title: 'probabilities overflow', severity: 'error', score: 4,
        evidence: `${seen}: exp of large logits is Infinity, and Infinity / Infinity is NaN`,
        fix: 'compute the softmax as tf.softmax(logits), or subtract each row\'s max before exp',
      })
    } else if (info.kind === 'layers' && linear && outputsLogits(info)) {
      out.push({
        id: 'C3', title: 'the model outputs logits', severity: 'error', score: 3,
        evidence: `${seen}: the output layer is linear and ${loss} expects logits`,
        fix: 'apply tf.sigmoid / tf.softmax to the predictions before using them as probabilities',
      })
    } else if (info.kind === 'layers' && linear) {
      out.push({
        id: 'C3', title: 'loss/activation mismatch', severity: 'error', score: 3,
        evidence: `${seen}: a linear output layer feeds ${loss}, which expects probabilities`,
        fix: `add activation '${(info.outputUnits ?? 1) > 1 ? 'softmax' : 'sigmoid'}' to the output layer`,
      })
    } else {
      out.push({
        id: 'C3', title: 'outputs are not probabilities', severity: 'error', score: 3,
        evidence: seen,
        fix: 'end predict with tf.sigmoid (one output) or tf.softmax (several)',
      })
    }
  }
  if (sum?.worstSum && !out.some((f) => f.title === 'probabilities overflow')) {
    out.push({
      id: 'C3', title: 'softmax does not normalize each row', severity: 'error', score: 4,
      evidence: `sample ${sum.worstSum.sample} sums to ${fmt(sum.worstSum.sum)} ${sum.when} (${sum.sumsBroken} of ${sum.samples} rows off)`,
      fix: 'normalize over the last axis: tf.softmax(logits), or exp(z) / tf.sum(exp(z), -1, true)',
    })
  }
  return out
}
