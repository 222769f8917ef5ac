import { checkResult } from './message.js'
import type { ModelInfo } from './subject.js'
import type { CheckResult, Finding, TrainingRecord } from './types.js'

/**
 * Thrown inside a run whose configuration cannot learn at all (labels encoded for another loss, a loss identically 0,
 * nothing trainable). It is a failing model, not bad input: `failsUntrainable` turns it into the check's failure.
 */
export class Untrainable extends Error {
  /** `info`: what the run knew of the model when it refused it, so that a blocking cause's fix can be verified. */
  constructor(readonly findings: Finding[], readonly record: TrainingRecord, readonly info?: ModelInfo) {
    super(`the model cannot train as configured: ${findings.map((f) => `${f.id} ${f.title}`).join('; ')}`)
    this.name = 'Untrainable'
  }
}

/**
 * Wraps a check so that a run that cannot train fails it with the blocking causes first, without training.
 * `goal` completes "expected model to …" when the check itself never got to say what it measures.
 */
export function failsUntrainable<A extends unknown[]>(goal: string, check: (...args: A) => Promise<CheckResult>): (...args: A) => Promise<CheckResult> {
  return async (...args: A) => {
    try {
      return await check(...args)
    } catch (error) {
      if (!(error instanceof Untrainable)) throw error
      return checkResult({
        pass: false,
        expectation: goal,
        details: [`did not train: ${error.findings[0]!.title}`],
        record: error.record,
        findings: error.findings,
      })
    }
  }
}
