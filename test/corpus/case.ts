import type * as tf from '@tensorflow/tfjs'
import type { ChecklistId, CustomTrainable, NestedNumbers } from '../../src/types.js'

/**
 * What the user meant the model to learn, independent of how the (possibly buggy) labels encode it: the
 * yardstick of the sanity test. A binary output is read the way the fixed model's loss reads it: a probability
 * (threshold 0.5) for binary cross-entropy, a logit or margin (threshold 0) for a from-logits loss or hinge.
 */
export type Truth =
  | { task: 'binary'; labels: number[]; threshold: number }
  | { task: 'multiclass'; labels: number[] }
  | { task: 'regression'; targets: number[][] }

/** A dataset as the user hands it to training (`x`, `y`) plus what it was meant to say (`truth`). */
export interface Labelled {
  x: NestedNumbers
  y: NestedNumbers
  truth: Truth
}

/** One runnable configuration: the model, its data and its budget. */
export interface Setup {
  build: () => tf.LayersModel | CustomTrainable
  train: Labelled
  validation?: Labelled
  /** The epoch budget: diagnose's `maxEpochs` and the sanity run's epochs alike. */
  maxEpochs: number
  /** Mini-batch size; absent: the whole training set in one batch (diagnose's default). */
  batchSize?: number
  /** Custom trainables only: a fresh optimizer for every run. */
  optimizer?: () => tf.Optimizer
  /** Which sanity criterion judges it (plain.ts): `learns` (the default) or `fits` (the claim is an exact fit). */
  criterion?: 'learns' | 'fits'
}

export type Family = 'dense' | 'conv1d' | 'conv2d' | 'recurrent' | 'embedding' | 'custom-trainable' | 'custom-layer'

export interface Case {
  name: string
  family: Family
  /** The one checklist id a competent engineer would give, decided before running anything; or 'healthy'. */
  expected: ChecklistId | 'healthy'
  /** The real report that inspired it, where there is one. */
  source?: string
  /** One line describing the bug. */
  bug?: string
  /** The one-line fix, as code. */
  fix?: string
  /** As the user wrote it (with the bug, for a broken case). */
  setup: Setup
  /** The same setup with the fix applied: it differs from `setup` in that one line. */
  fixed?: Setup
}

interface Meta {
  name: string
  family: Family
  source?: string
}

/**
 * A broken case from one maker: `make(false)` is the user's code, `make(true)` the fix, and the maker differs
 * between them in exactly one line (a `fixed ? … : …`), which is `fix`.
 */
export function broken(meta: Meta & { expected: ChecklistId; bug: string; fix: string }, make: (fixed: boolean) => Setup): Case {
  return { ...meta, setup: make(false), fixed: make(true) }
}

export function healthy(meta: Meta, make: () => Setup): Case {
  return { ...meta, expected: 'healthy', setup: make() }
}

export function isCustom(model: tf.LayersModel | CustomTrainable): model is CustomTrainable {
  return !('layers' in model) && 'variables' in model && typeof (model as CustomTrainable).loss === 'function'
}
