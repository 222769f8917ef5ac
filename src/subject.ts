import * as tf from '@tensorflow/tfjs'
import { describe, typeError } from './errors.js'
import { freeOnThrow } from './ownership.js'
import { learningRateOf, makeOptimizer, recipeOf, type OptimizerRecipe } from './optimizer.js'
import type { CompileOptions, CustomTrainable, LossFn, RunOptions, Scaler, Subject, Task } from './types.js'

/** What the checks and the diagnosis may know about the model, read from its config. */
export interface ModelInfo {
  kind: 'layers' | 'custom'
  /** Shape of one input sample; null entries are free. */
  inputShape?: (number | null)[]
  /** Shape of one output sample (`[12]`, `[3, 12]` for a sequence, `[28, 28, 1]` for an image); null entries are free. */
  outputShape?: (number | null)[]
  /** Width of the last output axis: units of a dense output, classes of a softmax. */
  outputUnits?: number
  /** Inputs are integer ids (an Embedding layer reads them): never scaled, never differentiated. */
  integerInput?: boolean
  /** Number of distinct ids the Embedding accepts (its inputDim). */
  vocabulary?: number
  /** Activation of the output layer, e.g. 'sigmoid', 'softmax', 'linear'. */
  outputActivation?: string
  /** The loss's name: a tfjs name like 'binaryCrossentropy', a function's name, or 'custom'. */
  lossName: string
  optimizer: string
  learningRate?: number
  declaredTask?: Task
}

/** A fresh, owned, trainable copy of the subject for one run. */
export interface Trainee {
  info: ModelInfo
  /** Trainable variables, in layer order. */
  variables: tf.Variable[]
  /** Variables that must not change (non-trainable weights). */
  frozen: tf.Variable[]
  /** A readable name (`dense_Dense1/kernel`, see weightName) and the layer of each trainable variable, then of each frozen one. */
  names: { variables: string[]; frozen: string[] }
  layerOf: string[]
  /** The layers model under training, for probes that look inside it. */
  model?: tf.LayersModel
  optimizer: tf.Optimizer
  /** Inference-mode forward pass. */
  predict(x: tf.Tensor): tf.Tensor
  /** Training-mode mean loss, regularization included. */
  loss(x: tf.Tensor, y: tf.Tensor): tf.Scalar
  /** Runs after every optimizer step (a custom trainable's constraint, e.g. clipping or quantizing). */
  afterStep?(): void
  /** Mean loss of a given prediction, no regularization; layers models only (a custom loss closes over its own predict). */
  lossOf?(y: tf.Tensor, prediction: tf.Tensor): tf.Scalar
  dispose(): void
}

/** Builds trainees; call `create` inside the run's seed so initializers draw from it. */
export interface TraineeSource {
  create(): Promise<Trainee>
  preprocess?: Scaler
}

const SUBJECT_HELP =
  'pass a tf.LayersModel, a factory () => model, { model, preprocess?, compile? }, or a custom trainable factory () => ({ variables, predict, loss })'

/** Turns whatever the user passed to `expect(...)` into a source of fresh trainees. Throws TypeError for anything else. */
export async function resolveSubject(subject: Subject | unknown, options: RunOptions): Promise<TraineeSource> {
  if (isLayersModel(subject)) return layersSource(await snapshot(subject, 'the model'), subject, options, {})
  if (typeof subject === 'function') return factorySource(subject as () => unknown, options, {})
  if (isPlainObject(subject) && 'model' in subject) {
    const spec = subject as { model: unknown; preprocess?: unknown; compile?: unknown }
    const preprocess = checkScaler(spec.preprocess)
    const compile = (spec.compile ?? {}) as CompileOptions
    if (typeof compile !== 'object') throw typeError(`subject.compile must be { loss?, optimizer?, learningRate? }, received ${describe(spec.compile)}`)
    let source: TraineeSource
    if (isLayersModel(spec.model)) source = layersSource(await snapshot(spec.model, 'subject.model'), spec.model, options, compile)
    else if (typeof spec.model === 'function') source = factorySource(spec.model as () => unknown, options, compile)
    else throw typeError(`subject.model must be a tf.LayersModel or a factory, received ${describe(spec.model)}; ${SUBJECT_HELP}`)
    return { ...source, preprocess }
  }
  if (isCustomTrainable(subject)) {
    throw typeError('received a custom trainable object; pass a factory () => ({ variables, predict, loss }) so that every run starts from fresh variables')
  }
  throw typeError(`expected a model to test, received ${describe(subject)}; ${SUBJECT_HELP}`)
}

