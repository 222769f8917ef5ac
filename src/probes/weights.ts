import * as tf from '@tensorflow/tfjs'
import type { Trainee } from '../subject.js'

/** How one variable moved between two snapshots (C15). */
export interface WeightChange {
  name: string
  trainable: boolean
  changed: boolean
  /** Largest absolute change of an entry, and largest absolute initial entry. */
  maxDelta: number
  scale: number
  finite: boolean
}

export type WeightSnapshot = Float32Array[]

/** Copies of every variable, trainable then frozen. */
export function snapshot(trainee: Trainee): WeightSnapshot {
  return [...trainee.variables, ...trainee.frozen].map((v) => Float32Array.from(v.dataSync()))
}

// Moving statistics of batch normalization are non-trainable by design and updated by training.
const UPDATED_BY_DESIGN = /moving_(mean|variance)/

export function compare(trainee: Trainee, before: WeightSnapshot, after: WeightSnapshot): WeightChange[] {
  const names = [...trainee.names.variables, ...trainee.names.frozen]
  return names.flatMap((name, i) => {
    const trainable = i < trainee.variables.length
    if (!trainable && UPDATED_BY_DESIGN.test(name)) return []
    const a = before[i]!
    const b = after[i]!
    let maxDelta = 0
    let scale = 0
    let changed = false
    let finite = true
    for (let k = 0; k < a.length; k++) {
      if (!Object.is(a[k], b[k])) changed = true
      if (!Number.isFinite(b[k]!)) finite = false
      maxDelta = Math.max(maxDelta, Math.abs(b[k]! - a[k]!))
      scale = Math.max(scale, Math.abs(a[k]!))
    }
    return [{ name, trainable, changed, maxDelta, scale, finite }]
  })
}

/** The first variable holding NaN or ±Infinity, if any. */
export function firstNonFiniteWeight(trainee: Trainee): string | undefined {
  const vars = [...trainee.variables, ...trainee.frozen]
  const flags = tf.tidy(() => tf.stack(vars.map((v) => tf.all(tf.isFinite(v)))).dataSync())
  const bad = flags.findIndex((ok) => !ok)
  return bad === -1 ? undefined : [...trainee.names.variables, ...trainee.names.frozen][bad]
}

/** Layers whose units all start with (or keep) identical incoming weights: symmetry never broken (C11). */
export function symmetricLayers(trainee: Trainee): { layer: string; units: number }[] {
  const out: { layer: string; units: number }[] = []
  trainee.variables.forEach((v, i) => {
    if (v.rank !== 2 || v.shape[1]! < 2 || !/kernel/.test(trainee.names.variables[i]!)) return
    const [rows, cols] = v.shape as [number, number]
    const values = v.dataSync()
    if (!values.every(Number.isFinite)) return // NaN everywhere is divergence, not symmetry
    const column = (c: number): string => Array.from({ length: rows }, (_, r) => values[r * cols + c]).join(',')
    const first = column(0)
    let same = 1
    for (let c = 1; c < cols; c++) if (column(c) === first) same++
    if (same === cols) out.push({ layer: trainee.layerOf[i]!, units: cols })
  })
  return out
}

/**
 * C15: the non-trainable variables of a custom trainable that its loss depends on. A custom trainable's `variables`
 * are the ones its loop hands to the optimizer, and `optimizer.minimize(f, false, variables)` silently drops a
 * non-trainable one (tfjs's variableGrads filters them out): a variable listed there, created with
 * `tf.variable(value, false)` and used by the loss, is one the user meant to train and that can never learn. A
 * listed non-trainable variable the loss does not use is state (a step counter, running statistics) and is not
 * reported; nor are a layers model's non-trainable weights, frozen on purpose (`layer.trainable = false`) or
 * batch-norm statistics. Call after training: the loss may draw random numbers (dropout), which must not shift a run.
 */
export function untrainableUsed(trainee: Trainee, x: tf.Tensor, y: tf.Tensor): string[] {
  if (trainee.info.kind !== 'custom') return []
  return trainee.frozen.flatMap((v, i) => {
    const name = trainee.names.frozen[i]!
    // variableGrads skips non-trainable variables: mark it trainable for the one question, then restore it.
    v.trainable = true
    try {
      tf.tidy(() => {
        tf.variableGrads(() => trainee.loss(x, y), [v])
      })
      return [name]
    } catch {
      return [] // "Cannot find a connection between any variable and the result of the loss function"
    } finally {
      v.trainable = false
    }
  })
}
