import * as tf from '@tensorflow/tfjs'
import { describe, typeError } from './errors.js'

/** How to build a fresh optimizer for each run: a class name, its config, and the learning rate. */
export interface OptimizerRecipe {
  name: string
  config: tf.serialization.ConfigDict
}

const BY_NAME: Record<string, () => tf.Optimizer> = {
  sgd: () => tf.train.sgd(0.01),
  adam: () => tf.train.adam(0.001),
  adamax: () => tf.train.adamax(0.002),
  rmsprop: () => tf.train.rmsprop(0.001),
  adagrad: () => tf.train.adagrad(0.01),
  adadelta: () => tf.train.adadelta(1),
}

type OptimizerClass = tf.serialization.SerializableConstructor<tf.Optimizer>

/** Reads the class and config of an optimizer, or of a tfjs optimizer name, without keeping the instance. */
export function recipeOf(optimizer: string | tf.Optimizer, learningRate?: number, where = 'options.optimizer'): OptimizerRecipe {
  let recipe: OptimizerRecipe
  if (typeof optimizer === 'string') {
    const make = BY_NAME[optimizer.toLowerCase()]
    if (!make) {
      throw typeError(`${where} must be one of ${Object.keys(BY_NAME).map((n) => `'${n}'`).join(', ')} or a tf.Optimizer, received ${JSON.stringify(optimizer)}`)
    }
    const probe = make()
    recipe = { name: probe.getClassName(), config: probe.getConfig() }
    probe.dispose()
  } else if (optimizer instanceof tf.Optimizer || isOptimizerLike(optimizer)) {
    recipe = { name: optimizer.getClassName(), config: optimizer.getConfig() }
  } else {
    throw typeError(`${where} must be an optimizer name like 'adam' or a tf.Optimizer, received ${describe(optimizer)}`)
  }
  if (learningRate !== undefined) {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw typeError(`options.learningRate must be a positive number, received ${String(learningRate)}`)
    }
    recipe.config = { ...recipe.config, learningRate }
  }
  return recipe
}

function isOptimizerLike(value: unknown): value is tf.Optimizer {
  const v = value as Partial<tf.Optimizer> | null
  return typeof v?.getClassName === 'function' && typeof v.getConfig === 'function' && typeof v.minimize === 'function'
}

/** A new optimizer with no state, built from a recipe. */
export function makeOptimizer(recipe: OptimizerRecipe): tf.Optimizer {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap
  const entry = registry[recipe.name] as [OptimizerClass, (cls: OptimizerClass, config: tf.serialization.ConfigDict) => tf.Optimizer] | undefined
  if (!entry) throw typeError(`optimizer class '${recipe.name}' is not registered with tf.serialization; register it or pass { optimizer: 'adam' }`)
  const [cls, fromConfig] = entry
  return fromConfig(cls, recipe.config)
}

export function learningRateOf(recipe: OptimizerRecipe): number | undefined {
  const lr = recipe.config.learningRate
  return typeof lr === 'number' ? lr : undefined
}