function checkScaler(value: unknown): Scaler | undefined {
  if (value === undefined) return undefined
  const s = value as Partial<Scaler> | null
  if (typeof s?.fit !== 'function') {
    throw typeError(`subject.preprocess must be a scaler such as scalers.standard(), received ${describe(value)}`)
  }
  return s as Scaler
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}

function isLayersModel(value: unknown): value is tf.LayersModel {
  if (value instanceof tf.LayersModel) return true
  const v = value as Partial<tf.LayersModel> | null
  return typeof v === 'object' && v !== null && Array.isArray(v.layers) && typeof v.predict === 'function' && typeof v.getWeights === 'function'
}

function isCustomTrainable(value: unknown): value is CustomTrainable {
  const v = value as Partial<CustomTrainable> | null
  return typeof v === 'object' && v !== null && Array.isArray(v.variables) && typeof v.predict === 'function' && typeof v.loss === 'function'
}

type Artifacts = tf.io.ModelArtifacts

/** Copies the caller's model without touching it: topology and weights, never its optimizer state. */
async function snapshot(model: tf.LayersModel, what: string): Promise<Artifacts> {
  if (isDisposed(model)) {
    throw typeError(`${what} has been disposed (model.dispose() was called); pass a model that is still alive, or a factory () => model that builds a new model for every run`)
  }
  checkSingleIO(model)
  let artifacts: Artifacts | undefined
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  if (!artifacts) throw new Error('trainability: saving the model to memory produced nothing')
  return { ...artifacts, trainingConfig: undefined }
}

/** A disposed model's weights are disposed; a weightless one counts its own disposal in `_refCount`. */
function isDisposed(model: tf.LayersModel): boolean {
  if ((model as unknown as { _refCount: number | null })._refCount === 0) return true
  return model.weights.some((w) => (w as unknown as { val: tf.Variable }).val?.isDisposed === true)
}

function checkSingleIO(model: tf.LayersModel): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw typeError(`the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; trainability tests models with one input and one output`)
  }
}

function layersSource(artifacts: Artifacts, original: tf.LayersModel, options: RunOptions, compile: CompileOptions): TraineeSource {
  const training = trainingSpec(original, options, compile)
  return {
    async create() {
      const clone = await tf.loadLayersModel(tf.io.fromMemory(artifacts))
      return layersTrainee(clone, training)
    },
  }
}

function factorySource(factory: () => unknown, options: RunOptions, compile: CompileOptions): TraineeSource {
  // Every run trains its model and disposes it: a factory handing back one it made before would train a disposed model.
  const returned = new WeakSet<object>()
  return {
    async create() {
      const made = await factory()
      if (typeof made === 'object' && made !== null) {
        if (returned.has(made)) {
          throw typeError('the factory returned the same model instance twice; each run trains and disposes its model, so the factory must build a new model on every call, e.g. () => { const m = tf.sequential(...); m.compile(...); return m }')
        }
        returned.add(made)
      }
      if (isLayersModel(made)) {
        if (isDisposed(made)) {
          throw typeError('the factory returned a disposed model (model.dispose() was called on it); the factory must build a new model on every call')
        }
        checkSingleIO(made)
        let training: TrainingSpec
        try {
          training = trainingSpec(made, options, compile)
        } catch (error) {
          made.dispose()
          throw error
        }
        made.optimizer?.dispose() // the factory's own optimizer: we train with a fresh one from its config
        return layersTrainee(made, training)
      }
      if (isCustomTrainable(made)) return customTrainee(made, options, compile)
      throw typeError(`the factory returned ${describe(made)}; it must return a tf.LayersModel or { variables, predict, loss }`)
    },
  }
}

interface TrainingSpec {
  loss: string | LossFn
  lossName: string
  recipe: OptimizerRecipe
}

