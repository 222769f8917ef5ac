import * as tf from '@tensorflow/tfjs'
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
  if (override) return override
  if (info.declaredTask) return info.declaredTask
  if (y) return taskFromLabels(y, info)
  const classifier = info.outputActivation === 'sigmoid' || info.outputActivation === 'softmax' || CLASSIFICATION_LOSS.test(info.lossName)
  if (!classifier) return 'regression'
  return (info.outputUnits ?? 1) > 1 ? 'multiclass' : 'binary'
}

function taskFromLabels(y: tf.Tensor, info: ModelInfo): Task {
  const values = y.dataSync()
  const width = y.shape[y.shape.length - 1] ?? 1
  const integral = values.every((v) => Number.isInteger(v) && v >= 0)
  if (width === 1 && (info.outputUnits ?? 1) > 1 && integral) return 'multiclass' // sparse labels
  if (!values.every((v) => v === 0 || v === 1)) return 'regression'
  if (width === 1) return 'binary'
  for (let row = 0; row < values.length; row += width) {
    let ones = 0
    for (let j = 0; j < width; j++) ones += values[row + j]!
    if (ones !== 1) return 'regression'
  }
  return 'multiclass'
}

/** Share of samples the trainee classifies right, in inference mode. */
export function accuracy(trainee: Trainee, x: tf.Tensor, y: tf.Tensor, task: Task): number {
  if (task === 'regression') return Number.NaN
  return tf.tidy(() => {
    const predicted = predictedClasses(trainee.predict(x), trainee.info, task)
    return tf.mean(tf.cast(tf.equal(predicted, trueClasses(y, task)), 'float32')).dataSync()[0]!
  })
}

/** The class of each sample as int32: a thresholded output for binary tasks, the largest output otherwise. */
export function predictedClasses(prediction: tf.Tensor, info: ModelInfo, task: Exclude<Task, 'regression'>): tf.Tensor1D {
  return tf.tidy(() => {
    if (task === 'binary') return tf.cast(tf.greater(tf.reshape(prediction, [-1]), outputsLogits(info) ? 0 : 0.5), 'int32') as tf.Tensor1D
    return tf.argMax(tf.reshape(prediction, [prediction.shape[0]!, -1]), 1) as tf.Tensor1D
  })
}

/** The class of each label as int32: binary 0/1, one-hot rows, or sparse class indices. */
export function trueClasses(y: tf.Tensor, task: Exclude<Task, 'regression'>): tf.Tensor1D {
  return tf.tidy(() => {
    if (task === 'binary') return tf.cast(tf.greater(tf.reshape(y, [-1]), 0.5), 'int32') as tf.Tensor1D
    const width = y.shape[y.shape.length - 1] ?? 1
    return (width === 1 ? tf.cast(tf.reshape(y, [-1]), 'int32') : tf.argMax(y, 1)) as tf.Tensor1D
  })
}
