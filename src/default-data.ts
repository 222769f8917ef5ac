import * as tf from '@tensorflow/tfjs'
import { typeError } from './errors.js'
import type { ModelInfo } from './subject.js'
import type { Dataset, Task } from './types.js'

// The datasets a run makes up when the caller gives none, built from the model's own shapes: any input rank (token
// ids below the Embedding's inputDim when one reads the input) and any output rank (a class per sequence position).

/** The default tiny dataset for a model: one sample per class (two for regression), from the model's shapes. */
export function tinyFor(info: ModelInfo, task: Task): Dataset {
  const classes = task === 'multiclass' ? (info.outputUnits ?? 2) : 2
  return tf.tidy(() => {
    const label = tf.range(0, classes, 1, 'int32')
    return { x: inputsFor(info, classes), y: targetsFor(info, task, classes, label) }
  })
}

/** `samples` inputs drawn from N(0, 1) (or uniform token ids) with random labels of the model's task: enough rows for statistics over units. */
export function randomFor(info: ModelInfo, task: Task, samples = 32): Dataset {
  const classes = task === 'multiclass' ? (info.outputUnits ?? 2) : 2
  return tf.tidy(() => {
    const x = inputsFor(info, samples)
    if (task === 'regression') return { x, y: tf.randomNormal([samples, ...outputOf(info)]) }
    const label = tf.cast(tf.floor(tf.mul(tf.randomUniform([samples]), classes)), 'int32') as tf.Tensor1D
    return { x, y: targetsFor(info, task, classes, label) }
  })
}

function fixed(shape: (number | null)[] | undefined, what: string, info: ModelInfo): number[] {
  if (!shape || shape.some((d) => d === null)) {
    throw typeError(
      info.kind === 'custom'
        ? 'cannot build a tiny dataset for a custom trainable without inputShape and outputUnits; declare them on the trainable or pass a dataset'
        : `cannot build a tiny dataset for ${what} shape [${(shape ?? []).map((d) => d ?? 'any').join(', ')}]; pass a dataset`,
    )
  }
  return shape as number[]
}

function inputsFor(info: ModelInfo, samples: number): tf.Tensor {
  const shape = [samples, ...fixed(info.inputShape, 'input', info)]
  if (!info.integerInput) return tf.randomNormal(shape)
  return tf.cast(tf.floor(tf.mul(tf.randomUniform(shape), info.vocabulary ?? 2)), 'int32')
}

function outputOf(info: ModelInfo): number[] {
  return fixed(info.outputShape ?? (info.outputUnits === undefined ? undefined : [info.outputUnits]), 'output', info)
}

/** Targets for one label per sample, repeated over every output position (a sequence's steps, an image's pixels). */
function targetsFor(info: ModelInfo, task: Task, classes: number, label: tf.Tensor1D): tf.Tensor {
  const shape = outputOf(info)
  const n = label.shape[0]
  const positions = shape.slice(0, -1)
  const spread = (perSample: tf.Tensor, width: number): tf.Tensor =>
    tf.broadcastTo(tf.reshape(perSample, [n, ...positions.map(() => 1), width]), [n, ...positions, width])
  if (task === 'regression') return tf.randomNormal([n, ...shape])
  if (task === 'binary') return tf.broadcastTo(tf.reshape(tf.cast(tf.mod(label, 2), 'float32'), [n, ...shape.map(() => 1)]), [n, ...shape])
  if (/sparse/i.test(info.lossName)) return spread(tf.cast(label, 'float32'), 1)
  return spread(tf.oneHot(label, classes).toFloat(), classes)
}