/** The loss and optimizer a run uses: matcher options first, then the spec's compile, then the model's own compile. */
function trainingSpec(model: tf.LayersModel, options: RunOptions, compile: CompileOptions): TrainingSpec {
  const modelLoss = model.loss as string | string[] | LossFn | undefined
  const loss = options.loss ?? compile.loss ?? (Array.isArray(modelLoss) ? modelLoss[0] : modelLoss)
  if (loss === undefined || (typeof loss !== 'string' && typeof loss !== 'function')) {
    throw typeError(
      'the model is not compiled and no loss was given: compile it, e.g. model.compile({ loss: \'binaryCrossentropy\', optimizer: \'adam\' }), ' +
        'or pass { loss, optimizer, learningRate } to the matcher',
    )
  }
  const optimizer = options.optimizer ?? compile.optimizer ?? model.optimizer ?? 'adam'
  const where = options.optimizer !== undefined ? 'options.optimizer' : 'subject.compile.optimizer'
  const recipe = recipeOf(optimizer, options.learningRate ?? compile.learningRate, where)
  return { loss, lossName: typeof loss === 'string' ? loss : lossFunctionName(loss), recipe }
}

/** A loss function's name without the suffix tfjs gives its ops: `sigmoidCrossEntropy__op` → `sigmoidCrossEntropy`. */
function lossFunctionName(fn: (...args: never[]) => unknown): string {
  return fn.name.replace(/_+op$|_+$/, '') || 'custom'
}

type CompiledInternals = { lossFunctions?: LossFn[]; model?: { lossFunctions?: LossFn[] }; calculateLosses?: () => tf.Scalar[] }

function layersTrainee(model: tf.LayersModel, spec: TrainingSpec): Trainee {
  const optimizer = makeOptimizer(spec.recipe)
  try {
    model.compile({ loss: spec.loss, optimizer })
  } catch (error) {
    model.dispose()
    optimizer.dispose()
    throw typeError(`options.loss ${JSON.stringify(spec.lossName)} is not a loss tfjs knows: ${(error as Error).message}`)
  }
  const internals = model as unknown as CompiledInternals
  const lossFn = (internals.lossFunctions ?? internals.model?.lossFunctions)?.[0]
  if (!lossFn) throw new Error('trainability: the compiled model exposes no loss function')
  const out = model.outputs[0]!.shape
  const embedding = firstEmbedding(model)
  // Regularizers are fixed by the architecture: look once, not on every step.
  const regularized = tf.tidy(() => (internals.calculateLosses?.() ?? []).length > 0)
  return {
    info: {
      kind: 'layers',
      inputShape: model.inputs[0]!.shape.slice(1),
      outputShape: out.slice(1),
      outputUnits: out[out.length - 1] ?? undefined,
      integerInput: embedding !== undefined || model.inputs[0]!.dtype === 'int32' || undefined,
      vocabulary: embedding,
      outputActivation: outputActivation(model),
      lossName: spec.lossName,
      optimizer: spec.recipe.name,
      learningRate: learningRateOf(spec.recipe),
    },
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    frozen: model.nonTrainableWeights.map((w) => w.read() as tf.Variable),
    names: { variables: model.trainableWeights.map(weightName), frozen: model.nonTrainableWeights.map(weightName) },
    layerOf: model.trainableWeights.map((w) => weightName(w).split('/')[0]!),
    model,
    optimizer,
    predict: (x) => model.apply(x, { training: false }) as tf.Tensor, // differentiable, unlike model.predict
    lossOf: (y, prediction) => meanLoss(lossFn, y, prediction),
    loss: (x, y) => {
      const prediction = model.apply(x, { training: true }) as tf.Tensor
      const mean = meanLoss(lossFn, y, prediction)
      return regularized ? internals.calculateLosses!().reduce((total, extra) => tf.add(total, extra), mean) : mean
    },
    dispose() {
      model.dispose()
      optimizer.dispose()
    },
  }
}

