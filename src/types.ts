import type * as tf from '@tensorflow/tfjs'
import type { CauseKind, CauseParams } from './findings/catalogue.js'

/** Numbers nested to any depth: `[[0, 1], [1, 0]]`. */
export type NestedNumbers = number | readonly NestedNumbers[]

/** What a matcher trains on: features `x` and targets `y`, as tensors or nested arrays. */
export interface Dataset {
  x: tf.Tensor | NestedNumbers
  y: tf.Tensor | NestedNumbers
}

export type Task = 'binary' | 'multiclass' | 'regression'

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor

/** A hand-written model: trainable variables, a forward pass, and a scalar loss. */
export interface CustomTrainable {
  variables: tf.Variable[]
  predict(x: tf.Tensor): tf.Tensor
  loss(x: tf.Tensor, y: tf.Tensor): tf.Scalar
  /** Shape of one input sample, used to build a default tiny dataset. */
  inputShape?: number[]
  /** Width of the output, used to build a default tiny dataset. */
  outputUnits?: number
  task?: Task
  /** Runs after every optimizer step: a constraint such as clipping or storing weights at reduced precision. */
  afterStep?(): void
  /** Frees tensors the trainable holds besides `variables`. */
  dispose?(): void
}

export type ModelFactory = () => tf.LayersModel | Promise<tf.LayersModel>
export type CustomTrainableFactory = () => CustomTrainable | Promise<CustomTrainable>

/** Learns its statistics on the training features and applies them unchanged afterwards. */
export interface Scaler {
  readonly name: string
  fit(x: tf.Tensor): FittedScaler
}
export interface FittedScaler {
  transform(x: tf.Tensor): tf.Tensor
  dispose(): void
}

export interface CompileOptions {
  /** A tfjs loss name (`'binaryCrossentropy'`) or function. */
  loss?: string | LossFn
  /** A tfjs optimizer name (`'sgd'`, `'adam'`) or instance (only its config is used). */
  optimizer?: string | tf.Optimizer
  learningRate?: number
}

export interface ModelSpec {
  model: tf.LayersModel | ModelFactory | CustomTrainableFactory
  preprocess?: Scaler
  compile?: CompileOptions
}

/** Anything a matcher accepts as the model under test. */
export type Subject = tf.LayersModel | ModelFactory | CustomTrainableFactory | ModelSpec

export type BackendName = 'tensorflow' | 'cpu'
export type BackendChoice = BackendName | 'auto'

/** Options every check accepts. */
export interface RunOptions extends CompileOptions {
  /** Seed of every random source the run touches. Default `TRAINABILITY_SEED` or 42. */
  seed?: number
  /** Backend to train on. Default `TRAINABILITY_BACKEND` or `'auto'` (native when it loads). */
  backend?: BackendChoice
  /** Epoch budget. */
  maxEpochs?: number
  /**
   * Wall-clock budget of the whole matcher in milliseconds: every run it trains, and their setup. Default 20 000 per run
   * the matcher plans (five seeds: 100 000).
   */
  timeoutMs?: number
  /**
   * Mini-batch size. Default: the whole dataset in one batch up to 4096 samples, shuffled batches of 4096 above that
   * (a 4096-sample batch's mean gradient is a full-batch gradient for every check's purposes; see DEFAULT_BATCH).
   */
  batchSize?: number
  /** Overrides the task inferred from the model and labels. */
  task?: Task
  /**
   * On a failure, re-run it with each likely cause's mechanical fix (at most 3, within `timeoutMs` more) under the same
   * seed and backend, and rank the causes whose fix works first. Default true; a passing check never pays for it.
   */
  verify?: boolean
  /**
   * Share one recorded run among the checks that need the same run (same subject, data, seed, backend and run options),
   * within the process. Default true; `false` trains a fresh run for this check (see src/cache.ts).
   */
  cache?: boolean
}

export type Severity = 'error' | 'warning' | 'info'
export type ChecklistId =
  | 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7' | 'C8'
  | 'C9' | 'C10' | 'C11' | 'C12' | 'C13' | 'C14' | 'C15' | 'C16'

/**
 * A likely cause, earned by evidence; built by its kind's constructor in the catalogue (src/findings/catalogue.ts), which
 * writes its id, title, fix, severity and score.
 */
export interface Finding<K extends CauseKind = CauseKind> {
  /** The cause kind: what code tells findings apart by (`f.kind === 'deadRelu'`), never the title. */
  kind: K
  id: ChecklistId
  title: string
  /** The numbers that support it, as a sentence fragment. */
  evidence: string
  fix: string
  severity: Severity
  /** Ranking weight within a severity, higher first. */
  score: number
  /** The finding's fix, applied alone to the same run under the same seed: what happened. */
  verification?: Verification
  /** The typed data the kind's title, fix text and mechanical fix are written from (the C4 reshape's prediction shape). */
  params: CauseParams<K>
}

/** A cause's fix tried on the failing run: `helped` when the re-run met the check's goal (or went much further). */
export interface Verification {
  /** The change, as code: `{ learningRate: 0.01 }`. */
  fix: string
  /** What the re-run did: `at lr 0.01 the same run reaches 0.0081 at epoch 38`. */
  outcome: string
  helped: boolean
}

/**
 * `observer`: a check's observer stopped the run (`toStayFinite` on a non-finite weight); `untrainable`: the run never
 * started because its configuration cannot learn (see the C3/C4/C15 findings).
 */
export type StopReason = 'goal' | 'maxEpochs' | 'timeout' | 'nonFinite' | 'observer' | 'untrainable'

/** What one training run did. */
export interface TrainingRecord {
  /** Mean training loss of each epoch, in order. */
  losses: number[]
  epochs: number
  stoppedBy: StopReason
  /** Training accuracy at the end, for classification tasks. */
  accuracy?: number
  task: Task
  backend: BackendName
  seed: number
  learningRate?: number
  optimizer: string
  elapsedMs: number
  /** Samples per step when the run chose mini-batches itself: a set over 4096 samples trained without `batchSize`. */
  batchSize?: number
}

/** The outcome of a check; checks never throw for a failing model. */
export interface CheckResult {
  pass: boolean
  /** Reads right for the failing direction: `expected … to …` when pass is false, `… not to …` when true. */
  message: string
  record: TrainingRecord
  findings: Finding[]
  /** The curves the check measured, its goal and the epoch where it decided: what a picture of the check draws. */
  curves?: CheckCurves
}

/** One named curve of a check: a loss (or metric) per epoch. */
export interface CurveData {
  label: string
  losses: readonly number[]
  /** Epoch of the first value: 1 (default) for a value recorded after each epoch, 0 when the first precedes training. */
  start?: number
  /**
   * The values' unit when it is not the loss's: `'share'`, a fraction in [0, 1] such as accuracy. A picture draws such a
   * curve against an axis of its own (0 to 1, on the right beside the loss's), never on the loss's scale. Absent: a loss,
   * or a number in the loss's unit (the gap between two losses).
   */
  unit?: 'share'
}

/** A check's curves, the threshold it judged them by and where it decided; numbers and labels only. */
export interface CheckCurves {
  curves: CurveData[]
  /**
   * The check's threshold on the plotted values (`lossBelow`, `maxGap`), labelled: `loss < 0.01`; in the loss's unit
   * unless `unit` says it is a share (toBeatBaseline's accuracy target), read on the shares' axis.
   */
  goal?: { label: string; value: number; unit?: 'share' }
  /** The epoch where the check decided: its goal was met, or the run it judged ended. */
  decidedEpoch?: number
}
