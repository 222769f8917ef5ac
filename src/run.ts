import * as tf from '@tensorflow/tfjs'
import { onBackend, pickBackend } from './backend.js'
import { toTensors } from './dataset.js'
import { tinyFor } from './datasets.js'
import { typeError } from './errors.js'
import { collect } from './ownership.js'
import { resolveSeed, withSeed } from './seed.js'
import { dataStats, type DataStats } from './stats.js'
import { resolveSubject, type ModelInfo, type Trainee, type TraineeSource } from './subject.js'
import { accuracy, inferTask } from './task.js'
import { train, type Progress } from './train.js'
import type { BackendName, Dataset, RunOptions, Subject, Task, TrainingRecord } from './types.js'

export interface RunRequest {
  /** Absent: the default tiny dataset (one sample per class), drawn from the seed. */
  dataset?: Dataset
  /** Applied to the raw features before preprocess, e.g. a rescaling. Must return a new tensor. */
  transformX?: (x: tf.Tensor) => tf.Tensor
  maxEpochs: number
  timeoutMs: number
  batchSize?: number
  /** Goal test after each epoch; `accuracy()` evaluates the trainee on the training set. */
  goal?: (progress: Progress, accuracy: () => number) => boolean
  keepWeights?: boolean
}

export interface RunOutcome {
  record: TrainingRecord
  info: ModelInfo
  stats: DataStats
  /** Final value of every trainable variable, in order, when asked for. */
  weights?: { name: string; values: Float32Array }[]
}

/** One subject under one seed on one backend; each `run` trains a fresh trainee from scratch. */
export interface Session {
  seed: number
  backend: BackendName
  options: RunOptions
  run(request: RunRequest): Promise<RunOutcome>
}

export async function openSession(subject: Subject | unknown, options: RunOptions = {}): Promise<Session> {
  if (typeof options !== 'object' || options === null) throw typeError(`options must be an object, received ${String(options)}`)
  const seed = resolveSeed(options.seed)
  const backend = await pickBackend(options.backend)
  const source = await resolveSubject(subject, options)
  return { seed, backend, options, run: (request) => runOnce(source, seed, backend, options, request) }
}

function runOnce(source: TraineeSource, seed: number, backend: BackendName, options: RunOptions, request: RunRequest): Promise<RunOutcome> {
  return withSeed(seed, (scope) =>
    onBackend(backend, async () => {
      const owned: { dispose(): void }[] = []
      try {
        const { value: trainee, release } = await collect(() => source.create())
        owned.push({ dispose: release }, trainee)
        if (trainee.variables.length === 0) throw typeError('the model has no trainable variables, so it cannot train; check layer.trainable and the variables of a custom trainable')
        const tiny = request.dataset ? undefined : tinyFor(trainee.info, inferTask(trainee.info, undefined, options.task))
        if (tiny) owned.push({ dispose: () => tf.dispose([tiny.x, tiny.y] as tf.Tensor[]) })
        const raw = toTensors(request.dataset ?? tiny, trainee.info, 'dataset')
        owned.push(raw)
        let x = raw.x
        if (request.transformX) {
          x = request.transformX(raw.x)
          owned.push(x)
        }
        if (source.preprocess) {
          const fitted = source.preprocess.fit(x)
          owned.push(fitted)
          x = fitted.transform(x)
          owned.push(x)
        }
        const task = inferTask(trainee.info, raw.y, options.task)
        const measure = (): number => accuracy(trainee, x, raw.y, task)
        const result = await train(trainee, x, raw.y, {
          maxEpochs: request.maxEpochs,
          timeoutMs: request.timeoutMs,
          batchSize: options.batchSize,
          goal: request.goal && ((progress) => request.goal!(progress, measure)),
        }, scope)
        const record: TrainingRecord = {
          losses: result.losses,
          epochs: result.losses.length,
          stoppedBy: result.stoppedBy,
          accuracy: task === 'regression' ? undefined : measure(),
          task,
          backend,
          seed,
          learningRate: trainee.info.learningRate,
          optimizer: trainee.info.optimizer,
          elapsedMs: result.elapsedMs,
        }
        return {
          record,
          info: trainee.info,
          stats: dataStats(x, raw.y),
          weights: request.keepWeights ? snapshotWeights(trainee) : undefined,
        }
      } finally {
        for (const item of owned.reverse()) item.dispose()
      }
    }),
  )
}

function snapshotWeights(trainee: Trainee): { name: string; values: Float32Array }[] {
  return trainee.variables.map((v) => ({ name: v.name, values: Float32Array.from(v.dataSync()) }))
}

export type { Task }
