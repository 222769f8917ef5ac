import * as tf from '@tensorflow/tfjs'
import { fmt } from '../format.js'
import { editModel, type LayerJSON, type Topology } from '../model-edit.js'
import type { Evidence } from '../probes/evidence.js'
import { robust, standard } from '../scalers.js'
import { currentSeed, withSeed } from '../seed.js'
import type { ModelInfo } from '../subject.js'
import type { CustomTrainable, ModelSpec, RunOptions, Subject, TrainingRecord } from '../types.js'
import { BINARY_PROBABILITY, CATEGORICAL_PROBABILITY, HINGE, LOGITS, REGRESSION } from './losses.js'
import { raiseDecade } from './rate.js'
import { WIDER_LABEL, widerTopology } from './capacity-fix.js'

// A cause's mechanical fix, written at the level of the public API (subject, options, data) so that the verified fix
// is one the user can apply as printed, and the re-run is the same check under the same seed and backend by construction.

/** What a check runs on: the user's subject and options, and the data when the check takes some. */
export interface FixTarget<D = unknown> {
  subject: Subject
  options: RunOptions
  data?: D
}

/**
 * What a fix changes: the optimizer's rate, the data's preprocessing or labels, the model's output, initialization,
 * trainability or batch statistics, or the precision it trains in. A check that varies one of these itself (the rates
 * toTolerateLearningRates tries) cannot be verified by a fix of that kind.
 */
export type FixKind = 'learningRate' | 'preprocess' | 'labels' | 'output' | 'initialization' | 'unfreeze' | 'batchStatistics' | 'precision' | 'capacity'

export interface Fix {
  kind: FixKind
  /** Findings whose fixes share a key are verified by one re-run. */
  key: string
  /** How the re-run differed, completing "verified: … the same run …": `at lr 0.01`. */
  label: string
  /** The change as code the user applies. */
  code: string
  apply<D>(target: FixTarget<D>): FixTarget<D>
  /**
   * The fix is the cause's own counterfactual (a lower rate for "rate too high", float32 for "reduced precision"): when
   * it does not help, the cause is refuted. Otherwise it is one remedy among several, and its failure proves nothing.
   */
  decisive: boolean
  /** The failing run already had the fix (a layers model trains in float32): it is refuted without a re-run, saying this. */
  already?: string
  /**
   * The same fix taken one step further, tried when this one did not pass (a rate ÷100 after ÷10): one step that falls
   * short does not refute the cause, the last step does.
   */
  next?: () => Fix | undefined
}

/** What a fix may read about the failing run. */
export interface FixContext {
  info: ModelInfo
  record: TrainingRecord
  evidence?: Evidence
  subject: Subject
}

/**
 * The mechanical fixes the catalogue's cause kinds point to (catalogue.ts, `remedy`): each reads the failing run and
 * returns undefined where it does not apply (a custom trainable's layers are its code; the user already preprocesses).
 */
