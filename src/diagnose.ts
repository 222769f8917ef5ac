import { RUN_OPTIONS, validateOptions } from './checks/options.js'
import { trainValidation } from './checks/args.js'
import { findingsOf } from './findings/index.js'
import { unverifiedPrecision } from './findings/curve.js'
import { capacityLast, unverifiedCandidates } from './findings/candidates.js'
import { probes, type Evidence } from './probes/evidence.js'
import { activeBudget, withBudget } from './budget.js'
import { DEFAULT_TIMEOUT_MS, openSession, type Observer, type RunOutcome, type Session } from './run.js'
import { shared } from './cache.js'
import type { ProbedOutcome } from './checks/probed.js'
import { diagnosisTrial, verifyCauses, type Rerun } from './verify.js'
import { Untrainable } from './untrainable.js'
import { evaluate, untrainedComparison } from './checks/generalize.js'
import type { GapCurves } from './findings/generalization.js'
import type { RunContext } from './run.js'
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

/** The training loss under which diagnose() stops a run that also classifies every sample right. */
const FITS = 1e-4

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
    if (options.verify === false || !outcome || diagnosis.record.stoppedBy === 'goal') return { ...diagnosis, findings: unverifiedCandidates(unverifiedPrecision(diagnosis.findings)) }
    const rerun: Rerun<DiagnoseData | undefined> = async (target, timeoutMs) => {
      const fixed = await diagnoseInSession(await openSession(target.subject, target.options), target.data, { ...target.options, timeoutMs })
      return diagnosisTrial(diagnosis, fixed)
    }
    const context = { info: outcome.info, record: diagnosis.record, evidence: diagnosis.evidence, subject: subject as Subject }
    const left = activeBudget()?.left() ?? 0
    const findings = await verifyCauses(diagnosis.findings, context, { subject: subject as Subject, options, data }, rerun, left)
    return { ...diagnosis, findings: capacityLast(unverifiedCandidates(unverifiedPrecision(findings))) }
  })
}

/** The probed run and its findings, in an open session; `outcome` when it trained. */
async function diagnoseInSession(session: Session, data: DiagnoseData | undefined, options: RunOptions): Promise<Diagnosis & { outcome?: RunOutcome }> {
  const split = typeof data === 'object' && data !== null && ('train' in data || 'validation' in data)
  const pair = split ? trainValidation(data, 'diagnose', true) : undefined
  const train = pair ? pair.train : (data as Dataset | undefined)
  const probe = probes()
  const observers: Observer[] = [probe.observer]
  const held = pair ? validationCurves(pair.validation, probe.evidence) : undefined
  if (held) observers.push(held.observer)
  let outcome
  try {
    const request = { dataset: train, maxEpochs: options.maxEpochs ?? 200, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }
    const run = async (): Promise<ProbedOutcome> => ({
      ...(await session.run({
        ...request,
        // A model that already fits its training set has shown what it can; more epochs add no evidence.
        goal: ({ loss }, accuracy) => loss < FITS && (Number.isNaN(accuracy()) || accuracy() === 1),
        observers,
      })),
      evidence: probe.evidence,
    })
    // With no loss under FITS the goal never fired (nor read the accuracy): the run is the goal-free probed run another
    // check may have trained already (src/cache.ts). A held-out set adds an observer of its own: that run trains itself.
    outcome = held ? await run() : await shared(session, request, undefined, run, (o) => !o.record.losses.some((loss) => loss < FITS))
  } catch (error) {
    // A configuration that cannot learn: its blocking causes are the diagnosis, and nothing trained.
    if (error instanceof Untrainable) return { findings: error.findings, record: error.record, evidence: probe.evidence }
    throw error
  } finally {
    held?.dispose()
  }
  held?.settle(outcome.record.epochs)
  const reachedGoal = outcome.record.stoppedBy === 'goal'
  const { evidence } = outcome
  return { findings: findingsOf(outcome, reachedGoal, evidence, true), record: outcome.record, evidence, outcome }
}

/**
 * Both losses before training and after every epoch, and the two-sample tests of the untrained model, measured as
 * toGeneralize measures them (one implementation: checks/generalize.ts), so diagnose() tells C14 from C13 alike.
 */
function validationCurves(validation: Dataset, evidence: Evidence): { observer: Observer; dispose(): void; settle(epochs: number): void } {
  let held: ReturnType<RunContext['prepare']> | undefined
  const curves: GapCurves = { train: [], validation: [] }
  const measure = (ctx: RunContext): void => {
    curves.train.push(evaluate(ctx, ctx.x, ctx.y))
    curves.validation.push(evaluate(ctx, held!.x, held!.y))
  }
  const dispose = (): void => {
    held?.dispose()
    held = undefined
  }
  const observer: Observer = {
    before(ctx) {
      held = ctx.prepare(validation, 'validation')
      measure(ctx)
      evidence.generalization = { curves, untrained: untrainedComparison(ctx, held) }
    },
    afterEpoch(_epoch, ctx) {
      measure(ctx)
    },
    after(ctx) {
      measure(ctx) // an epoch that ends non-finite stops the run without calling afterEpoch
      dispose()
    },
  }
  /** Index i is the model after epoch i: the end of a run that called afterEpoch for its last epoch is measured twice. */
  const settle = (epochs: number): void => {
    if (curves.train.length > epochs + 1) {
      curves.train.pop()
      curves.validation.pop()
    }
    evidence.validationLoss = curves.validation[curves.validation.length - 1]
  }
  return { observer, dispose, settle }
}
