// Regenerates the doctor's bundled demo models from simplest-binary-classification-thread.md:
// `npx tsx --tsconfig tsconfig.check.json examples/models/make.ts`. Deterministic: seeded initializers.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs'

const here = dirname(fileURLToPath(import.meta.url))

/** The thread's one-unit classifier; the custom from-logits loss does not serialize, so sigmoid + binaryCrossentropy. */
function oneUnit(learningRate: number): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 1,
        inputShape: [1],
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }),
      }),
    ],
  })
  model.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(learningRate), metrics: ['accuracy'] })
  return model
}

/** Writes model.json (tfjs layers-model format) and one weight shard, as `tfjs-node`'s file:// handler would. */
function toDirectory(directory: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    mkdirSync(directory, { recursive: true })
    const data = artifacts.weightData
    const bytes = data === undefined ? new Uint8Array() : new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data)
    writeFileSync(join(directory, 'weights.bin'), bytes)
    const json = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      trainingConfig: artifacts.trainingConfig,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }
    writeFileSync(join(directory, 'model.json'), `${JSON.stringify(json, null, 2)}\n`)
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } }
  })
}

// One feature, label 1 left of zero and 0 right of it: the thread's [[-1], [1]] → [1, 0], with a few more points.
const xs = [-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2]
const data = { x: xs.map((v) => [v]), y: xs.map((v) => (v < 0 ? 1 : 0)) }
writeFileSync(join(here, 'data.json'), `${JSON.stringify(data)}\n`)
writeFileSync(join(here, 'data.csv'), `x,label\n${xs.map((v, i) => `${v},${data.y[i]}`).join('\n')}\n`)

await tf.setBackend('cpu')
for (const [name, learningRate] of [['stuck', 1e-4], ['fixed', 1]] as const) {
  const model = oneUnit(learningRate)
  await model.save(toDirectory(join(here, name)), { includeOptimizer: true })
  model.dispose()
}
console.log(`wrote ${here}/{stuck,fixed}/model.json and data.{json,csv}`)
