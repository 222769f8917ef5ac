import * as tf from '@tensorflow/tfjs'
import { cause } from '../findings/catalogue.js'
import { fmt } from '../format.js'
import { openSession, type RunContext } from '../run.js'
import { predictSteps } from '../slabs.js'
import type { ModelInfo } from '../subject.js'
import { outputsLogits } from '../task.js'
import type { Finding, RunOptions } from '../types.js'

import { defineCheck } from './define.js'

export interface ProbabilityOptions extends RunOptions {
  /** Largest |row sum − 1| allowed. Default 1e-5. */
  tolerance?: number
  /** Whether each row must sum to 1. Default: when there is more than one output and the output activation is not sigmoid (multi-label). */
  sumToOne?: boolean
}

/** Inputs are also scaled by this much after training: a naive exp(z) / Σexp(z) overflows there. */
const STRESS = 100

/** The worst output seen at one checkpoint. A row is one sample's outputs at one position: the last axis. */
interface Checkpoint {
  when: string
  samples: number
  /** Rows inspected: samples × positions (positions are the axes between the sample and the last one). */
  rows: number
  /** Outputs outside [0, 1] (NaN included), and the one farthest out. */
  outside: number
  worstValue?: { sample: number; position?: number[]; output: number; value: number }
  /** Row whose sum is farthest from 1, when rows must sum to 1. */
  worstSum?: { sample: number; position?: number[]; sum: number }
  sumsBroken: number
}

/** How the large-logit stage drove the model: scaled float inputs, scaled embedding vectors, or not at all (token ids). */
type Stress = { kind: 'inputs' } | { kind: 'embeddings'; layer: string } | { kind: 'skipped'; why: string }

/**
 * C3: the model's outputs are probabilities: every output in [0, 1] and, for a softmax (more than one output on the
 * last axis, not sigmoid), each row over the last axis summing to 1 within `tolerance`, for any output rank (a
 * sequence's or an image's every position is a row). Checked at initialization, after a short training (`maxEpochs`,
 * default 20) and on the training inputs scaled ×100, where a hand-rolled exp(z) / Σexp(z) overflows. Token ids
 * cannot be scaled: a model whose Embedding reads the input gets its embedding vectors scaled ×100 instead, other
 * integer inputs skip that stage, and the message says which stages ran.
 * Fails for a linear output fed to a probability loss, for a model that outputs logits, and for a softmax that
 * normalizes over the wrong axis, naming the rule, the worst sample and position.
 *
 * @example
 * await expect(buildClassifier).toOutputValidProbabilities()   // one sample per class, built from the model
 */
export const probabilities = defineCheck<ProbabilityOptions>()({
  matcher: 'toOutputValidProbabilities',
  ids: ['C3'],
  dataset: 'optional',
  defaults: { tolerance: 1e-5, maxEpochs: 20 },
  options: { kinds: { tolerance: { kind: 'number', min: 0, example: 1e-5 }, sumToOne: { kind: 'boolean', example: true } } },
  goal: 'output valid probabilities',
  verify: true,
  async run(subject, data, options) {
    const { tolerance } = options
    const { maxEpochs } = options
    const session = await openSession(subject, options)
    const checkpoints: Checkpoint[] = []
    let sums = false
    let info: ModelInfo | undefined
    let stress = { kind: 'inputs' } as Stress
    const outcome = await session.run({
      dataset: data,
      maxEpochs,
      timeoutMs: options.timeoutMs,
      async before(ctx) {
        info = ctx.trainee.info
        const outputs = await predictions(ctx)
        sums = options.sumToOne ?? (lastAxis(outputs.shape) > 1 && info.outputActivation !== 'sigmoid')
        stress = stressFor(ctx)
        checkpoints.push(inspect('at initialization', outputs, sums, tolerance))
      },
      async after(ctx) {
        checkpoints.push(inspect('after training', await predictions(ctx), sums, tolerance))
        const stressed = await stressedCheckpoint(ctx, stress, sums, tolerance)
        if (typeof stressed === 'string') stress = { kind: 'skipped', why: stressed }
        else if (stressed) checkpoints.push(stressed)
      },
    })
    const trained = checkpoints[1]
    if (trained) trained.when = `after ${outcome.record.epochs} epoch${outcome.record.epochs === 1 ? '' : 's'}`
    const broken = checkpoints.filter((c) => c.outside > 0 || c.sumsBroken > 0)
    const pass = broken.length === 0
    const rules = `every output in [0, 1]${sums ? `, each row summing to 1 within ${fmt(tolerance)}` : ''}`
    const stages = stress.kind === 'skipped' ? '' : ` and on ${stress.kind} ×${STRESS}`
    const details = checkpoints.map((c) => line(c, sums))
    if (stress.kind === 'skipped') details.push(`– on inputs ×${STRESS}: not run, ${stress.why}`)
    else if (stress.kind === 'embeddings') details.push(`  (inputs are token ids: the ${stress.layer} vectors were scaled ×${STRESS} instead of the ids)`)
    return {
      pass,
      expectation: `output valid probabilities (${rules}) at initialization, after ${maxEpochs} epochs of training${stages}`,
      details,
      record: outcome.record,
      outcome,
      own: probabilityFindings(broken, info!),
    }
  },
})

