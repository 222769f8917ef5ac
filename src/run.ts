import * as tf from '@tensorflow/tfjs'
import { onBackend, pickBackend } from './backend.js'
import { tensorSteps, toTensors } from './dataset.js'
import { randomFor, tinyFor } from './default-data.js'
import { rank } from './findings/rank.js'
import { labelFindings, nothingTrainable, outputFindings, targetShapeFindings } from './findings/config.js'
import { blocks } from './findings/catalogue.js'
import { collect } from './ownership.js'
import { resolveSeed, withSeed } from './seed.js'
import { statsSteps, type DataStats } from './stats.js'
import { resolveSubject, type ModelInfo, type Trainee, type TraineeSource } from './subject.js'
import { accuracy, accuracySteps, inferTask } from './task.js'
import { train, type EpochGradients, type Progress } from './train.js'
import type { BackendName, Dataset, Finding, FittedScaler, RunOptions, Subject, Task, TrainingRecord } from './types.js'
import { Untrainable } from './untrainable.js'
import { typeError } from './errors.js'
import { activeBudget, Budget } from './budget.js'
import { Pacer } from './pace.js'

/** Wall-clock budget per planned run of a check or diagnosis that does not set `timeoutMs`; one budget covers all its runs (CheckSpec.runs). */
export const DEFAULT_TIMEOUT_MS = 20_000

/**
 * Hooks into a run; a check's probes are observers. Tensors in the context belong to the run. `before` and `after` may
 * be async, to give the event loop turns in long work (`ctx.pace`); the run awaits them in order.
 */
export interface Observer {
  before?(ctx: RunContext): void | Promise<void>
  /** Return true to stop there (recorded as `stoppedBy: 'observer'`). */
  afterEpoch?(epoch: number, ctx: RunContext): boolean | void
  /** The gradients of an epoch's last step, before they are applied: read, never keep or dispose. */
  onGradients?(epoch: number, grads: tf.NamedTensorMap, ctx: RunContext): void
  /** Once training ends, the gradients of its last completed epochs (see train's onLastGradients): read, never keep or dispose. */
  onLastGradients?(last: readonly EpochGradients[], ctx: RunContext): void
  after?(ctx: RunContext): void | Promise<void>
}

export interface RunRequest extends Observer {
  /** Absent: the default tiny dataset (one sample per class), drawn from the seed. */
  dataset?: Dataset
  /** Absent dataset: `tiny` (one sample per class, the default) or `random` (32 normal samples, random labels). */
  defaultData?: 'tiny' | 'random'
  /** Applied to the raw features before preprocess, e.g. a rescaling. Must return a new tensor. */
  transformX?: (x: tf.Tensor) => tf.Tensor
  maxEpochs: number
  /** This run's share of the budget, from its start (setup included); the session's budget bounds it too. */
  timeoutMs: number
  batchSize?: number
  /** Goal test after each epoch; `accuracy()` evaluates the trainee on the training set. */
  goal?: (progress: Progress, accuracy: () => number) => boolean
  keepWeights?: boolean
  /** Overrides the session's seed for this run (e.g. a sweep over seeds). */
  seed?: number
  /** More hooks, called after the request's own, in order. */
  observers?: Observer[]
}

/** What hooks may use during a run. Tensors here belong to the run: never dispose or keep them. */
export interface RunContext {
  trainee: Trainee
  /** Training features as the model sees them (after transformX and preprocess). */
  x: tf.Tensor
  y: tf.Tensor
  task: Task
  /** Training features before preprocess (after transformX), and the preprocess fitted on them. */
  rawX: tf.Tensor
  fitted?: FittedScaler
  /** Validates another dataset against the model and applies the same transformX and fitted preprocess. Dispose the result. */
  prepare(dataset: Dataset, arg: string): { x: tf.Tensor; y: tf.Tensor; dispose(): void }
  /** Gives the event loop turns in an async `before`/`after` (`await ctx.pace.breathe()`, `await ctx.pace.run(steps)`), outside the seed. */
  pace: Pacer
}

