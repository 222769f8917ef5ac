import * as tf from '@tensorflow/tfjs'
import type { CustomTrainable } from '../types.js'
import { isCustom, mapFactory, type Fix } from './fixes.js'

// The mechanical fixes of C15's frozen and unlisted candidates (frozen.ts): the same model, its weights as the factory
// made them under the run's seed, with every weight it depends on handed to the optimizer.

/** Every layer and every weight of the layers models the subject builds trainable, batch-norm statistics aside. */
export function unfreezeWeights(): Fix {
  return {
    kind: 'unfreeze',
    key: 'unfreeze weights',
    label: 'with every weight trainable',
    code: 'layer.trainable = true, and addWeight(…, trainable = true) for weights meant to learn',
    decisive: true,
    apply: (t) => ({ ...t, subject: mapFactory(t.subject, (made) => (made instanceof tf.LayersModel ? unfrozen(made) : made)) }),
  }
}

/** A custom trainable's `variables` with the trainable variables its factory created and left out. */
export function listCreatedVariables(): Fix {
  return {
    kind: 'unfreeze',
    key: 'list variables',
    label: 'with every variable the factory created in variables',
    code: 'variables: [every tf.variable the loss should learn]',
    decisive: true,
    apply: (t) => ({ ...t, subject: mapFactory(t.subject, (made, created) => (isCustom(made) ? listed(made, created) : made)) }),
  }
}

// Moving statistics are non-trainable by design and updated by their layer (as probes/weights.ts reads them).
const UPDATED_BY_DESIGN = /moving_(mean|variance)/

interface Weights {
  _trainableWeights: tf.LayerVariable[]
  _nonTrainableWeights: tf.LayerVariable[]
}

function unfrozen(model: tf.LayersModel): tf.LayersModel {
  const seen = new Set<tf.layers.Layer>()
  const visit = (layer: tf.layers.Layer): void => {
    if (seen.has(layer)) return
    seen.add(layer)
    layer.trainable = true
    const own = layer as unknown as Weights
    const frozen = own._nonTrainableWeights.filter((w) => !UPDATED_BY_DESIGN.test(w.originalName))
    for (const w of frozen) w.trainable = true
    own._trainableWeights = [...own._trainableWeights, ...frozen]
    own._nonTrainableWeights = own._nonTrainableWeights.filter((w) => !frozen.includes(w))
    for (const w of own._trainableWeights) w.trainable = true
    // A layer's weights may live in layers it holds: a model's layers, an RNN's cell (or cells), a wrapper's layer.
    for (const held of Object.values(layer)) {
      for (const inner of Array.isArray(held) ? held : [held]) if (inner instanceof tf.layers.Layer) visit(inner)
    }
  }
  visit(model as unknown as tf.layers.Layer)
  return model
}

function listed(made: CustomTrainable, created: tf.Variable[]): CustomTrainable {
  const extra = created.filter((v) => v.trainable && !made.variables.includes(v))
  if (extra.length === 0) return made
  // Keep the trainable's prototype (a class instance's methods), as fixes.ts does for afterStep.
  return Object.assign(Object.create(Object.getPrototypeOf(made) as object) as CustomTrainable, made, { variables: [...made.variables, ...extra] })
}
