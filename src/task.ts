import * as tf from '@tensorflow/tfjs'
import { rangeError } from './errors.js'
import { finish, type Steps } from './pace.js'
import { forwardRows } from './slabs.js'
import type { ModelInfo, Trainee } from './subject.js'
import type { Task } from './types.js'

const CLASSIFICATION_LOSS = /crossentropy|hinge|kullback/i
const LOGIT_LOSS = /sigmoidCrossEntropy|softmaxCrossEntropy|logit/i

/** Whether the model's raw output is a logit (threshold 0) rather than a probability or value (threshold 0.5). */
export function outputsLogits(info: ModelInfo): boolean {
  const linear = info.outputActivation === undefined || info.outputActivation === 'linear'
  return linear && LOGIT_LOSS.test(info.lossName)
}

/** The task from the option, else what the model declares, else the labels, else the model's config. */
export function inferTask(info: ModelInfo, y?: tf.Tensor, override?: Task): Task {
  if (override === 'multiclass' && info.outputUnits !== undefined && info.outputUnits < 2) {
    throw rangeError(`options.task 'multiclass' needs one output unit per class, but the model has ${info.outputUnits}; pass { task: 'binary' } or leave task out`)
  }
  if (override) return override
  if (info.declaredTask) return info.declaredTask
  if (y) return taskFromLabels(y, info)
  const classifier = info.outputActivation === 'sigmoid' || info.outputActivation === 'softmax' || CLASSIFICATION_LOSS.test(info.lossName)
  if (!classifier) return 'regression'
  return multiUnitSoftmax(info) ? 'multiclass' : 'binary'
}

/** Several units normalized together (softmax, or a loss that normalizes) choose one class; sigmoid units are independent labels. */
function multiUnitSoftmax(info: ModelInfo): boolean {
  if ((info.outputUnits ?? 1) < 2) return false
  return info.outputActivation !== 'sigmoid' && !/binaryCrossentropy|sigmoidCrossEntropy|logLoss/i.test(info.lossName)
}

/** Width of one target row: the last axis of y, 1 when y holds a single number per sample. */
export function labelWidth(y: tf.Tensor): number {
  return y.rank < 2 ? 1 : y.shape[y.rank - 1]!
}

function taskFromLabels(y: tf.Tensor, info: ModelInfo): Task {
  const values = y.dataSync()
  const width = labelWidth(y)
  const integral = values.every((v) => Number.isInteger(v) && v >= 0)
  if (width === 1 && (info.outputUnits ?? 1) > 1 && integral) return 'multiclass' // class indices
  if (!values.every((v) => v === 0 || v === 1)) return 'regression'
  if (width === 1 || !multiUnitSoftmax(info)) return 'binary' // one or several independent 0/1 labels
  for (let row = 0; row < values.length; row += width) {
    let ones = 0
    for (let j = 0; j < width; j++) ones += values[row + j]!
    if (ones !== 1) return 'regression'
  }
  return 'multiclass'
}

/** Share of predictions the trainee gets right in inference mode: per sample, per position of a sequence, per label of a multi-label output. */
export function accuracy(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, task: Task): number {
  return finish(accuracySteps(trainee, x, y, task))
}

/**
 * accuracy as steps, a forward pass per slab of rows (see forwardRows) with the event loop free to turn between two
 * (see Pacer). A small set is one pass, the float32 mean it always was; a large one counts the right answers exactly.
 */
export function* accuracySteps(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, task: Task): Steps<number> {
  if (task === 'regression') return Number.NaN
  const n = x.shape[0]!
  const rows = forwardRows(trainee, x)
  const right = (xs: tf.Tensor, ys: tf.Tensor): tf.Tensor => tf.cast(tf.equal(predictedClasses(trainee.predict(xs), trainee.info, task), trueClasses(ys, task)), 'float32')
  if (rows >= n) return tf.tidy(() => tf.mean(right(x, y)).dataSync()[0]!)
  let correct = 0
  let answers = 0
  for (let start = 0; start < n; start += rows) {
    if (start > 0) yield
    const m = Math.min(rows, n - start)
    const hits = tf.tidy(() => right(tf.slice(x, start, m), tf.slice(y, start, m)))
    correct += tf.tidy(() => tf.sum(hits).dataSync()[0]!)
    answers += hits.size
    hits.dispose()
  }
  return Math.fround(correct / answers)
}

/** The class at each output position as int32: a thresholded output for binary tasks, the largest of the last axis otherwise. */
export function predictedClasses(prediction: tf.Tensor, info: ModelInfo, task: Exclude<Task, 'regression'>): tf.Tensor1D {
  return tf.tidy(() => {
    if (task === 'binary') return tf.cast(tf.greater(tf.reshape(prediction, [-1]), outputsLogits(info) ? 0 : 0.5), 'int32') as tf.Tensor1D
    return tf.argMax(tf.reshape(prediction, [-1, labelWidth(prediction)]), 1) as tf.Tensor1D
  })
}

/** The class of each label as int32, per output position: binary 0/1, one-hot rows, or sparse class indices. */
export function trueClasses(y: tf.Tensor, task: Exclude<Task, 'regression'>): tf.Tensor1D {
  return tf.tidy(() => {
    if (task === 'binary') return tf.cast(tf.greater(tf.reshape(y, [-1]), 0.5), 'int32') as tf.Tensor1D
    const width = labelWidth(y)
    return (width === 1 ? tf.cast(tf.reshape(y, [-1]), 'int32') : tf.argMax(tf.reshape(y, [-1, width]), 1)) as tf.Tensor1D
  })
}
