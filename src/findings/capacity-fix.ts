import type { LayerJSON, Topology } from '../model-edit.js'

/** The least width the capacity fix gives a hidden layer, and how many times wider it makes one: a remedy step, as a rate ×10 is. */
const MIN_WIDTH = 16
const WIDER = 4

/**
 * C7's mechanical fix, as an edit of a layers model's config: every hidden layer with units or filters made 4× wider
 * (at least 16) and a linear hidden dense layer tanh, and a sequential model that has no hidden layer given one (16 tanh units) before its output. The
 * model is rebuilt with fresh weights drawn from the run's seed (fixes.ts editedSubject).
 */
export function widerTopology(topology: Topology): void {
  const hidden = topology.layers.filter((l) => l !== topology.output && (typeof l.config.units === 'number' || typeof l.config.filters === 'number'))
  for (const layer of hidden) {
    for (const key of ['units', 'filters'] as const) {
      const width = layer.config[key]
      if (typeof width === 'number') layer.config[key] = Math.max(MIN_WIDTH, WIDER * width)
    }
    // Linear hidden layers compose to one linear map: width adds nothing until they bend.
    if (layer.class_name === 'Dense' && (layer.config.activation ?? 'linear') === 'linear') layer.config.activation = 'tanh'
  }
  const sequential = topology.layers.every((l) => !('inbound_nodes' in l))
  if (hidden.length > 0 || !sequential || topology.output.class_name !== 'Dense') return
  const at = topology.layers.indexOf(topology.output)
  const layer: LayerJSON = { class_name: 'Dense', config: { units: MIN_WIDTH, activation: 'tanh', use_bias: true, name: 'capacity_hidden', trainable: true, dtype: 'float32' } }
  // The first layer carries the input shape: it moves to the new one.
  const shape = topology.output.config.batch_input_shape
  if (shape !== undefined) {
    layer.config.batch_input_shape = shape
    delete topology.output.config.batch_input_shape
  }
  topology.layers.splice(at, 0, layer)
}

/** How the fix's re-run differed, completing "verified: … the same run …". */
export const WIDER_LABEL = `with hidden layers ${WIDER}× wider (at least ${MIN_WIDTH} units, non-linear)`
