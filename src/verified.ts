import { AsyncLocalStorage } from 'node:async_hooks'
import { activeBudget } from './budget.js'
import { finalLoss } from './record.js'
import type { Evidence } from './probes/evidence.js'
import type { ModelInfo } from './subject.js'
import type { RunOutcome } from './run.js'
import type { Finding, RunOptions, Subject, TrainingRecord } from './types.js'
import { verifyCauses, type Trial } from './verify.js'
import type { FixKind } from './findings/fixes.js'
import { causes } from './checks/probed.js'

/** What a check's run returns, as far as verification reads it. */
interface Ran {
  pass: boolean
  details: string[]
  record: TrainingRecord
  outcome?: RunOutcome & { evidence?: Evidence }
  own?: Finding[]
  findings?: Finding[]
  /** The model as a run that refused it saw it (a blocking cause: no outcome). */
  info?: ModelInfo
}

const unread = new AsyncLocalStorage<true>()

/**
 * Runs a check whose failure's causes nobody reads: a `.not` matcher passes when the check fails and prints no causes,
 * so verifying them would only cost time.
 */
export function causesUnread<T>(check: () => Promise<T>): Promise<T> {
  return unread.run(true, check)
}

/**
 * A failing check's causes verified by re-running the check itself with each cause's fix (see verify.ts): a fix helped
 * when the re-run passes. Draws on what is left of the check's own budget (`timeoutMs` covers the check and its verification); never runs for a passing check.
 */
export async function verifyFailure<D, O extends RunOptions & { timeoutMs: number }>(
  run: (subject: Subject, data: D, options: O) => Promise<Ran>,
  subject: Subject,
  data: D,
  options: O,
  failed: Ran,
  findings: Finding[],
  skip: readonly FixKind[] = [],
): Promise<Finding[]> {
  const info = failed.outcome?.info ?? failed.info
  if (!info || options.verify === false || unread.getStore()) return findings
  const context = { info, record: failed.record, evidence: failed.outcome?.evidence, subject }
  return verifyCauses(findings, context, { subject, options, data }, async (target, timeoutMs) => {
    const again = await run(target.subject, target.data as D, { ...(target.options as O), timeoutMs })
    return checkTrial(failed, again)
  }, activeBudget()?.left() ?? options.timeoutMs, skip)
}

function checkTrial(failed: Ran, again: Ran): Trial {
  const share = (r: TrainingRecord): number => {
    const first = r.losses[0]
    const last = finalLoss(r)
    return first !== undefined && Number.isFinite(last) && Number.isFinite(first) && first !== 0 ? last / Math.abs(first) : Number.POSITIVE_INFINITY
  }
  const summary = again.details[0] ?? ''
  return {
    helped: again.pass,
    // Did no better: the loss ended no lower, relative to where each run started.
    refuted: !again.pass && !(share(again.record) < share(failed.record)),
    outcome: again.pass ? `passes: ${summary}` : `still fails: ${summary}`,
    without: finalLoss(failed.record),
    findings: again.findings ?? (again.outcome ? causes(again.outcome, again.own) : again.own ?? []),
  }
}
