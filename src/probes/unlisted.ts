import * as tf from '@tensorflow/tfjs'
import type { Trainee } from '../subject.js'

/** A trainable tf.variable a custom loss reads that is not among the variables the loop trains (C15). */
export interface UnlistedVariable {
  /** Its own name, or `a [2, 1] variable` when tfjs named it by number. */
  name: string
  shape: number[]
  /** L2 norm of the loss's gradient with respect to it on the probed rows. */
  gradient: number
}

/**
 * C15: the trainable variables a custom trainable's loss depends on that its `variables` leave out. The loop hands only
 * `variables` to the optimizer, so such a variable keeps its initial value however long the model trains.
 * `tf.variableGrads(f)` without a list differentiates with respect to every registered trainable variable and returns a
 * gradient only for those the loss is connected to: another model's variables are not, unless this loss reads them,
 * which is the very defect. A layers model trains what its layers declare; its weights are read in C15's frozen rule.
 * Call after training: the loss may draw random numbers (dropout), which must not shift a run.
 */
export function unlistedVariables(trainee: Trainee, x: tf.Tensor, y: tf.Tensor): UnlistedVariable[] {
  if (trainee.info.kind !== 'custom') return []
  const listed = new Set([...trainee.variables, ...trainee.frozen].map((v) => v.name))
  const registered = tf.engine().registeredVariables
  try {
    return tf.tidy(() => {
      const { grads } = tf.variableGrads(() => trainee.loss(x, y))
      const names = Object.keys(grads).filter((name) => !listed.has(name))
      if (names.length === 0) return []
      const norms = tf.stack(names.map((name) => tf.norm(grads[name]!))).dataSync()
      return names.map((name, i) => {
        const shape = registered[name]?.shape ?? grads[name]!.shape
        return { name: /^\d+$/.test(name) ? `a [${shape.join(', ')}] variable` : name, shape, gradient: norms[i]! }
      })
    })
  } catch {
    return [] // no registered trainable variable at all, or none connected: the run's own step reports that
  }
}