/** The mean of a loss function's values; a function that returns no tensor (a forgotten `return`) is named, not left to tf.mean. */
function meanLoss(lossFn: LossFn, y: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  const value: unknown = lossFn(y, prediction)
  if (!(value instanceof tf.Tensor)) {
    throw typeError(`the loss function (options.loss, subject.compile.loss or the model's compile) must return a tensor, received ${describe(value)}; return the per-sample or mean loss, e.g. (yTrue, yPred) => tf.losses.meanSquaredError(yTrue, yPred)`)
  }
  return tf.mean(value) as tf.Scalar
}

/** `dense_Dense1/kernel` without the suffix a clone adds (`kernel_1`), so names match across runs. */
function weightName(w: tf.LayerVariable): string {
  return w.originalName.replace(/_\d+$/, '')
}

/** The inputDim of an Embedding layer that reads the model's input directly, if there is one. */
function firstEmbedding(model: tf.LayersModel): number | undefined {
  const input = model.inputs[0]!
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Embedding') continue
    const reads = layer.inboundNodes.some((node) => node.inputTensors.some((t) => t.id === input.id))
    if (reads) return Number(layer.getConfig().inputDim)
  }
  return undefined
}

function outputActivation(model: tf.LayersModel): string | undefined {
  const layer = model.layers[model.layers.length - 1]
  const activation = layer?.getConfig().activation
  return typeof activation === 'string' ? activation : undefined
}

/** A custom variable's own name, or its position when tfjs named it by number. */
function customName(v: tf.Variable, i: number): string {
  return /^\d+$/.test(v.name) ? `variables[${i}]` : v.name
}

function customTrainee(made: CustomTrainable, options: RunOptions, compile: CompileOptions): Trainee {
  const optimizerOption = options.optimizer ?? compile.optimizer
  const learningRate = options.learningRate ?? compile.learningRate
  const disposeAll = (): void => {
    for (const v of made.variables) v.dispose()
    made.dispose?.()
  }
  if (optimizerOption === undefined && learningRate === undefined) {
    disposeAll()
    throw typeError('a custom trainable has no optimizer of its own: pass { learningRate } (plain SGD) or { optimizer, learningRate } to the matcher')
  }
  let recipe: OptimizerRecipe
  try {
    recipe = recipeOf(optimizerOption ?? 'sgd', learningRate)
  } catch (error) {
    disposeAll()
    throw error
  }
  const optimizer = makeOptimizer(recipe)
  return {
    info: {
      kind: 'custom',
      inputShape: made.inputShape,
      outputShape: made.outputUnits === undefined ? undefined : [made.outputUnits],
      outputUnits: made.outputUnits,
      lossName: lossFunctionName(made.loss),
      optimizer: recipe.name,
      learningRate: learningRateOf(recipe),
      declaredTask: made.task,
    },
    variables: made.variables.filter((v) => v.trainable),
    frozen: made.variables.filter((v) => !v.trainable),
    names: {
      variables: made.variables.filter((v) => v.trainable).map(customName),
      frozen: made.variables.filter((v) => !v.trainable).map(customName),
    },
    layerOf: made.variables.filter((v) => v.trainable).map(customName),
    optimizer,
    predict: (x) => made.predict(x),
    loss: (x, y) => freeOnThrow(() => {
      let value: unknown
      try {
        value = made.loss(x, y)
      } catch (error) {
        // x and y reach the loss exactly as the caller gave them: a shape the loss cannot take is the caller's to fix.
        throw typeError(
          `the custom trainable's loss(x, y) threw on x of shape [${x.shape.join(', ')}] and y of shape [${y.shape.join(', ')}]: ` +
            `${(error as Error).message}; pass the dataset in the shapes your loss expects`,
        )
      }
      if (value instanceof tf.Tensor && value.rank === 0) return value as tf.Scalar
      const received = value instanceof tf.Tensor ? `a tensor of shape [${value.shape.join(', ')}]` : describe(value)
      if (value instanceof tf.Tensor) value.dispose()
      throw typeError(`the custom trainable's loss(x, y) must return a scalar tensor (the mean loss), received ${received}; reduce it, e.g. return tf.mean(perSampleLoss)`)
    }),
    afterStep: made.afterStep && (() => made.afterStep!()),
    dispose() {
      disposeAll()
      optimizer.dispose()
    },
  }
}
