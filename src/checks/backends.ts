import { findBackend } from '@tensorflow/tfjs'
import { loadNative } from '../backend.js'
import { finalLoss } from '../record.js'
import { count, fmt } from '../format.js'
import { checkResult } from '../message.js'
import { openSession } from '../run.js'
import type { BackendName, CheckResult, Dataset, Finding, RunOptions, Subject } from '../types.js'
import { datasetAndOptions } from './args.js'

export interface BackendOptions extends Omit<RunOptions, 'backend'> {
  /** Largest relative difference between the two curves at any epoch. Default 1e-3. */
  tolerance?: number
  /** The two backends to compare. Default ['tensorflow', 'cpu']. */
  backends?: [BackendName, BackendName]
}

let skipNoticed = false

/**
 * The same seeded run on the native TensorFlow backend and on the CPU backend gives loss curves that agree
 * within `tolerance`; the message shows both curves and the first epoch where they part. When only one
 * backend is present it passes with a one-time notice, since there is nothing to compare.
 *
 * @example
 * await expect(buildModel).toTrainConsistentlyAcrossBackends(data, { tolerance: 1e-4 })
 */
export async function consistentAcrossBackends(subject: Subject, dataset?: Dataset | BackendOptions, maybeOptions?: BackendOptions): Promise<CheckResult> {
  const [data, options] = datasetAndOptions(dataset, maybeOptions)
  const tolerance = options.tolerance ?? 1e-3
  const [first, second] = options.backends ?? ['tensorflow', 'cpu']
  const maxEpochs = options.maxEpochs ?? 100
  const missing = await absent([first, second])
  const runs = []
  for (const backend of missing ? [second === missing ? first : second] : [first, second]) {
    const session = await openSession(subject, { ...options, backend })
    runs.push(await session.run({ dataset: data, maxEpochs, timeoutMs: options.timeoutMs ?? 20_000 }))
  }
  const a = runs[0]!.record
  if (missing) {
    if (!skipNoticed) {
      skipNoticed = true
      console.warn(`trainability: toTrainConsistentlyAcrossBackends skipped: the ${missing} backend is not available here, only ${a.backend}`)
    }
    return checkResult({
      pass: true,
      expectation: `train the same on ${first} and ${second}`,
      details: [`skipped: only the ${a.backend} backend is available`],
      record: a,
      findings: [],
    })
  }
  const b = runs[1]!.record
  const parts = a.losses.findIndex((l, i) => !(Math.abs(l - (b.losses[i] ?? Number.NaN)) <= tolerance * Math.max(Math.abs(l), Math.abs(b.losses[i]!), 1e-8)))
  const pass = parts === -1 && a.losses.length === b.losses.length
  const details = [
    parts === -1
      ? `curves agree within ${fmt(tolerance * 100)}% over ${count(a.losses.length, 'epoch')}`
      : `curves part at epoch ${parts + 1}: ${fmt(a.losses[parts]!)} on ${a.backend} vs ${fmt(b.losses[parts] ?? Number.NaN)} on ${b.backend}`,
    `final loss ${fmt(finalLoss(a))} on ${a.backend}, ${fmt(finalLoss(b))} on ${b.backend}`,
  ]
  const findings: Finding[] = pass ? [] : [{
    id: parts === 0 ? 'C11' : 'C5', title: parts === 0 ? 'initialization differs between backends' : 'training amplifies numeric differences',
    severity: 'warning', score: 1,
    evidence: parts === 0 ? 'the curves differ from the first epoch, so the starting weights or data differ' : `identical start, apart from epoch ${parts + 1}: a chaotic or unstable run (high learning rate, no normalization) magnifies last-digit kernel differences`,
    fix: parts === 0 ? 'draw all randomness from the seed (no crypto, Date.now or tf.data shuffling)' : 'lower the learning rate, or raise the tolerance if last-digit drift is expected',
  }]
  return checkResult({
    pass,
    expectation: `train the same on ${first} and ${second} (within ${fmt(tolerance * 100)}% per epoch)`,
    details,
    record: a,
    findings,
    curves: [{ label: a.backend, losses: a.losses }, { label: b.backend, losses: b.losses }],
  })
}

/** The first of the requested backends that cannot run here, if any. */
async function absent(backends: BackendName[]): Promise<BackendName | undefined> {
  for (const name of backends) {
    if (name === 'tensorflow' && !(await loadNative()).loaded) return name
    if (name !== 'tensorflow' && !findBackend(name)) return name
  }
  return undefined
}