/** Width of the last axis of an output shape: the row probabilities live on (1 for a rank-1 output). */
function lastAxis(shape: number[]): number {
  return shape.length > 1 ? shape[shape.length - 1]! : 1
}

/**
 * How to drive the logits large after training. Float inputs are scaled. Token ids cannot be (×100 is an id the
 * Embedding does not have), so the vectors of the Embedding that reads them are scaled instead: the same ×100 on
 * the first layer's output. Other integer inputs skip the stage.
 */
function stressFor(ctx: RunContext): Stress {
  if (!ctx.trainee.info.integerInput && ctx.x.dtype !== 'int32') return { kind: 'inputs' }
  const layer = inputEmbedding(ctx.trainee.model)
  if (layer) return { kind: 'embeddings', layer: layer.name }
  return { kind: 'skipped', why: 'the inputs are integer ids, which cannot be scaled' }
}

/** The Embedding layer that reads the model's input directly, with one weight (its vectors). */
function inputEmbedding(model: tf.LayersModel | undefined): tf.layers.Layer | undefined {
  const input = model?.inputs[0]
  if (!model || !input) return undefined
  return model.layers.find((layer) =>
    layer.getClassName() === 'Embedding' && layer.weights.length === 1 &&
    layer.inboundNodes.some((node) => node.inputTensors.some((t) => t.id === input.id)))
}

/** The stage on large logits; why not, when the model could not run on them (never a raw tfjs error). */
async function stressedCheckpoint(ctx: RunContext, stress: Stress, sums: boolean, tolerance: number): Promise<Checkpoint | string | undefined> {
  if (stress.kind === 'skipped') return undefined
  if (stress.kind === 'embeddings') {
    const vectors = inputEmbedding(ctx.trainee.model)!.weights[0]!.read() as tf.Variable
    const saved = vectors.clone()
    try {
      tf.tidy(() => vectors.assign(tf.mul(saved, STRESS)))
      return inspect(`on embeddings ×${STRESS}`, await predictions(ctx), sums, tolerance)
    } finally {
      vectors.assign(saved) // later observers read the trained weights
      saved.dispose()
    }
  }
  try {
    // Each slab scaled on its way in: no scaled copy of the whole training set.
    return inspect(`on inputs ×${STRESS}`, await predictions(ctx, (slab) => tf.mul(slab, STRESS)), sums, tolerance)
  } catch (error) {
    return `the model threw on them: ${(error as Error).message}`
  }
}

/** A checkpoint's outputs: the model's predictions for every training input. */
interface Outputs {
  samples: number
  values: ArrayLike<number>
  shape: number[]
}

/** The outputs for every training input (`map`ped first, when given), predicted a slab at a time. */
async function predictions(ctx: RunContext, map?: (x: tf.Tensor) => tf.Tensor): Promise<Outputs> {
  const p = await ctx.pace.run(predictSteps(ctx.trainee, ctx.x, map))
  try {
    return { samples: ctx.x.shape[0]!, values: p.dataSync(), shape: p.shape }
  } finally {
    p.dispose()
  }
}