export const remedies = {
  lowerRate({ record }: FixContext): Fix | undefined {
    // ÷10, then ÷100, then ÷1000: an adaptive optimizer (rmsprop, adam) at 1 needs its default 1e-3 back.
    return record.learningRate === undefined ? undefined : learningRate(record.learningRate, 1 / 10, 3)
  },
  raiseRate({ record }: FixContext): Fix | undefined {
    // The rate the C6 rule derives from how far the loss moved (rate.ts `raise`): its lower end, at least ×10.
    const { losses, learningRate: lr } = record
    const first = losses[0]
    const last = losses[losses.length - 1]
    const moved = first !== undefined && last !== undefined ? (first - last) / Math.abs(first || 1) : 0
    // Then ×10 more per step, up to the ×1000 the C6 rule's suggestion is capped at.
    const factor = Math.max(10, raiseDecade(Number.isFinite(moved) ? moved : 0))
    return lr === undefined ? undefined : learningRate(lr, factor, Math.max(1, Math.floor(Math.log10(1000 / factor) + 1e-9) + 1), 10)
  },
  standardize: (ctx: FixContext): Fix | undefined => (ctx.info.integerInput || preprocessOf(ctx.subject) ? undefined : preprocess('standard')),
  robustScale: (ctx: FixContext): Fix | undefined => (ctx.info.integerInput || preprocessOf(ctx.subject) ? undefined : preprocess('robust')),
  matchingOutput: (ctx: FixContext): Fix | undefined => (ctx.info.kind === 'layers' ? matchingOutput(ctx.info, ctx.record.task) : undefined),
  reinitialize: (ctx: FixContext): Fix | undefined => (ctx.info.kind === 'layers' ? reinitialize() : undefined),
  // Frozen layers are a config edit; a custom trainable's variables are its code.
  unfreeze: (ctx: FixContext): Fix | undefined => (ctx.info.kind === 'layers' ? unfreeze() : undefined),
  moreCapacity: (ctx: FixContext): Fix | undefined => (ctx.info.kind === 'layers' ? moreCapacity() : undefined),
  reshapeTargets: (prediction: readonly number[], ctx: FixContext): Fix | undefined => (ctx.info.kind === 'custom' ? reshapeTargets(prediction.slice(1)) : undefined),
  float32(ctx: FixContext): Fix {
    // Reduced precision is a cause only when float32 under the same seed succeeds; a layers model trains in float32.
    return ctx.info.kind === 'custom' ? withoutAfterStep() : { kind: 'precision', key: 'float32', label: 'in float32', code: 'keep the weights in float32', decisive: true, apply: (t) => t, already: 'the failing run already trained in float32' }
  },
}

/** The rate `lr × factor`, then × `step` more for each of the `tries` − 1 steps after it. */
function learningRate(lr: number, factor: number, tries: number, step = factor): Fix {
  const value = Number((lr * factor).toPrecision(6))
  return {
    next: tries > 1 ? () => learningRate(lr, factor * step, tries - 1, step) : undefined,
    kind: 'learningRate',
    key: `lr ${value}`,
    label: `at lr ${fmt(value)}`,
    code: `{ learningRate: ${fmt(value)} }`,
    decisive: true,
    apply: (t) => ({ ...t, options: { ...t.options, learningRate: value } }),
  }
}

function preprocess(kind: 'standard' | 'robust'): Fix {
  return {
    kind: 'preprocess',
    key: `preprocess ${kind}`,
    label: `with scalers.${kind}() fitted on the training set`,
    code: `{ model, preprocess: scalers.${kind}() }`,
    // Robust scaling keeps an outlier far out (it is still many IQRs away): one remedy for C2, beside clipping.
    decisive: kind === 'standard',
    apply: (t) => ({ ...t, subject: { ...specOf(t.subject), preprocess: kind === 'standard' ? standard() : robust() } }),
  }
}

/** The output activation (and loss) that fits the task, from the same compatibility table as config.ts reads (losses.ts). */
function matchingOutput(info: ModelInfo, task: TrainingRecord['task']): Fix | undefined {
  const loss = info.lossName
  const act = info.outputActivation
  if (act === undefined) return undefined // the output layer has no activation to edit
  const units = info.outputUnits ?? 1
  let change: { activation?: string; loss?: string } | undefined
  if (LOGITS.test(loss) && (act === 'sigmoid' || act === 'softmax')) change = { activation: 'linear' }
  else if (act === 'softmax' && units === 1) change = task === 'regression' ? { activation: 'linear' } : { activation: 'sigmoid', loss: BINARY_PROBABILITY.test(loss) ? undefined : 'binaryCrossentropy' }
  else if ((CATEGORICAL_PROBABILITY.test(loss) || /^softmaxCrossEntropy$/i.test(loss)) && units === 1) change = { activation: 'sigmoid', loss: 'binaryCrossentropy' }
  else if (BINARY_PROBABILITY.test(loss) && act !== 'sigmoid') change = { activation: 'sigmoid' }
  else if (CATEGORICAL_PROBABILITY.test(loss) && act !== 'softmax') change = { activation: 'softmax' }
  else if (HINGE.test(loss) && (act === 'sigmoid' || act === 'softmax')) change = { activation: 'linear' }
  else if (REGRESSION.test(loss) && task === 'binary') change = { activation: 'sigmoid', loss: 'binaryCrossentropy' }
  else if (REGRESSION.test(loss) && task === 'multiclass' && units > 1) change = { activation: 'softmax', loss: 'categoricalCrossentropy' }
  else if (REGRESSION.test(loss) && task === 'regression' && act !== 'linear') change = { activation: 'linear' }
  if (!change || (change.activation === act && change.loss === undefined)) return undefined
  const activation = change.activation !== undefined && change.activation !== act ? change.activation : undefined
  const parts = [activation && `activation '${activation}' on the output layer`, change.loss && `loss '${change.loss}'`].filter(Boolean)
  return {
    kind: 'output',
    key: `output ${activation ?? ''} ${change.loss ?? ''}`,
    label: `with ${parts.join(' and ')}`,
    code: parts.join(', '),
    decisive: true,
    apply: (t) => ({
      subject: activation ? editedSubject(t.subject, (top) => setActivation(top.output, activation), true) : t.subject,
      options: change!.loss ? { ...t.options, loss: change!.loss } : t.options,
      data: t.data,
    }),
  }
}

