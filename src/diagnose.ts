import { RUN_OPTIONS, validateOptions } from './checks/options.js'
import * as tf from '@tensorflow/tfjs'
import { trainValidation } from './checks/args.js'
import { findingsOf } from './findings/index.js'
import { probes, type Evidence } from './probes/evidence.js'
import { activeBudget, withBudget } from './budget.js'
import { DEFAULT_TIMEOUT_MS, openSession, type Observer, type RunOutcome, type Session } from './run.js'
import { diagnosisTrial, verifyCauses, type Rerun } from './verify.js'
import { Untrainable } from './untrainable.js'
import type { Dataset, Finding, RunOptions, Subject, TrainingRecord } from './types.js'

export interface Diagnosis {
  /** Ranked likely causes, each with its evidence and fix. */
  findings: Finding[]
  record: TrainingRecord
  /**
   * The raw numbers the probes measured and the findings were judged on: per-layer gradient norms, activation
   * statistics, weight deltas, output sensitivity, cross-sample leak, the inference-mode loss curve. For your own
   * assertions beyond the built-in rules.
   *
   * @example
   * const { evidence } = await diagnose(buildModel, data)
   * expect(evidence.gradients.first.every((g) => g.norm > 1e-6)).toBe(true)
   */
  evidence: Evidence
}

export type DiagnoseData = Dataset | { train: Dataset; validation: Dataset }

/**
 * Trains the subject once with every probe attached (loss curve, gradient norms per layer, activation
 * statistics, weight deltas, output sensitivity, cross-sample gradients, data statistics, model config)
 * and returns the checklist findings the evidence supports, most likely first.
 *
 * @example
 * const { findings } = await diagnose(buildModel, data)
 * console.log(findings[0]?.id, findings[0]?.evidence)
 */
export async function diagnose(subject: Subject, data?: DiagnoseData, options: RunOptions = {}): Promise<Diagnosis> {
  validateOptions(options, [RUN_OPTIONS])
  // One deadline for the session's setup, the run and the verification of its causes, as a check has.
  return withBudget(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, async () => {
    const session = await openSession(subject, options)
    const { outcome, ...diagnosis } = await diagnoseInSession(session, data, options)
    // Only a run that missed its goal has causes to verify; see verify.ts.
    if (options.verify === false || !outcome || diagnosis.record.stoppedBy === 'goal') return diagnosis
    const rerun: Rerun<DiagnoseData | undefined> = async (target, timeoutMs) => {
      const fixed = await diagnoseInSession(await openSession(target.subject, target.options), target.data, { ...target.options, timeoutMs })
      return diagnosisTrial(diagnosis, fixed)
    }
    const context = { info: outcome.info, record: diagnosis.record, evidence: diagnosis.evidence, subject: subject as Subject }
    const left = activeBudget()?.left() ?? 0
    const findings = await verifyCauses(diagnosis.findings, context, { subject: subject as Subject, options, data }, rerun, left)
    return { ...diagnosis, findings }
  })
}

/** The probed run and its findings, in an open session; `outcome` when it trained. */
async function diagnoseInSession(session: Session, data: DiagnoseData | undefined, options: RunOptions): Promise<Diagnosis & { outcome?: RunOutcome }> {
  const split = typeof data === 'object' && data !== null && ('train' in data || 'validation' in data)
  const pair = split ? trainValidation(data, 'diagnose', true) : undefined
  const train = pair ? pair.train : (data as Dataset | undefined)
  const probe = probes()
  const observers: Observer[] = [probe.observer]
  if (pair) observers.push(validationLoss(pair.validation, probe.evidence))
  let outcome
  try {
    outcome = await session.run({
      dataset: train,
      maxEpochs: options.maxEpochs ?? 200,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // A model that already fits its training set has shown what it can; more epochs add no evidence.
      goal: ({ loss }, accuracy) => loss < 1e-4 && (Number.isNaN(accuracy()) || accuracy() === 1),
      observers,
    })
  } catch (error) {
    // A configuration that cannot learn: its blocking causes are the diagnosis, and nothing trained.
    if (error instanceof Untrainable) return { findings: error.findings, record: error.record, evidence: probe.evidence }
    throw error
  }
  const reachedGoal = outcome.record.stoppedBy === 'goal'
  return { findings: findingsOf(outcome, reachedGoal, probe.evidence), record: outcome.record, evidence: probe.evidence, outcome }
}

function validationLoss(validation: Dataset, evidence: Evidence): Observer {
  return {
    after(ctx) {
      const held = ctx.prepare(validation, 'validation')
      try {
        evidence.validationLoss = tf.tidy(() => ctx.trainee.loss(held.x, held.y).dataSync()[0])
      } finally {
        held.dispose()
      }
    },
  }
}
