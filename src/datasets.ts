import * as tf from '@tensorflow/tfjs'
import { typeError } from './errors.js'
import type { ModelInfo } from './subject.js'
import type { Dataset, Task } from './types.js'

/**
 * One sample per class (two points for regression), drawn from the run's seeded stream: the smallest
 * dataset a healthy model must be able to memorize.
 *
 * @example
 * const tiny = datasets.onePerClass({ features: 2, classes: 3 })
 */
export function onePerClass(shape: { features: number | number[]; classes?: number; task?: Task }): { x: tf.Tensor; y: tf.Tensor } {
  const sample = typeof shape.features === 'number' ? [shape.features] : shape.features
  const task: Task = shape.task ?? (shape.classes === undefined ? 'regression' : shape.classes > 2 ? 'multiclass' : 'binary')
  const classes = task === 'regression' ? 2 : (shape.classes ?? 2)
  return tf.tidy(() => {
    const x = tf.randomNormal([classes, ...sample])
    if (task === 'regression') return { x, y: tf.randomNormal([classes, 1]) }
    if (task === 'binary') return { x, y: tf.tensor2d([[0], [1]]) }
    return { x, y: tf.oneHot(tf.range(0, classes, 1, 'int32'), classes).toFloat() }
  })
}

/** The default tiny dataset for a model, from its input shape and output width. */
export function tinyFor(info: ModelInfo, task: Task): Dataset {
  const shape = info.inputShape
  if (!shape || shape.some((d) => d === null)) {
    throw typeError(
      info.kind === 'custom'
        ? 'cannot build a tiny dataset for a custom trainable without inputShape and outputUnits; declare them on the trainable or pass a dataset'
        : `cannot build a tiny dataset for input shape [${(shape ?? []).map((d) => d ?? 'any').join(', ')}]; pass a dataset`,
    )
  }
  const units = info.outputUnits ?? 1
  const data = onePerClass({ features: shape as number[], classes: task === 'multiclass' ? units : 2, task })
  if (task !== 'multiclass' || !/sparse/i.test(info.lossName)) return data
  const sparse = tf.tidy(() => tf.expandDims(tf.argMax(data.y, 1).toFloat(), 1))
  data.y.dispose()
  return { x: data.x, y: sparse }
}

/** `samples` inputs drawn from N(0, 1) with random labels of the model's task: enough rows for statistics over units. */
export function randomFor(info: ModelInfo, task: Task, samples = 32): Dataset {
  const shape = info.inputShape
  if (!shape || shape.some((d) => d === null)) return tinyFor(info, task)
  const units = info.outputUnits ?? 1
  return tf.tidy(() => {
    const x = tf.randomNormal([samples, ...(shape as number[])])
    if (task === 'regression') return { x, y: tf.randomNormal([samples, units]) }
    const classes = task === 'binary' ? 2 : units
    const labels = tf.cast(tf.floor(tf.mul(tf.randomUniform([samples]), classes)), 'int32')
    if (task === 'binary') return { x, y: tf.reshape(tf.cast(labels, 'float32'), [samples, 1]) }
    if (/sparse/i.test(info.lossName)) return { x, y: tf.reshape(tf.cast(labels, 'float32'), [samples, 1]) }
    return { x, y: tf.oneHot(labels, classes).toFloat() }
  })
}