function setActivation(layer: LayerJSON, activation: string): void {
  layer.config.activation = activation
}

const RELU_LIKE = /^(relu|relu6|elu|selu)$/

/** He initialization for ReLU-family layers, Glorot for the rest; biases start at 0; a constant recurrent kernel becomes orthogonal. */
function reinitialize(): Fix {
  return {
    kind: 'initialization',
    key: 'reinitialize',
    label: 'with he/glorot initialization (biases 0)',
    code: "kernelInitializer: 'heNormal' on ReLU layers, 'glorotUniform' on the others, biasInitializer: 'zeros'",
    decisive: false, // deep saturating stacks vanish under any initialization: the activation or depth is the other remedy
    apply: (t) => ({ ...t, subject: editedSubject(t.subject, (top) => top.layers.forEach(reinitLayer), false) }),
  }
}

const CONSTANT = /^(Constant|Zeros|Ones)$/

function reinitLayer(layer: LayerJSON): void {
  const c = layer.config
  const he = typeof c.activation === 'string' && RELU_LIKE.test(c.activation)
  const scaling = (scale: number, mode: string, distribution: string): unknown => ({ class_name: 'VarianceScaling', config: { scale, mode, distribution, seed: null } })
  for (const key of ['kernel_initializer', 'depthwise_initializer', 'pointwise_initializer']) {
    if (c[key] !== undefined) c[key] = he ? scaling(2, 'fan_in', 'normal') : scaling(1, 'fan_avg', 'uniform')
  }
  if (c.bias_initializer !== undefined) c.bias_initializer = { class_name: 'Zeros', config: {} }
  const recurrent = c.recurrent_initializer as { class_name?: string } | undefined
  if (recurrent && CONSTANT.test(recurrent.class_name ?? '')) c.recurrent_initializer = { class_name: 'Orthogonal', config: { gain: 1, seed: null } }
}

/** Wider hidden layers, or a hidden layer where there is none (capacity-fix.ts), with fresh weights. */
function moreCapacity(): Fix {
  return {
    kind: 'capacity',
    key: 'capacity',
    label: WIDER_LABEL,
    code: 'more units in the hidden layers, or a hidden layer with a non-linear activation',
    // One step of width: a model that needs more still lacks capacity, so its failure refutes nothing.
    decisive: false,
    apply: (t) => ({ ...t, subject: editedSubject(t.subject, widerTopology, false) }),
  }
}

/** Every layer trainable again, with the same weights. */
function unfreeze(): Fix {
  return {
    kind: 'unfreeze',
    key: 'unfreeze',
    label: 'with every layer trainable',
    code: 'layer.trainable = true on the frozen layers',
    decisive: true,
    apply: (t) => ({ ...t, subject: editedSubject(t.subject, (top) => top.layers.forEach((l) => { if (l.config.trainable === false) l.config.trainable = true }), true) }),
  }
}

/**
 * C4 for a custom trainable whose y is shaped unlike its predictions (config.ts `targetShapeFindings`): y regrouped into
 * samples of the prediction's per-sample shape, so the loss scores each prediction against its own label.
 */
function reshapeTargets(perSample: number[]): Fix {
  const shape = `[-1${perSample.map((d) => `, ${d}`).join('')}]`
  return {
    kind: 'labels',
    key: `y ${shape}`,
    label: `with y reshaped to ${shape}`,
    code: `y.reshape(${shape})`,
    decisive: true,
    apply: (t) => ({ ...t, data: reshapedY(t.data, perSample) as typeof t.data }),
  }
}