export interface RunOutcome {
  record: TrainingRecord
  info: ModelInfo
  stats: DataStats
  /** What the model's config and the label encoding show before training (C3/C4), none of it blocking. */
  config: Finding[]
  /** Final value of every trainable variable, in order, when asked for. */
  weights?: { name: string; values: Float32Array }[]
  /** Optimizer steps taken: equal step counts, not just equal epochs, give comparable weights after a budget cut. */
  steps: number
}

/** One subject under one seed on one backend; each `run` trains a fresh trainee from scratch. */
export interface Session {
  seed: number
  backend: BackendName
  options: RunOptions
  /** The wall-clock budget every run of the session draws on: the running check's, shared by all its sessions. */
  budget: Budget
  /** What the caller passed to `expect(...)`, as given: the identity under which checks share a run (src/cache.ts). */
  subject: unknown
  run(request: RunRequest): Promise<RunOutcome>
}

/**
 * Opens a session under the running check's budget (see withBudget); outside a check, under a budget of
 * `options.timeoutMs` that starts now.
 */
export async function openSession(subject: Subject | unknown, options: RunOptions = {}): Promise<Session> {
  if (typeof options !== 'object' || options === null) throw typeError(`options must be an object, received ${String(options)}`)
  const budget = activeBudget() ?? new Budget(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const seed = resolveSeed(options.seed)
  const backend = await pickBackend(options.backend)
  const source = await resolveSubject(subject, options)
  return { seed, backend, options, budget, subject, run: (request) => runOnce(source, request.seed ?? seed, backend, options, request, budget) }
}

function runOnce(source: TraineeSource, seed: number, backend: BackendName, options: RunOptions, request: RunRequest, budget: Budget): Promise<RunOutcome> {
  const queued = performance.now()
  return withSeed(seed, (scope) =>
    onBackend(backend, async () => {
      // Runs are serialized: the wait for another check's run is not this check's time.
      const started = performance.now()
      budget.extend(started - queued)
      const deadline = Math.min(budget.deadline, started + request.timeoutMs)
      const owned: { dispose(): void }[] = []
      // Between the phases of a run (setup, config findings, each observer's before, training, accuracy, each after,
      // statistics) the event loop gets a turn, and each phase's own long loops give it turns (see Pacer).
      const pace = new Pacer((wait) => scope.unseeded(wait))
      try {
        const { value: trainee, release } = await collect(() => source.create())
        owned.push({ dispose: release }, trainee)
        const untrained = (task: Task): TrainingRecord => ({
          losses: [], epochs: 0, stoppedBy: 'untrainable', task, backend, seed,
          learningRate: trainee.info.learningRate, optimizer: trainee.info.optimizer, elapsedMs: 0,
        })
        if (trainee.variables.length === 0) {
          throw new Untrainable([nothingTrainable(trainee.frozen.length, trainee.info.kind)], untrained(inferTask(trainee.info, undefined, options.task)), trainee.info)
        }
        const make = request.defaultData === 'random' ? randomFor : tinyFor
        const generated = request.dataset ? undefined : make(trainee.info, inferTask(trainee.info, undefined, options.task))
        if (generated) owned.push({ dispose: () => tf.dispose([generated.x, generated.y] as tf.Tensor[]) })
        const raw = await pace.run(tensorSteps(request.dataset ?? generated, trainee.info, 'dataset'))
        owned.push(raw)
        await pace.turn()
        const moved = request.transformX ? request.transformX(raw.x) : raw.x
        if (moved !== raw.x) owned.push(moved)
        const fitted = source.preprocess?.fit(moved) // fitted on the training features only (C14)
        if (fitted) owned.push(fitted)
        // Without a preprocess the model sees the features as they are: no copy of them.
        const x = fitted ? fitted.transform(moved) : moved
        if (x !== moved) owned.push(x)
        const prepareX = (input: tf.Tensor): tf.Tensor =>
          tf.tidy(() => {
            const shifted = request.transformX ? request.transformX(input) : input
            return fitted ? fitted.transform(shifted) : shifted.clone()
          })
        const task = inferTask(trainee.info, raw.y, options.task)
        const config = [
          ...labelFindings(trainee.info, raw.y, raw.classIndices),
          ...outputFindings(trainee.info, task),
          ...(trainee.info.kind === 'custom' ? targetShapeFindings(tf.tidy(() => trainee.predict(x).shape), raw.y.shape) : []),
        ]
        if (config.some(blocks)) throw new Untrainable(rank(config), untrained(task), trainee.info)
        await pace.turn()
        const ctx: RunContext = {
          trainee,
          x,
          y: raw.y,
          task,
          rawX: moved,
          fitted,
          prepare(dataset, arg) {
            const other = toTensors(dataset, trainee.info, arg)
            try {
              const px = prepareX(other.x)
              return { x: px, y: other.y, dispose: () => tf.dispose([px, other.y]) }
            } finally {
              other.x.dispose()
            }
          },
          pace,
        }
        const measure = (): number => accuracy(trainee, x, raw.y, task)
        const observers = [request, ...(request.observers ?? [])]
        for (const o of observers) {
          await o.before?.(ctx)
          await pace.turn()
        }
        // The budget covers setup: a deadline that passed before training leaves it no epoch (the first step of a run is
        // otherwise always taken, see train).
        const late = request.maxEpochs > 0 && performance.now() > deadline
        const result = late ? { losses: [], batchSize: undefined, stoppedBy: 'timeout' as const, elapsedMs: 0, steps: 0 } : await train(trainee, x, raw.y, {
          maxEpochs: request.maxEpochs,
          deadline,
          batchSize: options.batchSize,
          goal: (progress) => {
            let stop = false
            for (const o of observers) if (o.afterEpoch?.(progress.epoch, ctx) === true) stop = true
            if (request.goal?.(progress, measure) === true) return true
            return stop ? 'observer' : false
          },
          onGradients: observers.some((o) => o.onGradients)
            ? (epoch, grads) => observers.forEach((o) => o.onGradients?.(epoch, grads, ctx))
            : undefined,
          onLastGradients: observers.some((o) => o.onLastGradients)
            ? (last) => observers.forEach((o) => o.onLastGradients?.(last, ctx))
            : undefined,
        }, scope)
        await pace.turn()
        const record: TrainingRecord = {
          losses: result.losses,
          epochs: result.losses.length,
          stoppedBy: result.stoppedBy,
          accuracy: task === 'regression' ? undefined : await pace.run(accuracySteps(trainee, x, raw.y, task)),
          task,
          backend,
          seed,
          learningRate: trainee.info.learningRate,
          optimizer: trainee.info.optimizer,
          elapsedMs: result.elapsedMs,
          // A batch the caller did not choose is said: a large set trains in mini-batches by default (train.ts DEFAULT_BATCH).
          ...(options.batchSize === undefined && result.batchSize !== undefined && result.batchSize < x.shape[0]! ? { batchSize: result.batchSize } : {}),
        }
        for (const o of observers) {
          await pace.turn()
          await o.after?.(ctx)
        }
        await pace.turn()
        return {
          record,
          info: trainee.info,
          stats: await pace.run(statsSteps(x, trainee.info.integerInput)),
          config,
          weights: request.keepWeights ? snapshotWeights(trainee) : undefined,
          steps: result.steps,
        }
      } finally {
        for (const item of owned.reverse()) item.dispose()
      }
    }),
  )
}

function snapshotWeights(trainee: Trainee): { name: string; values: Float32Array }[] {
  return trainee.variables.map((v, i) => ({ name: trainee.names.variables[i]!, values: Float32Array.from(v.dataSync()) }))
}
