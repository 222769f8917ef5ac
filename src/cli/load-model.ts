import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { UsageError } from './errors.js'

interface ManifestGroup {
  paths: string[]
  weights: tf.io.WeightsManifestEntry[]
}

/**
 * Reads a saved tfjs Layers model (model.json plus its weight shards) from disk. Plain `@tensorflow/tfjs`
 * has no file:// handler in Node, so the shards are concatenated in manifest order and loaded from memory.
 */
export async function readModelArtifacts(path: string): Promise<tf.io.ModelArtifacts> {
  const text = await readText(path, '--model')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new UsageError(`--model ${path} is not JSON: pass the model.json written by model.save()`)
  }
  const record = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>
  if (typeof record.modelTopology !== 'object' || record.modelTopology === null || !Array.isArray(record.weightsManifest)) {
    throw new UsageError(`--model ${path} is not a tfjs Layers model: it needs "modelTopology" and "weightsManifest" (save it with model.save())`)
  }
  const groups = record.weightsManifest as ManifestGroup[]
  const weightSpecs: tf.io.WeightsManifestEntry[] = []
  const shards: ArrayBuffer[] = []
  for (const group of groups) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new UsageError(`--model ${path}: every weightsManifest entry needs "paths" and "weights"`)
    weightSpecs.push(...group.weights)
    for (const shard of group.paths) {
      const file = resolve(dirname(path), shard)
      const bytes = await readFile(file).catch(() => {
        throw new UsageError(`--model ${path}: weight file ${file} cannot be read; keep the weight shards next to model.json`)
      })
      shards.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    }
  }
  return {
    modelTopology: record.modelTopology,
    weightSpecs,
    weightData: tf.io.concatenateArrayBuffers(shards),
    ...(typeof record.trainingConfig === 'object' && record.trainingConfig !== null && { trainingConfig: record.trainingConfig as tf.io.TrainingConfig }),
  }
}

/** Builds a fresh model from artifacts; a model saved with its training config comes back compiled. */
export async function modelFrom(artifacts: tf.io.ModelArtifacts, path: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts))
  } catch (error) {
    throw new UsageError(`--model ${path} cannot be loaded by tfjs: ${firstLine(error)}`)
  }
}

export async function readText(path: string, flag: string): Promise<string> {
  try {
    // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse rejects it, so drop it.
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : firstLine(error)
    throw new UsageError(`${flag} ${path} cannot be read: ${why}`)
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0] ?? text
}