/** The dataset with y (nested arrays or a tensor, read as arrays) regrouped into samples of `perSample` values. */
function reshapedY(data: unknown, perSample: number[]): unknown {
  if (typeof data !== 'object' || data === null || !('y' in data)) return data
  const y = (data as { y: unknown }).y
  const flat = (y instanceof tf.Tensor ? (y.arraySync() as unknown[]) : (y as unknown[])).flat(Infinity) as number[]
  const group = (values: number[], dims: number[]): unknown => {
    if (dims.length === 0) return values[0]
    const size = dims.slice(1).reduce((a, b) => a * b, 1)
    return Array.from({ length: dims[0]! }, (_, i) => group(values.slice(i * size, (i + 1) * size), dims.slice(1)))
  }
  const size = perSample.reduce((a, b) => a * b, 1)
  const samples = Array.from({ length: flat.length / size }, (_, i) => group(flat.slice(i * size, (i + 1) * size), perSample))
  return { ...(data as object), y: samples }
}

/** A custom trainable without its afterStep (where reduced precision is emulated): float32 throughout. */
function withoutAfterStep(): Fix {
  return {
    kind: 'precision',
    key: 'float32',
    label: 'in float32 (without afterStep)',
    code: 'keep the weights in float32: drop the afterStep that rounds them',
    decisive: true,
    apply: (t) => ({
      ...t,
      subject: mapFactory(t.subject, (made) => {
        if (!isCustom(made) || !made.afterStep) return made
        return Object.assign(Object.create(Object.getPrototypeOf(made) as object) as CustomTrainable, made, { afterStep: undefined })
      }),
    }),
  }
}

export function isCustom(made: unknown): made is CustomTrainable {
  return typeof made === 'object' && made !== null && Array.isArray((made as CustomTrainable).variables) && !(made instanceof tf.LayersModel)
}

function isSpec(subject: Subject): subject is ModelSpec {
  return typeof subject === 'object' && subject !== null && Object.getPrototypeOf(subject) === Object.prototype && 'model' in subject
}

function specOf(subject: Subject): ModelSpec {
  return isSpec(subject) ? subject : { model: subject }
}

function preprocessOf(subject: Subject): unknown {
  return isSpec(subject) ? subject.preprocess : undefined
}

/**
 * The subject with every model it builds passed through `map`, with the variables registered while it was built. A model
 * instance is copied with its weights (editModel) and the copy mapped: the user's instance is never changed.
 */
export function mapFactory(subject: Subject, map: (made: unknown, created: tf.Variable[]) => unknown): Subject {
  const spec = specOf(subject)
  const inner = spec.model
  const model = async (): Promise<unknown> => {
    const before = new Set(Object.keys(tf.engine().registeredVariables))
    const made = inner instanceof tf.LayersModel ? await editModel(inner, () => undefined, { keepWeights: true }) : await (inner as () => unknown)()
    const created = Object.entries(tf.engine().registeredVariables).filter(([name]) => !before.has(name)).map(([, v]) => v)
    return map(made, created)
  }
  return { ...spec, model: model as ModelSpec['model'] }
}

/**
 * The subject with every layers model it builds rebuilt from an edited config; the built original is disposed. The
 * original is built on a copy of the run's seeded stream that is then thrown away, so the edited model draws its
 * initial weights, and the run everything after them, exactly as the user's own edited code would under that seed.
 */
function editedSubject(subject: Subject, edit: (topology: Topology) => void, keepWeights: boolean): Subject {
  const spec = specOf(subject)
  const inner = spec.model
  const model = async (): Promise<unknown> => {
    if (inner instanceof tf.LayersModel) return editModel(inner, edit, { keepWeights })
    const seed = currentSeed()
    const build = async (): Promise<unknown> => (inner as () => unknown)()
    const made = seed === undefined ? await build() : await withSeed(seed, build)
    if (!(made instanceof tf.LayersModel)) return made
    try {
      return await editModel(made, edit, { keepWeights })
    } finally {
      made.dispose()
    }
  }
  return { ...spec, model: model as ModelSpec['model'] }
}
