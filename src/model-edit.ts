import * as tf from '@tensorflow/tfjs'
import { makeOptimizer, recipeOf } from './optimizer.js'

/** The model cannot be rebuilt from its config (an unregistered custom layer): a fix that edits it does not apply. */
export class NotEditable extends Error {
  constructor(why: string) {
    super(`the model cannot be rebuilt from its config: ${why}`)
    this.name = 'NotEditable'
  }
}

/** One layer of a model's JSON topology (pythonic keys, as `model.toJSON` writes them). */
export interface LayerJSON {
  class_name: string
  name?: string
  config: Record<string, unknown>
}

/** What an edit may change: the layers in order, and the name of the output layer. */
export interface Topology {
  layers: LayerJSON[]
  output: LayerJSON
}

/**
 * A new model built from `model`'s config after `edit` changed it (toJSON → edit → fromJSON), compiled with the same
 * loss and a fresh optimizer of the same recipe; with `keepWeights`, the old weights copied in (the edit must
 * keep every weight's shape). Call it inside the run's seed: the new model's initializers draw from it. `model` is untouched.
 */
export async function editModel(
  model: tf.LayersModel,
  edit: (topology: Topology) => void,
  { keepWeights }: { keepWeights: boolean },
): Promise<tf.LayersModel> {
  const json = model.toJSON(null, false) as unknown as { config: { layers: LayerJSON[]; output_layers?: unknown[][] } }
  const config = json.config
  const outName = config.output_layers?.[0]?.[0]
  const output = (typeof outName === 'string' ? config.layers.find((l) => l.name === outName || l.config.name === outName) : undefined) ?? config.layers[config.layers.length - 1]!
  edit({ layers: config.layers, output })
  let fresh: tf.LayersModel
  try {
    fresh = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelArtifacts['modelTopology'] } as never)
  } catch (error) {
    // A custom layer not registered with tf.serialization.registerClass cannot be rebuilt from its config.
    throw new NotEditable((error as Error).message)
  }
  if (keepWeights) fresh.setWeights(model.getWeights())
  const oldLoss = model.loss as unknown
  const compiledLoss = (Array.isArray(oldLoss) ? oldLoss[0] : oldLoss) as string | undefined
  // An uncompiled model takes loss and optimizer from the options, as the original did.
  if (compiledLoss !== undefined && model.optimizer) fresh.compile({ loss: compiledLoss, optimizer: makeOptimizer(recipeOf(model.optimizer)) })
  return fresh
}