/** Finds the worst output and the worst row sum, each row being the last axis. */
function inspect(when: string, { samples, values, shape }: Outputs, sums: boolean, tolerance: number): Checkpoint {
  const width = lastAxis(shape)
  const positions = shape.length > 2 ? shape.slice(1, -1) : []
  const perSample = values.length / samples / width
  const point: Checkpoint = { when, samples, rows: samples * perSample, outside: 0, sumsBroken: 0 }
  const where = (row: number): number[] | undefined => (positions.length === 0 ? undefined : unravel(row % perSample, positions))
  let farthest = -1
  let worstGap = -1
  for (let r = 0; r < samples * perSample; r++) {
    let sum = 0
    for (let j = 0; j < width; j++) {
      const v = values[r * width + j]!
      sum += v
      const distance = Number.isNaN(v) ? Infinity : Math.max(-v, v - 1, 0)
      if (distance > 0 || Number.isNaN(v)) {
        point.outside++
        if (distance > farthest) {
          farthest = distance
          point.worstValue = { sample: Math.floor(r / perSample), position: where(r), output: j, value: v }
        }
      }
    }
    if (!sums) continue
    const gap = Number.isNaN(sum) ? Infinity : Math.abs(sum - 1)
    if (gap > tolerance) point.sumsBroken++
    if (gap > worstGap) {
      worstGap = gap
      point.worstSum = { sample: Math.floor(r / perSample), position: where(r), sum }
    }
  }
  return point
}

/** A flat index as coordinates in `dims`, row-major. */
function unravel(index: number, dims: number[]): number[] {
  const out: number[] = []
  for (let d = dims.length - 1; d >= 0; d--) {
    out.unshift(index % dims[d]!)
    index = Math.floor(index / dims[d]!)
  }
  return out
}

/** `sample 4` or, for sequence and image outputs, `sample 4 position 2` / `sample 4 position [3, 5]`. */
function at(sample: number, position?: number[]): string {
  if (!position) return `sample ${sample}`
  return `sample ${sample} position ${position.length === 1 ? position[0] : `[${position.join(', ')}]`}`
}

function line(c: Checkpoint, sums: boolean): string {
  const problems: string[] = []
  if (c.worstValue) problems.push(`${c.outside} output${c.outside === 1 ? '' : 's'} outside [0, 1], worst ${at(c.worstValue.sample, c.worstValue.position)} output ${c.worstValue.output} = ${fmt(c.worstValue.value)}`)
  if (c.sumsBroken > 0 && c.worstSum) problems.push(`${c.sumsBroken} of ${c.rows} rows do not sum to 1, worst ${at(c.worstSum.sample, c.worstSum.position)} sums to ${fmt(c.worstSum.sum)}`)
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
    const { sample, position, output, value } = range.worstValue
    const seen = `${at(sample, position)} output ${output} is ${fmt(value)} ${range.when}`
    if (Number.isNaN(value)) {
      out.push(cause.probabilitiesOverflow(`${seen}: exp of large logits is Infinity, and Infinity / Infinity is NaN`))
    } else if (info.kind === 'layers' && linear && outputsLogits(info)) {
      out.push(cause.outputsLogits(`${seen}: the output layer is linear and ${loss} expects logits`))
    } else if (info.kind === 'layers' && linear) {
      out.push(cause.linearOutputForProbabilities(`${seen}: a linear output layer feeds ${loss}, which expects probabilities`, { units: info.outputUnits ?? 1 }))
    } else {
      out.push(cause.notProbabilities(seen))
    }
  }
  // Outputs out of range already name the fix (an activation, a stable softmax); rows off 1 are then its symptom.
  if (sum?.worstSum && out.length === 0) {
    out.push(cause.rowsNotNormalized(`${at(sum.worstSum.sample, sum.worstSum.position)} sums to ${fmt(sum.worstSum.sum)} ${sum.when} (${sum.sumsBroken} of ${sum.rows} rows off)`))
  }
  return out
}
