import * as tf from '@tensorflow/tfjs'
import { onePerClass } from './datasets.js'
import { typeError } from './errors.js'
import type { ModelInfo } from './subject.js'
import type { Dataset, Task } from './types.js'

// The datasets a run makes up when the caller gives none, built from the model's own shapes.

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
