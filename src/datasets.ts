import * as tf from '@tensorflow/tfjs'
import type { Task } from './types.js'

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
